from django.db.models import Q
from wagtail import hooks
from wagtail.models import Page


@hooks.register("construct_page_chooser_queryset")
def limit_page_chooser_to_own_subtrees(pages, request):
    """Wagtail's page chooser lists every page, drafts included; editors see only the subtrees
    they have permissions on (their venue and, for a main centre, its branches)."""
    user = request.user
    if user.is_superuser:
        return pages
    roots = Page.objects.filter(group_permissions__group__user=user).distinct()
    if not roots:
        return pages.none()
    within = Q()
    for root in roots:
        within |= Q(path__startswith=root.path)
    # Ancestors are kept so the chooser can still be browsed down to the editor's subtree.
    ancestors = Q(pk__in=[a.pk for r in roots for a in r.get_ancestors()])
    return pages.filter(within | ancestors)
