"""Wagtail hooks of borrowing (借用): admin URLs, the 借用 menu with pending counts, a dashboard
panel and the audit-log actions. Imported from resources/wagtail_hooks.py."""

from django.urls import include, path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.log_actions import LogFormatter

from . import loan_services as services
from . import loan_views


@hooks.register("register_admin_urls")
def register_loan_urls():
    return [path("loans/", include((loan_views.urlpatterns, "resources_loans")))]


def _has_venue(request):
    user = request.user
    return user.is_superuser or services.venues_of(user).exists()


class CountedMenuItem(MenuItem):
    """A link whose label carries the number of requests waiting, e.g. 收到的申请（3）."""

    def __init__(self, label, url, which, **kwargs):
        super().__init__(label, url, **kwargs)
        self.which = which

    def is_shown(self, request):
        return _has_venue(request)

    def render_component(self, request):
        # Menu items are shared between requests: build the label per request, never store it.
        incoming, outgoing = services.pending_counts(request.user)
        count = incoming if self.which == "incoming" else outgoing
        label = f"{self.label}（{count}）" if count else str(self.label)
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs
        )


class NewLoanMenuItem(MenuItem):
    def is_shown(self, request):
        return _has_venue(request)


loans_menu = Menu(
    items=[
        CountedMenuItem(
            _("收到的申请"),
            reverse_lazy("resources_loans:incoming"),
            "incoming",
            name="loans-incoming",
            icon_name="download",
            order=100,
        ),
        CountedMenuItem(
            _("发出的申请"),
            reverse_lazy("resources_loans:outgoing"),
            "outgoing",
            name="loans-outgoing",
            icon_name="upload",
            order=200,
        ),
        NewLoanMenuItem(
            _("申请借用"),
            reverse_lazy("resources_loans:create"),
            name="loans-new",
            icon_name="plus",
            order=300,
        ),
    ]
)


class LoansSubmenuItem(SubmenuMenuItem):
    def render_component(self, request):
        incoming, _outgoing = services.pending_counts(request.user)
        component = super().render_component(request)
        if incoming:
            component.label = f"{self.label}（{incoming}）"
        return component


@hooks.register("register_admin_menu_item")
def register_loans_menu():
    return LoansSubmenuItem(_("借用"), loans_menu, name="loans", icon_name="resubmit", order=350)


class PendingLoansPanel(Component):
    name = "pending_loans"
    template_name = "resources/loans/panel.html"
    order = 110

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        incoming, outgoing = services.pending_counts(self.request.user)
        return {
            "pending_incoming": incoming,
            "pending_outgoing": outgoing,
            "incoming_url": reverse("resources_loans:incoming") + "?status=requested",
            "outgoing_url": reverse("resources_loans:outgoing") + "?status=requested",
        }


@hooks.register("construct_homepage_panels")
def add_pending_loans_panel(request, panels):
    if _has_venue(request):
        panels.append(PendingLoansPanel(request))


class LoanLogFormatter(LogFormatter):
    """Shows the reason given with a decision next to the action in the history."""

    def format_message(self, log_entry):
        reason = (log_entry.data or {}).get("reason")
        if reason:
            return _("%(message)s：%(reason)s") % {"message": self.message, "reason": reason}
        return self.message


@hooks.register("register_log_actions")
def register_loan_log_actions(actions):
    for action, label in services.ACTION_LABELS.items():
        formatter = type(
            "LoanLogFormatter",
            (LoanLogFormatter,),
            {"label": _("借用：%(action)s") % {"action": label}, "message": label},
        )
        actions.register_action(services.LOG_PREFIX + action)(formatter)
