"""The evaluation in the Wagtail admin: audit-log actions, viewsets, the result pages, the menu.

Loaded by network/wagtail_hooks.py (Wagtail imports only an app's top-level wagtail_hooks)."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ..services import overseen_venue_ids
from . import services, urls
from .admin import IndicatorSystemViewSet, ManualScoreViewSet


@hooks.register("register_log_actions")
def register_evaluation_log_actions(actions):
    actions.register_action(services.LOG_PUBLISH, _("发布考核结果"), _("发布考核结果"))
    actions.register_action(services.LOG_DELIST, _("确认摘牌"), _("考核后确认摘牌"))


@hooks.register("register_admin_viewset")
def register_evaluation_viewsets():
    return [
        IndicatorSystemViewSet(
            "network_evaluation_systems", url_prefix="network/evaluation-systems"
        ),
        ManualScoreViewSet("network_evaluation_scores", url_prefix="network/evaluation-scores"),
    ]


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [path("network/evaluation/", include(urls, namespace="network_evaluation"))]


class EvaluationMenuItem(MenuItem):
    """Shown to every venue's staff: each sees the results in their scope."""

    def is_shown(self, request):
        return services.can_manage(request.user) or bool(overseen_venue_ids(request.user))


@hooks.register("register_admin_menu_item")
def register_evaluation_menu():
    return EvaluationMenuItem(
        _("考核评比"),
        reverse_lazy("network_evaluation:index"),
        name="network-evaluation",
        icon_name="order",
        order=170,
    )
