"""Wagtail registrations of the training app (imports and registrations only).

Permission policies are registered at import, before anything asks Wagtail for a model's
policy (it would otherwise create and fix a fallback ModelPermissionPolicy).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import policy_registry, register_permission_policy

from .accounts import RESIDENT_DELETED
from .admin_residents import ResidentPermissionPolicy, ResidentViewSet
from .admin_views import TrainingGroup, warn_held_capacity
from .enrolment import STAFF_CANCELLED, STAFF_ENROLLED
from .models import Offering, Resident
from .permissions import OfferingPermissionPolicy
from .unmasked import UNMASKED_VIEWED, describe

# --- residents (accounts) --------------------------------------------------------------------

register_permission_policy(Resident, ResidentPermissionPolicy(Resident), exact_class=True)
resident_viewset = ResidentViewSet("residents")


@hooks.register("register_admin_viewset")
def register_resident_viewset():
    return resident_viewset


class FrontDeskMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Resident).user_has_permission(request.user, "add")


@hooks.register("register_admin_menu_item")
def register_front_desk_menu_item():
    return FrontDeskMenuItem(
        _("居民登记"),
        reverse(resident_viewset.get_url_name("add")),
        icon_name="user",
        name="resident-front-desk",
        order=331,
    )


@hooks.register("register_log_actions")
def register_resident_log_actions(actions):
    @actions.register_action(RESIDENT_DELETED)
    class ResidentDeleted(LogFormatter):
        label = _("注销居民账号")
        message = _("居民账号及其个人信息已删除")

    @actions.register_action(STAFF_ENROLLED)
    class StaffEnrolled(LogFormatter):
        label = _("代居民报名")

        def format_message(self, log_entry):
            if log_entry.data.get("status") == "waitlisted":
                return _("工作人员代为报名，进入候补（序号 %(number)s）") % {
                    "number": log_entry.data.get("waitlist_number")
                }
            return _("工作人员代为报名")

    @actions.register_action(UNMASKED_VIEWED)
    class UnmaskedViewed(LogFormatter):
        label = _("查看完整号码")

        def format_message(self, log_entry):
            return describe(log_entry.data)

    @actions.register_action(STAFF_CANCELLED)
    class StaffCancelled(LogFormatter):
        label = _("代居民取消报名")
        message = _("工作人员代为取消报名")


# --- enrolments (培训报名: 课程报名, 报名设置) --------------------------------------------------

register_permission_policy(Offering, OfferingPermissionPolicy(Offering), exact_class=True)


@hooks.register("register_admin_viewset")
def register_training_group():
    return TrainingGroup()


hooks.register("after_edit_snippet", warn_held_capacity)
