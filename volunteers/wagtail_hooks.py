"""Wagtail registrations of the volunteer service (imports and registrations only).

Permission policies are registered at import, before anything asks Wagtail for a model's
policy (it would otherwise create and fix a fallback ModelPermissionPolicy)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from . import applications, hours
from .admin_views import (
    ExportViewSet,
    GridReportViewSet,
    HoursViewSet,
    RosterViewSet,
    VolunteerViewSet,
)
from .admin_viewsets import ActivityViewSet, GridViewSet, ShiftViewSet, TeamViewSet
from .models import Activity, Grid, Shift, Team
from .permissions import ActivityPolicy, GridPolicy, ShiftPolicy, TeamPolicy

register_permission_policy(Grid, GridPolicy(Grid), exact_class=True)
register_permission_policy(Team, TeamPolicy(Team), exact_class=True)
register_permission_policy(Activity, ActivityPolicy(Activity), exact_class=True)
register_permission_policy(Shift, ShiftPolicy(Shift), exact_class=True)


class VolunteerGroup(ViewSetGroup):
    menu_label = _("志愿服务")
    menu_icon = "group"
    menu_order = 370
    items = (
        VolunteerViewSet,
        TeamViewSet,
        GridViewSet,
        GridReportViewSet,
        ActivityViewSet,
        ShiftViewSet,
        RosterViewSet,
        HoursViewSet,
        ExportViewSet,
    )


@hooks.register("register_admin_viewset")
def register_volunteer_group():
    return VolunteerGroup()


@hooks.register("register_log_actions")
def register_volunteer_log_actions(actions):
    actions.register_action(applications.APPROVED_ACTION, _("通过志愿者申请"), _("通过志愿者申请"))
    actions.register_action(
        applications.REASSIGNED_ACTION, _("调整志愿者网格/团队"), _("调整志愿者网格/团队")
    )
    actions.register_action(hours.CONFIRMED_ACTION, _("确认服务时长"), _("确认服务时长"))

    @actions.register_action(applications.REJECTED_ACTION)
    class Rejected(LogFormatter):
        label = _("退回志愿者申请")

        def format_message(self, log_entry):
            return _("退回志愿者申请：%(reason)s") % {"reason": log_entry.data.get("reason", "")}

    @actions.register_action(hours.REJECTED_ACTION)
    class HoursRejected(LogFormatter):
        label = _("退回时长申报")

        def format_message(self, log_entry):
            return _("退回时长申报：%(reason)s") % {"reason": log_entry.data.get("reason", "")}

    @actions.register_action(hours.CORRECTED_ACTION)
    class HoursCorrected(LogFormatter):
        label = _("更正服务时长")

        def format_message(self, log_entry):
            before, after = log_entry.data.get("before", {}), log_entry.data.get("after", {})
            return _("服务时长由 %(before)s 小时更正为 %(after)s 小时：%(reason)s") % {
                "before": before.get("hours"),
                "after": after.get("hours"),
                "reason": log_entry.data.get("reason", ""),
            }
