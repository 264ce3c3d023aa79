"""Admin pages of opening compliance: the list for the hub and main centres, staff check-in,
and the import of actual openings."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.admin_views import ForbiddenMixin

from . import compliance, opening_services
from .models import Venue
from .plan import OPENING_DUTIES
from .services import venues_for_user

app_name = "network_compliance"


def chosen_week(request):
    """The Monday of ?week=YYYY-MM-DD, or of last week (the latest complete one)."""
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate() - timedelta(days=7)
    return compliance.week_start(day)


class OverseerMixin(ForbiddenMixin):
    """Only for the hub's and the main centres' staff."""

    def dispatch(self, request, *args, **kwargs):
        if not compliance.scope_for(request.user).exists():
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class ComplianceView(OverseerMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "network/compliance/index.html"
    page_title = gettext_lazy("开放时间合规")
    header_icon = "time"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        monday = chosen_week(self.request)
        show_all = self.request.GET.get("all") == "1"
        results = compliance.assess_scope(self.request.user, monday, only_failing=not show_all)
        context.update(
            results=results,
            monday=monday,
            sunday=monday + timedelta(days=6),
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
            show_all=show_all,
            duties=[(level, duty) for level, duty in OPENING_DUTIES.items()],
        )
        return context


class CheckinView(ForbiddenMixin, WagtailAdminTemplateMixin, TemplateView):
    """开馆打卡 / 闭馆打卡 for the venues the user works for."""

    template_name = "network/compliance/checkin.html"
    page_title = gettext_lazy("开馆打卡")
    header_icon = "time"

    def venues(self):
        return venues_for_user(self.request.user).filter(level__in=list(OPENING_DUTIES))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = [(v, opening_services.open_checkin(v)) for v in self.venues()]
        context["rows"] = rows
        return context

    def post(self, request):
        venue = get_object_or_404(Venue, pk=request.POST.get("venue") or 0)
        try:
            if request.POST.get("action") == "close":
                opening_services.check_out(request.user, venue)
                messages.success(request, _("%(venue)s已闭馆打卡。") % {"venue": venue})
            else:
                is_free = request.POST.get("is_free") == "1"
                opening_services.check_in(request.user, venue, is_free=is_free)
                messages.success(request, _("%(venue)s已开馆打卡。") % {"venue": venue})
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("network_compliance:checkin")


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("文件（.xlsx 或 .csv）"))


class ImportOpeningsView(OverseerMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "network/compliance/import.html"
    page_title = gettext_lazy("导入实际开放记录")
    header_icon = "upload"
    form_class = UploadForm

    def form_valid(self, form):
        try:
            count = opening_services.import_openings(self.request.user, form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("已导入 %(count)d 条开放记录。") % {"count": count})
        return redirect("network_compliance:index")


urlpatterns = [
    path("", ComplianceView.as_view(), name="index"),
    path("checkin/", CheckinView.as_view(), name="checkin"),
    path("import/", ImportOpeningsView.as_view(), name="import"),
]
