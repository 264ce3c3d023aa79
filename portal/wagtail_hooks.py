from django.core.exceptions import PermissionDenied
from wagtail import hooks
from wagtail.models import Page

from .admin_guards import refuse_move_without_permission
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


# Found by the permission matrix (tests/permission_matrix); see portal/admin_guards.py.
hooks.register("before_move_page", refuse_move_without_permission)


@hooks.register("construct_reports_menu")
def hide_network_wide_reports(request, menu_items):
    """The page types report is the hub administrator's (portal/admin_guards.py)."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
