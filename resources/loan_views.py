"""Admin views of borrowing (借用): incoming and outgoing requests, a request form, a loan's page
with its actions and history. Rights are checked by resources.loan_services; a crafted POST for
someone else's venue gets PermissionDenied (403) there and changes nothing."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from . import loan_services as services
from .loans import ITEM_FIELDS, Loan, LoanStatus
from .request_views import (
    RequestActionView,
    RequestCreateView,
    RequestDetailView,
    RequestListView,
)

BOXES = {
    "incoming": (_("收到的借用申请"), "lender"),
    "outgoing": (_("发出的借用申请"), "borrower"),
}


class LoanScreens:
    boxes = BOXES
    namespace = "resources_loans"


def _loans_for(user, side):
    loans = Loan.objects.select_related(
        "lender", "borrower", "teacher", "programme", "teaching_asset"
    )
    if user.is_superuser:
        return loans
    return loans.filter(**{f"{side}__in": services.venues_of(user)})


class LoanListView(LoanScreens, RequestListView):
    template_name = "resources/loans/index.html"
    header_icon = "clipboard-list"
    box = "incoming"
    statuses = LoanStatus
    context_object_name = "loans"

    def requests_in_box(self, side):
        return _loans_for(self.request.user, side)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pending_incoming"], context["pending_outgoing"] = services.pending_counts(
            self.request.user
        )
        return context


class LoanRequestForm(forms.Form):
    borrower = forms.TypedChoiceField(label=_("借用场馆"), coerce=int)
    resource = forms.ChoiceField(label=_("借用资源"))
    start_date = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label=_("用途"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        own = services.venues_of(user).order_by("name")
        self.fields["borrower"].choices = [(v.pk, str(v)) for v in own]
        self.fields["resource"].choices = self._resource_choices(own)

    def _resource_choices(self, own):
        """Lendable items visible to the user from other venues, grouped by kind."""
        own_ids = [] if self.user.is_superuser else list(own.values_list("pk", flat=True))
        groups = []
        for prefix, field in ITEM_FIELDS.items():
            model = Loan._meta.get_field(field).related_model
            items = (
                model.objects.visible_to(self.user)
                .filter(lendable=True)
                .exclude(owner__in=own_ids)
                .select_related("owner")
            )
            choices = [(f"{prefix}:{i.pk}", f"{i}（{i.owner}）") for i in items]
            if choices:
                groups.append((model._meta.verbose_name, choices))
        return groups

    def clean_resource(self):
        item = services.find_item(self.cleaned_data["resource"], self.user)
        if item is None:
            raise ValidationError(_("所选资源不存在或不可见。"))
        return item


class LoanCreateView(LoanScreens, RequestCreateView):
    template_name = "resources/loans/create.html"
    form_class = LoanRequestForm
    page_title = _("申请借用")
    venue_field = "borrower"
    success_message = _("借用申请已提交，等待出借场馆审批。")

    def venues_of(self, user):
        return services.venues_of(user)

    def get_initial(self):
        return {"resource": self.request.GET.get("resource", "")}

    def submit(self, form, borrower):
        data = form.cleaned_data
        return services.request_loan(
            self.request.user,
            data["resource"],
            borrower,
            data["start_date"],
            data["end_date"],
            data["purpose"],
        )


class LoanDetailView(LoanScreens, RequestDetailView):
    template_name = "resources/loans/detail.html"
    header_icon = "clipboard-list"
    queryset = Loan.objects.select_related("lender", "borrower", "requested_by", "decided_by")
    context_object_name = "loan"
    page_title = _("借用详情")

    def may_view(self, user, loan):
        return services.is_party(user, loan)

    def is_requester(self, user, loan):
        return not services.can_act_for(user, loan.lender)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = services.allowed_actions(self.request.user, self.object)
        context.update(
            actions=[(a, services.ACTION_LABELS[a]) for a in actions],
            history=ModelLogEntry.objects.for_instance(self.object)
            .select_related("user")
            .order_by("timestamp", "pk"),
        )
        return context


class LoanActionView(RequestActionView):
    model = Loan
    namespace = "resources_loans"
    action_labels = services.ACTION_LABELS

    def apply(self, request, loan, action):
        if action not in services.TRANSITIONS:
            raise PermissionDenied
        services.transition(request.user, loan, action, request.POST.get("reason", ""))


urlpatterns = [
    path("", LoanListView.as_view(box="incoming"), name="incoming"),
    path("outgoing/", LoanListView.as_view(box="outgoing"), name="outgoing"),
    path("new/", LoanCreateView.as_view(), name="create"),
    path("<int:pk>/", LoanDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:action>/", LoanActionView.as_view(), name="action"),
]
