from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.models import Page

from .chooser import choosable_pages


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_subtrees(pages, request):
    """Wagtail's page chooser lists every page, drafts included; editors see only their own."""
    # The browse view also shows the page being browsed, draft title and all, and does not
    # pass it through this hook: refuse to browse a page outside the editor's reach.
    match = request.resolver_match
    parent_id = match.kwargs.get("parent_page_id") if match else None
    if parent_id is not None:
        browsed = Page.objects.filter(pk=parent_id)
        if browsed.exists() and not choosable_pages(browsed, request.user).exists():
            raise PermissionDenied
    return choosable_pages(pages, request.user)
