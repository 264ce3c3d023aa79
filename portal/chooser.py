"""Page choosers limited to the editor's own subtrees: Wagtail's choosers list every page."""

from django.db.models import Q
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.models import Page


def choosable_pages(pages, user):
    """`pages` narrowed to the subtrees `user` has permissions on (their venue and, for a main
    centre, its branches) and the ancestors needed to browse down to them."""
    if user.is_superuser:
        return pages
    roots = Page.objects.filter(group_permissions__group__user=user).distinct()
    if not roots:
        return pages.none()
    within = Q()
    for root in roots:
        within |= Q(path__startswith=root.path)
    ancestors = Q(pk__in=[a.pk for r in roots for a in r.get_ancestors()])
    return pages.filter(within | ancestors)


class OwnPagesChosenMultipleView(ChosenMultipleView):
    """Wagtail's chosen-multiple view answers with the (draft) title of any page id asked for
    and runs no hook; this one answers only for pages the chooser would have listed. It takes
    the place of wagtailadmin_choose_page_chosen_multiple in portal/urls.py."""

    def get(self, request):
        asked = Page.objects.filter(pk__in=[pk for pk in request.GET.getlist("id") if pk.isdigit()])
        allowed = choosable_pages(asked, request.user).values_list("pk", flat=True)
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in allowed])
        return super().get(request)


own_pages_chosen_multiple = require_admin_access(OwnPagesChosenMultipleView.as_view())
