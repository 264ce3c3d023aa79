"""Wagtail hooks of ordering (点单配送): admin URLs, the 点单配送 menu with the number of orders
waiting to be accepted, and the audit-log actions. Imported from resources/wagtail_hooks.py."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from . import order_services as services
from . import order_views
from .loan_hooks import LoanLogFormatter


@hooks.register("register_admin_urls")
def register_order_urls():
    return [path("orders/", include((order_views.urlpatterns, "resources_orders")))]


class RoleMenuItem(MenuItem):
    """Shown to the hub administrator and to staff of venues with the given role."""

    def __init__(self, label, url, role, **kwargs):
        super().__init__(label, url, **kwargs)
        self.role = role

    def is_shown(self, request):
        user = request.user
        if user.is_superuser:
            return True
        if self.role == "orderer":
            return services.ordering_venues(user).exists()
        if self.role == "provider":
            return services.providing_venues(user).exists()
        return False  # "hub": the administrator only


class PendingMenuItem(RoleMenuItem):
    def render_component(self, request):
        # Menu items are shared between requests: build the label per request, never store it.
        count = services.pending_count(request.user)
        label = f"{self.label}（{count}）" if count else str(self.label)
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs
        )


orders_menu = Menu(
    items=[
        RoleMenuItem(
            _("我点的单"),
            reverse_lazy("resources_orders:outgoing"),
            "orderer",
            name="orders-outgoing",
            icon_name="upload",
            order=100,
        ),
        PendingMenuItem(
            _("待我受理"),
            reverse_lazy("resources_orders:incoming"),
            "provider",
            name="orders-incoming",
            icon_name="download",
            order=200,
        ),
        RoleMenuItem(
            _("新建点单"),
            reverse_lazy("resources_orders:create"),
            "orderer",
            name="orders-new",
            icon_name="plus",
            order=300,
        ),
        RoleMenuItem(
            _("配送统计"),
            reverse_lazy("resources_orders:report"),
            "hub",
            name="orders-report",
            icon_name="table",
            order=400,
        ),
    ]
)


class OrdersSubmenuItem(SubmenuMenuItem):
    def render_component(self, request):
        count = services.pending_count(request.user)
        component = super().render_component(request)
        if count:
            component.label = f"{self.label}（{count}）"
        return component


@hooks.register("register_admin_menu_item")
def register_orders_menu():
    return OrdersSubmenuItem(
        _("点单配送"), orders_menu, name="orders", icon_name="list-ul", order=360
    )


@hooks.register("register_log_actions")
def register_order_log_actions(actions):
    for action, label in services.ACTION_LABELS.items():
        formatter = type(
            "OrderLogFormatter",
            (LoanLogFormatter,),
            {"label": _("点单配送：%(action)s") % {"action": label}, "message": label},
        )
        actions.register_action(services.LOG_PREFIX + action)(formatter)
