"""Admin views of ordering (点单配送): 我点的单 and 待我受理 lists, the order form for branches, an
order's page with its timeline and the steps open to the user, and the hub's report by district.
Rights are checked by resources.order_services; a crafted POST gets a 403 and changes nothing."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets.button import Button
from wagtail.images.fields import WagtailImageField

from network.plan import ORDER_RATING_RANGE
from portal.admin_views import ForbiddenMixin

from . import order_services as services
from .models import Teacher
from .orders import OrderStatus, ServiceOrder
from .request_views import (
    RequestActionView,
    RequestCreateView,
    RequestDetailView,
    RequestListView,
)

BOXES = {
    "outgoing": (_("我点的单"), "orderer"),
    "incoming": (_("待我受理"), "provider"),
}
DATE_INPUT = forms.DateInput(attrs={"type": "date"})
TIME_INPUT = forms.TimeInput(attrs={"type": "time"})


class OrderScreens:
    boxes = BOXES
    namespace = "resources_orders"


class OrderListView(OrderScreens, RequestListView):
    template_name = "resources/orders/index.html"
    header_icon = "list-ul"
    box = "outgoing"
    statuses = OrderStatus
    context_object_name = "orders"

    def requests_in_box(self, side):
        return services.orders_for(self.request.user, side)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            pending=services.pending_count(user),
            may_order=user.is_superuser or services.ordering_venues(user).exists(),
        )
        return context


# --- placing an order --------------------------------------------------------------------------


class OrderForm(forms.Form):
    orderer = forms.TypedChoiceField(label=_("点单场馆"), coerce=int)
    item = forms.ChoiceField(label=_("课程包或节目"))
    date = forms.DateField(label=_("配送日期"), required=False, widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("开始时间（选填）"), required=False, widget=TIME_INPUT)
    place = forms.CharField(label=_("地点"), required=False, max_length=200)
    audience_size = forms.IntegerField(label=_("预计人数"), required=False)
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = services.ordering_venues(user).order_by("district", "code")
        self.fields["orderer"].choices = [(v.pk, str(v)) for v in own]
        self.fields["item"].choices = self._menu_choices(own)

    @staticmethod
    def _menu_choices(own):
        """The menus the user's venues may order from, one group per provider."""
        providers = {p.pk: p for venue in own for p in services.providers_for(venue)}
        courses, programmes = services.menu_of(list(providers))
        groups = []
        for provider in providers.values():
            choices = [
                (services.item_key(c), _("课程包：%(title)s") % {"title": c})
                for c in courses
                if c.owner_id == provider.pk
            ] + [
                (services.item_key(p), _("节目：%(title)s") % {"title": p})
                for p in programmes
                if p.owner_id == provider.pk
            ]
            if choices:
                groups.append((str(provider), choices))
        return groups


class OrderCreateView(OrderScreens, RequestCreateView):
    template_name = "resources/orders/create.html"
    form_class = OrderForm
    page_title = _("新建点单")
    venue_field = "orderer"
    success_message = _("已点单，等待配送场馆受理。")

    def venues_of(self, user):
        return services.venues_of(user)

    def get_initial(self):
        return {"item": self.request.GET.get("item", "")}

    def submit(self, form, orderer):
        data = form.cleaned_data
        return services.place_order(
            self.request.user,
            orderer,
            services.find_item(data["item"]),
            data["date"],
            data["place"],
            data["audience_size"],
            note=data["note"],
            start_time=data["start_time"],
        )


# --- the steps: one small form each, applied through the service -------------------------------


class StepForm(forms.Form):
    multipart = False

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = order

    def apply(self, user):
        raise NotImplementedError


class AcceptForm(StepForm):
    teachers = forms.ModelMultipleChoiceField(
        label=_("指派师资/演职人员"),
        queryset=Teacher.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("说明（选填）"), required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        self.fields["teachers"].queryset = Teacher.objects.filter(owner=order.provider_id)
        if order.course_id:
            self.fields["teachers"].initial = list(
                order.course.teachers.filter(owner=order.provider_id)
            )

    def apply(self, user):
        data = self.cleaned_data
        return services.accept(user, self.order, data["teachers"], data["note"])


class ScheduleForm(StepForm):
    start_time = forms.TimeField(label=_("开始时间"), required=False, widget=TIME_INPUT)
    place = forms.CharField(label=_("地点"), required=False, max_length=200)
    note = forms.CharField(label=_("说明（选填）"), required=False)

    def __init__(self, *args, order, **kwargs):
        super().__init__(*args, order=order, **kwargs)
        self.initial.update(start_time=order.start_time, place=order.place)

    def apply(self, user):
        data = self.cleaned_data
        return services.schedule(user, self.order, data["start_time"], data["place"], data["note"])


class DeclineForm(StepForm):
    reason = forms.CharField(label=_("拒绝理由（必填）"), required=False)

    def apply(self, user):
        return services.decline(user, self.order, self.cleaned_data["reason"])


class CancelForm(StepForm):
    reason = forms.CharField(label=_("取消原因（选填）"), required=False)

    def apply(self, user):
        return services.cancel(user, self.order, self.cleaned_data["reason"])


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(WagtailImageField):
    """Several images in one input (Django's documented pattern), each checked by Wagtail."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class DeliverForm(StepForm):
    multipart = True
    attendance = forms.IntegerField(label=_("实到人数（必填）"), required=False)
    photos = MultipleImageField(label=_("现场照片"), required=False)
    note = forms.CharField(
        label=_("配送情况（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def apply(self, user):
        data = self.cleaned_data
        return services.confirm_delivery(
            user, self.order, data["attendance"], uploads=data["photos"], note=data["note"]
        )


class RateForm(StepForm):
    rating = forms.TypedChoiceField(
        label=_("评分"),
        required=False,
        coerce=int,
        choices=[("", "—")]
        + [(n, f"{n} 星") for n in range(ORDER_RATING_RANGE[0], ORDER_RATING_RANGE[1] + 1)],
    )
    comment = forms.CharField(
        label=_("评价（选填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def apply(self, user):
        data = self.cleaned_data
        return services.rate(user, self.order, data["rating"], data["comment"])


STEP_FORMS = {
    "accept": AcceptForm,
    "schedule": ScheduleForm,
    "deliver": DeliverForm,
    "rate": RateForm,
    "decline": DeclineForm,
    "cancel": CancelForm,
}


class OrderDetailView(OrderScreens, RequestDetailView):
    template_name = "resources/orders/detail.html"
    header_icon = "list-ul"
    queryset = ServiceOrder.objects.select_related(
        "orderer", "provider", "course", "programme", "created_by"
    )
    context_object_name = "order"
    page_title = _("点单详情")

    def may_view(self, user, order):
        return services.can_view(user, order)

    def is_requester(self, user, order):
        return services.can_act_for(user, order.orderer)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        steps = [
            (action, services.ACTION_LABELS[action], STEP_FORMS[action](order=order, prefix=action))
            for action in services.allowed_actions(self.request.user, order)
        ]
        context.update(
            steps=steps,
            loans=order.loans.select_related("teacher", "programme"),
            photos=order.photos.all(),
            timeline=order.events.select_related("actor"),
            labels=services.ACTION_LABELS,
        )
        return context


class OrderActionView(RequestActionView):
    model = ServiceOrder
    namespace = "resources_orders"
    action_labels = services.ACTION_LABELS

    def apply(self, request, order, action):
        if action not in STEP_FORMS or not services.can_view(request.user, order):
            raise PermissionDenied
        form = STEP_FORMS[action](request.POST, request.FILES, order=order, prefix=action)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        form.apply(request.user)


# --- the hub's report --------------------------------------------------------------------------


class ReportPeriodForm(forms.Form):
    date_from = forms.DateField(label=_("开始日期"), widget=DATE_INPUT)
    date_to = forms.DateField(label=_("结束日期"), widget=DATE_INPUT)


class OrderReportView(
    ForbiddenMixin, SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView
):
    """What was ordered, delivered and rated in a period, by district; .xlsx on request."""

    template_name = "resources/orders/report.html"
    page_title = _("点单配送统计")
    header_icon = "table"
    FORMATS = (SpreadsheetExportMixin.FORMAT_XLSX,)
    list_export = [
        "district",
        "ordered",
        "declined",
        "cancelled",
        "delivered",
        "attendance",
        "rated",
        "average_rating",
    ]
    export_headings = {
        "district": _("区县"),
        "ordered": _("点单数"),
        "declined": _("已拒绝"),
        "cancelled": _("已取消"),
        "delivered": _("已配送"),
        "attendance": _("服务人次"),
        "rated": _("已评价"),
        "average_rating": _("平均评分"),
    }

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def get(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied  # the hub administrator's view
        today = timezone.localdate()
        default = {"date_from": today.replace(day=1), "date_to": today}
        self.form = ReportPeriodForm(request.GET if "date_from" in request.GET else default)
        self.rows = []
        if self.form.is_valid():
            try:
                self.rows = services.district_report(
                    self.form.cleaned_data["date_from"], self.form.cleaned_data["date_to"]
                )
            except ValidationError as error:
                self.form.add_error(None, error)
        if self.is_export and self.rows:
            return self.as_spreadsheet(self.rows, self.FORMAT_XLSX)
        return super().get(request, *args, **kwargs)

    def get_filename(self):
        data = self.form.cleaned_data
        return f"点单配送统计_{data['date_from']}_{data['date_to']}"

    @property
    def header_more_buttons(self):
        if not self.rows:
            return []
        return [Button(_("导出 Excel"), url=self.xlsx_export_url, icon_name="download")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=self.form, rows=self.rows, headings=self.export_headings)
        return context


urlpatterns = [
    path("", OrderListView.as_view(box="outgoing"), name="outgoing"),
    path("incoming/", OrderListView.as_view(box="incoming"), name="incoming"),
    path("new/", OrderCreateView.as_view(), name="create"),
    path("report/", OrderReportView.as_view(), name="report"),
    path("<int:pk>/", OrderDetailView.as_view(), name="detail"),
    path("<int:pk>/<str:action>/", OrderActionView.as_view(), name="action"),
]
