from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .dashboard import panels, views
from .dashboard.scope import scope_for
from .pages import venue_for_page


@hooks.register("before_serve_page")
def mark_page_view(page, request, serve_args, serve_kwargs):
    request.metrics_page = (page.pk, venue_for_page(page))


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [path("metrics/dashboard/", include(views, namespace="metrics_dashboard"))]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return scope_for(request.user) is not None


@hooks.register("register_admin_menu_item")
def register_dashboard_menu():
    return DashboardMenuItem(
        _("统计看板"),
        reverse_lazy("metrics_dashboard:index"),
        name="metrics-dashboard",
        icon_name="table",
        order=150,
    )


hooks.register("construct_homepage_panels", panels.add_panel)
