"""志愿服务 in the Wagtail admin, the views that are not plain model forms: reviewing
volunteers, the rosters of activities (confirming sign-ups, entering times, QR check-in and
check-out), hours to confirm and correct, the grid view and the exports.

Staff see and act on their own venues' volunteers and activities, hub administrators on all
(volunteers.permissions); anything outside that is a 404. Phone and ID numbers are shown in full
only to the staff of the volunteer's own venue."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from training.unmasked import log_unmasked_view

from . import applications, exports, hours, recognition, reports, signups
from .forms import (
    ApproveForm,
    CorrectionForm,
    ExportForm,
    PeriodForm,
    ReasonForm,
    ReassignForm,
    StaffTimesForm,
)
from .models import Grid, RecordStatus, Team, VolunteerStatus
from .permissions import (
    activities_for,
    is_volunteer_staff,
    manages_volunteer,
    records_for,
    sees_personal_data,
    signups_for,
    volunteers_visible_to,
)
from .views import certificate_response


def first_error(error):
    return error.messages[0] if isinstance(error, ValidationError) else str(error)


def form_error(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}" if label else errors[0])


class StaffMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not is_volunteer_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_volunteer_staff(request.user)


def person(volunteer, user):
    """What the user may see of a volunteer: everything (own venue), masked numbers (managed by
    a hub administrator) or, for other venues, the name and hours only."""
    resident = volunteer.resident
    full = sees_personal_data(user, volunteer)
    managed = manages_volunteer(user, volunteer)
    return {
        "volunteer": volunteer,
        "name": resident.real_name,
        "managed": managed,
        "full": full,
        "phone": resident.phone if full else (resident.masked_phone if managed else ""),
        "id_number": resident.id_number if full else (resident.masked_id_number if managed else ""),
    }


# --- 志愿者: the list, one volunteer, review -------------------------------------------------


VOLUNTEERS = "volunteer_people"


class VolunteerIndexView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/volunteers.html"
    page_title = gettext_lazy("志愿者")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        status = self.request.GET.get("status", "")
        query = self.request.GET.get("q", "").strip()
        volunteers = volunteers_visible_to(user).order_by("-applied_at", "pk")
        if status in VolunteerStatus.values:
            volunteers = volunteers.filter(status=status)
        if query:
            volunteers = volunteers.filter(
                Q(resident__real_name__icontains=query) | Q(grid__name__icontains=query)
            )
        volunteers = list(volunteers[:500])
        totals = reports._totals(None, None, "signup__volunteer")
        levels = recognition.thresholds()
        rows = []
        for volunteer in volunteers:
            row = person(volunteer, user)
            row["hours"] = totals.get(volunteer.pk, (0, reports.ZERO))[1]
            row["stars"] = recognition.star_label(recognition.star_level(row["hours"], levels))
            rows.append(row)
        full = [row["volunteer"].resident for row in rows if row["full"]]
        log_unmasked_view(user, full, where="volunteer_list", fields=("phone",))
        context.update(rows=rows, status=status, query=query, statuses=VolunteerStatus.choices)
        return context


def visible_volunteer(request, pk):
    volunteer = volunteers_visible_to(request.user).filter(pk=pk).first()
    if volunteer is None:
        raise Http404
    return volunteer


def managed_volunteer(request, pk):
    volunteer = visible_volunteer(request, pk)
    if not manages_volunteer(request.user, volunteer):
        raise Http404
    return volunteer


class VolunteerDetailView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/volunteer.html"
    page_title = gettext_lazy("志愿者")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        volunteer = visible_volunteer(self.request, kwargs["pk"])
        row = person(volunteer, user)
        if row["full"]:
            log_unmasked_view(user, [volunteer.resident], where="volunteer", volunteer=volunteer.pk)
        standing = recognition.standing(volunteer)
        context.update(row=row, volunteer=volunteer, standing=standing)
        if row["managed"]:
            venue_id = volunteer.grid.venue_id
            context.update(
                approve_form=ApproveForm(venue_id=venue_id),
                reject_form=ReasonForm(),
                reassign_form=ReassignForm(
                    grids=Grid.objects.all(),
                    teams=Team.objects.filter(venue_id=venue_id),
                    initial={"grid": volunteer.grid_id, "team": volunteer.team_id},
                ),
                records=volunteer.signups.filter(record__isnull=False)
                .select_related("record", "shift__activity")
                .order_by("-shift__starts_at")[:100],
            )
        return context

    def get_page_subtitle(self):
        return visible_volunteer(self.request, self.kwargs["pk"]).name


class VolunteerActionView(StaffMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        volunteer = managed_volunteer(request, pk)
        try:
            message = self.act(request, volunteer)
        except ValidationError as error:
            messages.error(request, first_error(error))
        else:
            if message:
                messages.success(request, message)
        return redirect(f"{VOLUNTEERS}:detail", pk)


class ApproveView(VolunteerActionView):
    def act(self, request, volunteer):
        form = ApproveForm(request.POST, venue_id=volunteer.grid.venue_id)
        if not form.is_valid():
            form_error(request, form)
            return None
        applications.approve(volunteer, request.user, team=form.cleaned_data["team"])
        return _("已通过 %(name)s 的志愿者申请。") % {"name": volunteer.name}


class RejectView(VolunteerActionView):
    def act(self, request, volunteer):
        applications.reject(volunteer, request.user, request.POST.get("reason", ""))
        return _("已退回 %(name)s 的申请。") % {"name": volunteer.name}


class ReassignView(VolunteerActionView):
    def act(self, request, volunteer):
        form = ReassignForm(
            request.POST,
            grids=Grid.objects.all(),
            teams=Team.objects.all(),
        )
        if not form.is_valid():
            form_error(request, form)
            return None
        applications.reassign(
            volunteer, request.user, form.cleaned_data["grid"], form.cleaned_data["team"]
        )
        return _("已更新 %(name)s 的网格和团队。") % {"name": volunteer.name}


class StaffCertificateView(StaffMixin, View):
    def get(self, request, pk):
        volunteer = managed_volunteer(request, pk)
        if volunteer.status != VolunteerStatus.APPROVED:
            raise Http404
        return certificate_response(volunteer)


class VolunteerViewSet(ViewSet):
    name = VOLUNTEERS
    url_prefix = "volunteers/people"
    menu_label = gettext_lazy("志愿者")
    icon = "user"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", VolunteerIndexView.as_view(), name="index"),
            path("<int:pk>/", VolunteerDetailView.as_view(), name="detail"),
            path("<int:pk>/approve/", ApproveView.as_view(), name="approve"),
            path("<int:pk>/reject/", RejectView.as_view(), name="reject"),
            path("<int:pk>/reassign/", ReassignView.as_view(), name="reassign"),
            path("<int:pk>/certificate.pdf", StaffCertificateView.as_view(), name="certificate"),
        ]


# --- 排班签到: rosters of activities -------------------------------------------------------------


ROSTERS = "volunteer_rosters"


def staff_activity(request, pk):
    activity = activities_for(request.user).filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


class RosterIndexView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/rosters.html"
    page_title = gettext_lazy("排班签到")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activities"] = (
            activities_for(self.request.user)
            .prefetch_related("shifts")
            .order_by("-created_at")[:200]
        )
        return context


class RosterView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/roster.html"
    page_title = gettext_lazy("排班签到")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        activity = staff_activity(self.request, kwargs["pk"])
        shifts = []
        for shift in activity.shifts.order_by("starts_at"):
            people = []
            for signup in shift.signups.select_related(
                "volunteer__resident", "volunteer__grid", "record"
            ).order_by("created_at"):
                row = person(signup.volunteer, user)
                if not row["phone"]:  # another venue's volunteer on this venue's roster
                    row["phone"] = signup.volunteer.resident.masked_phone
                row["signup"] = signup
                row["record"] = getattr(signup, "record", None)
                row["times_form"] = StaffTimesForm(
                    prefix=f"times-{signup.pk}",
                    initial={
                        "started_at": timezone.localtime(shift.starts_at),
                        "ended_at": timezone.localtime(shift.ends_at),
                    },
                )
                people.append(row)
            shifts.append({"shift": shift, "people": people})
        full = [row["volunteer"].resident for s in shifts for row in s["people"] if row["full"]]
        log_unmasked_view(user, full, where="roster", fields=("phone",), activity=activity.pk)
        context.update(activity=activity, shifts=shifts)
        return context

    def get_page_subtitle(self):
        return str(staff_activity(self.request, self.kwargs["pk"]))


def staff_signup(request, pk):
    signup = (
        signups_for(request.user)
        .select_related("shift__activity", "volunteer__resident")
        .filter(pk=pk)
        .first()
    )
    if signup is None:
        raise Http404
    return signup


class SignupActionView(StaffMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        signup = staff_signup(request, pk)
        try:
            message = self.act(request, signup)
        except ValidationError as error:
            messages.error(request, f"{signup.volunteer.name}：{first_error(error)}")
        else:
            if message:
                messages.success(request, message)
        return redirect(f"{ROSTERS}:roster", signup.shift.activity_id)


class ConfirmSignupView(SignupActionView):
    def act(self, request, signup):
        signups.confirm(signup, request.user)
        return _("已确认 %(name)s 参加。") % {"name": signup.volunteer.name}


class DeclineSignupView(SignupActionView):
    def act(self, request, signup):
        signups.decline(signup, request.user)
        return _("已婉拒 %(name)s，名额已释放。") % {"name": signup.volunteer.name}


class StaffTimesView(SignupActionView):
    def act(self, request, signup):
        form = StaffTimesForm(request.POST, prefix=f"times-{signup.pk}")
        if not form.is_valid():
            form_error(request, form)
            return None
        data = form.cleaned_data
        record = hours.record_by_staff(
            signup, data["started_at"], data["ended_at"], request.user, note=data["note"]
        )
        return _("已为 %(name)s 登记 %(hours)s 小时。") % {
            "name": signup.volunteer.name,
            "hours": record.hours,
        }


SCAN_MESSAGES = {
    "in": gettext_lazy("%(name)s（%(phone)s）签到成功：%(role)s。"),
    "out": gettext_lazy("%(name)s（%(phone)s）签退成功，计 %(hours)s 小时。"),
    "again": gettext_lazy("%(name)s（%(phone)s）刚刚已签到，再次扫码请在 5 分钟后（签退）。"),
    "done": gettext_lazy("%(name)s（%(phone)s）已签退过。"),
}


class ScanView(StaffMixin, TemplateView):
    """扫码签到/签退 on a phone: the camera reads a volunteer's QR code (BarcodeDetector, where
    the browser has it) or the code is typed in."""

    template_name = "volunteers/admin/scan.html"
    page_title = gettext_lazy("扫码签到签退")

    def dispatch(self, request, *args, **kwargs):
        if is_volunteer_staff(request.user):
            self.activity = staff_activity(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.activity)

    def get_context_data(self, **kwargs):
        return super().get_context_data(activity=self.activity, **kwargs)

    def post(self, request, pk):
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            result = hours.scan(self.activity, request.POST.get("token", ""), request.user)
        except ValidationError as error:
            if wants_json:
                return JsonResponse({"ok": False, "message": first_error(error)}, status=400)
            messages.error(request, first_error(error))
            return redirect(f"{ROSTERS}:scan", pk)
        volunteer = result.signup.volunteer
        message = SCAN_MESSAGES[result.action] % {
            "name": volunteer.name,
            "phone": volunteer.resident.masked_phone,
            "role": result.signup.shift.role,
            "hours": result.record.hours if result.record else "",
        }
        if wants_json:
            return JsonResponse({"ok": True, "action": result.action, "message": message})
        messages.success(request, message)
        return redirect(f"{ROSTERS}:scan", pk)


class RosterViewSet(ViewSet):
    name = ROSTERS
    url_prefix = "volunteers/rosters"
    menu_label = gettext_lazy("排班签到")
    icon = "list-ul"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", RosterIndexView.as_view(), name="index"),
            path("<int:pk>/", RosterView.as_view(), name="roster"),
            path("<int:pk>/scan/", ScanView.as_view(), name="scan"),
            path("signups/<int:pk>/confirm/", ConfirmSignupView.as_view(), name="confirm"),
            path("signups/<int:pk>/decline/", DeclineSignupView.as_view(), name="decline"),
            path("signups/<int:pk>/times/", StaffTimesView.as_view(), name="times"),
        ]


# --- 时长确认: hours to confirm, corrections -----------------------------------------------------


HOURS = "volunteer_hours"


def staff_record(request, pk):
    record = records_for(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


class HoursIndexView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/hours.html"
    page_title = gettext_lazy("时长确认")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status") or RecordStatus.PENDING
        if status not in RecordStatus.values:
            status = RecordStatus.PENDING
        records = records_for(self.request.user).filter(status=status).order_by("-started_at")[:300]
        context.update(
            records=records, status=status, statuses=RecordStatus.choices, reject_form=ReasonForm()
        )
        return context


class RecordView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/record.html"
    page_title = gettext_lazy("服务记录")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = staff_record(self.request, kwargs["pk"])
        context.update(
            record=record,
            corrections=hours.corrections_of(record),
            correction_form=CorrectionForm(
                initial={
                    "started_at": timezone.localtime(record.started_at),
                    "ended_at": timezone.localtime(record.ended_at),
                }
            ),
            reject_form=ReasonForm(),
        )
        return context


class RecordActionView(StaffMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        record = staff_record(request, pk)
        try:
            message = self.act(request, record)
        except ValidationError as error:
            messages.error(request, first_error(error))
        else:
            if message:
                messages.success(request, message)
        return redirect(request.POST.get("next") or reverse(f"{HOURS}:record", args=[pk]))


class ConfirmRecordView(RecordActionView):
    def act(self, request, record):
        hours.confirm_record(record, request.user)
        return _("已确认 %(name)s 的 %(hours)s 小时。") % {
            "name": record.volunteer.name,
            "hours": record.hours,
        }


class RejectRecordView(RecordActionView):
    def act(self, request, record):
        hours.reject_record(record, request.user, request.POST.get("reason", ""))
        return _("已退回 %(name)s 的时长申报。") % {"name": record.volunteer.name}


class CorrectRecordView(RecordActionView):
    def act(self, request, record):
        form = CorrectionForm(request.POST)
        if not form.is_valid():
            form_error(request, form)
            return None
        data = form.cleaned_data
        record = hours.correct_record(
            record, request.user, data["started_at"], data["ended_at"], data["reason"]
        )
        return _("已更正为 %(hours)s 小时。") % {"hours": record.hours}


class HoursViewSet(ViewSet):
    name = HOURS
    url_prefix = "volunteers/hours"
    menu_label = gettext_lazy("时长确认")
    icon = "time"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", HoursIndexView.as_view(), name="index"),
            path("<int:pk>/", RecordView.as_view(), name="record"),
            path("<int:pk>/confirm/", ConfirmRecordView.as_view(), name="confirm"),
            path("<int:pk>/reject/", RejectRecordView.as_view(), name="reject"),
            path("<int:pk>/correct/", CorrectRecordView.as_view(), name="correct"),
        ]


# --- 网格统计 and 数据导出 -----------------------------------------------------------------------


REPORTS = "volunteer_reports"


def this_year():
    today = timezone.localdate()
    return date(today.year, 1, 1), today


class GridReportView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/grid_report.html"
    page_title = gettext_lazy("网格统计")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start, end = this_year()
        form = PeriodForm(self.request.GET or None, initial={"start": start, "end": end})
        if form.is_bound and form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        lines = reports.by_grid(start, end)
        context.update(
            form=form,
            start=start,
            end=end,
            lines=lines,
            empty=[line for line in lines if line.extra["empty"]],
        )
        return context


class ExportView(StaffMixin, TemplateView):
    template_name = "volunteers/admin/export.html"
    page_title = gettext_lazy("数据导出")

    def get(self, request, *args, **kwargs):
        start, end = this_year()
        form = ExportForm(
            request.GET or None, initial={"start": start, "end": end, "kind": "volunteer"}
        )
        if form.is_bound and form.is_valid():
            kind, start, end = (form.cleaned_data[k] for k in ("kind", "start", "end"))
            if kind == "records":
                content = exports.service_records_workbook(request.user, start, end)
            else:
                content = exports.hours_workbook(kind, request.user, start, end)
            response = HttpResponse(content, content_type=exports.XLSX)
            response["Content-Disposition"] = (
                f'attachment; filename="{exports.filename(kind, start, end)}"'
            )
            return response
        return self.render_to_response(self.get_context_data(form=form))


class GridReportViewSet(ViewSet):
    name = REPORTS
    url_prefix = "volunteers/grid-report"
    menu_label = gettext_lazy("网格统计")
    icon = "table"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [path("", GridReportView.as_view(), name="grids")]


class ExportViewSet(ViewSet):
    name = "volunteer_exports"
    url_prefix = "volunteers/export"
    menu_label = gettext_lazy("数据导出")
    icon = "download"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [path("", ExportView.as_view(), name="export")]
