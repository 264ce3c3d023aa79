from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admission_admin, compliance_views, coverage_views
from .compliance import scope_for
from .views import VenueViewSet


@hooks.register("register_admin_viewset")
def register_venue_viewset():
    return VenueViewSet("venues")


@hooks.register("register_admin_urls")
def register_network_urls():
    return [
        path("network/applications/", include(admission_admin, namespace="network_admission")),
        path("network/compliance/", include(compliance_views, namespace="network_compliance")),
        path("network/coverage/", include(coverage_views, namespace="network_coverage")),
    ]


class OverseerMenuItem(MenuItem):
    """Shown to the hub's and the main centres' staff."""

    def is_shown(self, request):
        return scope_for(request.user).exists()


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        from .services import venues_for_user

        return venues_for_user(request.user).exists()


network_menu = Menu(
    items=[
        MenuItem(
            _("入网申请"),
            reverse_lazy("network_admission:index"),
            name="network-applications",
            icon_name="form",
            order=100,
        ),
        OverseerMenuItem(
            _("开放时间合规"),
            reverse_lazy("network_compliance:index"),
            name="network-compliance",
            icon_name="time",
            order=200,
        ),
        StaffMenuItem(
            _("开馆打卡"),
            reverse_lazy("network_compliance:checkin"),
            name="network-checkin",
            icon_name="tick",
            order=300,
        ),
        OverseerMenuItem(
            _("覆盖规划"),
            reverse_lazy("network_coverage:index"),
            name="network-coverage",
            icon_name="site",
            order=400,
        ),
    ]
)


@hooks.register("register_admin_menu_item")
def register_network_menu():
    return SubmenuMenuItem(
        _("总分馆建设"), network_menu, name="network-building", icon_name="group", order=160
    )


from .evaluation import wagtail_hooks as evaluation_hooks  # noqa: E402,F401
