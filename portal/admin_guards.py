"""Permission checks Wagtail's own admin views leave out, found by the permission matrix
(tests/permission_matrix). Each guarded view takes the place of Wagtail's in portal/urls.py or
is checked through a Wagtail hook (portal/wagtail_hooks.py)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views.pages.workflow import ConfirmWorkflowCancellationView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page


def _superusers_only(view):
    def guarded(request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return require_admin_access(guarded)


# The report's "last edited page" column names a page of any venue, drafts included; its
# figures are network-wide, so it is the hub administrator's.
page_types_usage = _superusers_only(PageTypesUsageReportView.as_view())
page_types_usage_results = _superusers_only(PageTypesUsageReportView.as_view(results_only=True))


def _confirm_workflow_cancellation(request, page_id):
    # Wagtail answers for any page with its moderation state; only its publishers need it
    # (the dialog is shown when publishing a page that is in moderation).
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_publish():
        raise PermissionDenied
    return ConfirmWorkflowCancellationView.as_view()(request, page_id=page_id)


confirm_workflow_cancellation = require_admin_access(_confirm_workflow_cancellation)


def refuse_move_without_permission(request, page, destination):
    """before_move_page hook: Wagtail's move confirmation page (GET) shows the page and the
    destination to anyone; only the move itself (POST) checks the permission."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)
    return None
