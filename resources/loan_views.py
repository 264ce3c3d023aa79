"""Admin views of borrowing (借用): incoming and outgoing requests, a request form, a loan's page
with its actions and history. Rights are checked by resources.loan_services; a crafted POST for
someone else's venue gets PermissionDenied (403) there and changes nothing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry

from . import loan_services as services
from .loans import ITEM_FIELDS, Loan, LoanStatus

BOXES = {
    "incoming": (_("收到的借用申请"), "lender"),
    "outgoing": (_("发出的借用申请"), "borrower"),
}


class ForbiddenMixin:
    """Answer PermissionDenied with a real 403. Wagtail's admin wrapper would turn it into a
    redirect to the dashboard, which a crafted POST should not get."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as denied:
            return permission_denied(request, denied)


def _loans_for(user, side):
    loans = Loan.objects.select_related(
        "lender", "borrower", "teacher", "programme", "teaching_asset"
    )
    if user.is_superuser:
        return loans
    return loans.filter(**{f"{side}__in": services.venues_of(user)})


class LoanListView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "resources/loans/index.html"
    header_icon = "clipboard-list"
    box = "incoming"

    def get_page_title(self):
        return BOXES[self.box][0]

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        loans = _loans_for(self.request.user, BOXES[self.box][1])
        status = self.request.GET.get("status", "")
        if status in LoanStatus.values:
            loans = loans.filter(status=status)
        incoming, outgoing = services.pending_counts(self.request.user)
        context.update(
            box=self.box,
            loans=loans,
            status=status,
            statuses=LoanStatus.choices,
            pending_incoming=incoming,
            pending_outgoing=outgoing,
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


class LoanCreateView(ForbiddenMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "resources/loans/create.html"
    form_class = LoanRequestForm
    page_title = _("申请借用")
    header_icon = "plus"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("resources_loans:outgoing"), "label": BOXES["outgoing"][0]},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"resource": self.request.GET.get("resource", "")}

    def post(self, request, *args, **kwargs):
        # A borrower venue the user does not work for is a crafted request: refuse outright.
        borrower = request.POST.get("borrower", "")
        if borrower.isdigit() and not services.venues_of(request.user).filter(pk=borrower).exists():
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        borrower = services.venues_of(self.request.user).get(pk=data["borrower"])
        try:
            loan = services.request_loan(
                self.request.user,
                data["resource"],
                borrower,
                data["start_date"],
                data["end_date"],
                data["purpose"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("借用申请已提交，等待出借场馆审批。"))
        return redirect("resources_loans:detail", loan.pk)


class LoanDetailView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "resources/loans/detail.html"
    header_icon = "clipboard-list"

    def get(self, request, *args, **kwargs):
        self.loan = get_object_or_404(
            Loan.objects.select_related("lender", "borrower", "requested_by", "decided_by"),
            pk=kwargs["pk"],
        )
        if not services.is_party(request.user, self.loan):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("借用详情")

    def get_page_subtitle(self):
        return str(self.loan.item)

    def get_breadcrumbs_items(self):
        box = (
            "incoming" if services.can_act_for(self.request.user, self.loan.lender) else "outgoing"
        )
        return self.breadcrumbs_items + [
            {"url": reverse(f"resources_loans:{box}"), "label": BOXES[box][0]},
            {"url": "", "label": str(self.loan.item)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = services.allowed_actions(self.request.user, self.loan)
        context.update(
            loan=self.loan,
            actions=[(a, services.ACTION_LABELS[a]) for a in actions],
            history=ModelLogEntry.objects.for_instance(self.loan)
            .select_related("user")
            .order_by("timestamp", "pk"),
        )
        return context


class LoanActionView(ForbiddenMixin, View):
    """POST only: apply one transition; the service decides whether this user may."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        loan = get_object_or_404(Loan, pk=pk)
        if action not in services.TRANSITIONS:
            raise PermissionDenied
        try:
            services.transition(request.user, loan, action, request.POST.get("reason", ""))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已%(action)s。") % {"action": services.ACTION_LABELS[action]},
            )
        return redirect("resources_loans:detail", pk)


urlpatterns = [
    path("", LoanListView.as_view(box="incoming"), name="incoming"),
    path("outgoing/", LoanListView.as_view(box="outgoing"), name="outgoing"),
    path("new/", LoanCreateView.as_view(), name="create"),
    path("<int:pk>/", LoanDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:action>/", LoanActionView.as_view(), name="action"),
]
