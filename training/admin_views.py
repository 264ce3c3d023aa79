"""培训报名 in the Wagtail admin: 课程报名 (each offering's enrolments and waiting list, front-desk
enrolment, cancelling, reopening, the roll and the QR check-in of a session) and 报名设置 (the
rules of an offering, a ModelViewSet).

Staff see and act on the offerings of their own venues, hub administrators on all
(training.permissions); an offering outside that is a 404. Phone and ID numbers are shown in
full only to the staff of the offering's own venue."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import history as history_views
from wagtail.admin.views.generic import models as generic_views
from wagtail.admin.views.generic import usage as usage_views
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from resources.models import Course, CourseSession

from . import attendance, ratings, schedule
from . import enrolment as services
from .admin_exports import OfferingExportView
from .models import Enrolment, EnrolmentStatus, Offering, Resident
from .permissions import is_training_staff, manages, offerings_for, sees_personal_data
from .unmasked import log_unmasked_view
from .validators import normalise_mobile

URLS = "training_enrolments"


def session_label(session):
    if session is None:
        return _("活动当天")
    return dateformat.format(session.date, "n月j日（D）") + f" {session.starts:%H:%M}"


def staff_offering(request, pk):
    offering = (
        offerings_for(request.user).prefetch_related("course__sessions").filter(pk=pk).first()
    )
    if offering is None:
        raise Http404
    return offering


def offering_session(offering, session_pk):
    """The course session of the URL (None for an event); 404 when it is not this course's."""
    if offering.event_id:
        if session_pk is not None:
            raise Http404
        return None
    return get_object_or_404(CourseSession, pk=session_pk, course_id=offering.course_id)


def held_capacity_note(offering):
    """Why the places shown exceed the course's own number, when they do."""
    target = offering.target.capacity
    if target is not None and offering.capacity > target:
        return _(
            "名额已改为 %(target)s，但目前已有 %(enrolled)s 人报名：不会取消任何人的报名，"
            "名额暂按 %(capacity)s 计，有人退出后逐步减少，直到降到 %(target)s 后才会递补候补。"
        ) % {"target": target, "enrolled": offering.enrolled, "capacity": offering.capacity}
    return ""


class StaffOfferingMixin(WagtailAdminTemplateMixin):
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.offering = staff_offering(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.offering)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{URLS}:index"), "label": _("课程报名")},
            {
                "url": reverse(f"{URLS}:detail", args=[self.offering.pk]),
                "label": str(self.offering),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def back(self):
        return redirect(f"{URLS}:detail", self.offering.pk)


# --- 课程报名: the list and one offering -----------------------------------------------------------


class OfferingIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "training/admin/index.html"
    page_title = gettext_lazy("课程报名")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not is_training_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(
            offerings_for(self.request.user).prefetch_related("course__sessions").order_by("-pk"),
            50,
        ).get_page(self.request.GET.get("p"))
        offerings = list(page)
        waiting = dict(
            Enrolment.objects.filter(offering__in=offerings, status=EnrolmentStatus.WAITLISTED)
            .values_list("offering")
            .annotate(count=Count("pk"))
            .order_by()
        )
        rows = [
            {
                "offering": offering,
                "window": schedule.window(offering),
                "waiting": waiting.get(offering.pk, 0),
                "starts": schedule.starts_at(offering),
            }
            for offering in offerings
        ]
        context.update(rows=rows, page=page)
        return context


class FrontDeskForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("居民手机号"),
        max_length=20,
        help_text=gettext_lazy("为没有智能手机的居民现场报名：输入其登记的手机号。"),
    )

    def clean_phone(self):
        phone = normalise_mobile(self.cleaned_data["phone"])
        resident = Resident.objects.filter(phone=phone).first()
        if resident is None:
            raise ValidationError(_("没有找到使用该手机号的居民，请先为其登记居民账号。"))
        return resident


class ReopenForm(forms.Form):
    until = forms.DateTimeField(
        label=gettext_lazy("补报名截止时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def person_row(enrolment, full):
    resident = enrolment.resident
    return {
        "enrolment": enrolment,
        "name": resident.real_name,
        "phone": resident.phone if full else resident.masked_phone,
        "id_number": resident.id_number if full else resident.masked_id_number,
    }


class OfferingDetailView(StaffOfferingMixin, TemplateView):
    template_name = "training/admin/detail.html"
    page_title = gettext_lazy("报名名单")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{URLS}:index"), "label": _("课程报名")},
            {"url": "", "label": str(self.offering)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offering = self.offering
        full = sees_personal_data(self.request.user, offering)
        enrolments = offering.enrolments.select_related("resident", "registered_by")
        enrolled = [person_row(e, full) for e in enrolments.filter(status=EnrolmentStatus.ENROLLED)]
        waiting = [
            person_row(e, full)
            for e in enrolments.filter(status=EnrolmentStatus.WAITLISTED).order_by(
                "waitlist_number"
            )
        ]
        # Those who left are masked even for the venue: it no longer needs their numbers.
        cancelled = [
            person_row(e, False)
            for e in enrolments.filter(status=EnrolmentStatus.CANCELLED).order_by("-cancelled_at")
        ]
        if full:
            shown = [row["enrolment"].resident for row in enrolled + waiting]
            log_unmasked_view(
                self.request.user, shown, where="enrolment_list", offering=offering.pk
            )
        counts = attendance.present_counts(offering)
        if offering.event_id:
            sessions = [
                {"session": None, "label": session_label(None), "present": counts.get(None, 0)}
            ]
        else:
            sessions = [
                {"session": s, "label": session_label(s), "present": counts.get(s.pk, 0)}
                for s in schedule.sessions_of(offering)
            ]
        window = schedule.window(offering)
        context.update(
            offering=offering,
            window=window,
            full_personal_data=full,
            enrolled=enrolled,
            waiting=waiting,
            cancelled=cancelled,
            sessions=sessions,
            current=attendance.current_session(offering),
            desk_form=FrontDeskForm(),
            reopen_form=ReopenForm() if window.state in ("closed", "reopened") else None,
            held_note=held_capacity_note(offering),
            ratings=ratings.ratings_summary(
                course=offering.course if offering.course_id else None,
                event=offering.event if offering.event_id else None,
            ),
            settings_url=reverse("training_offerings:edit", args=[offering.pk]),
        )
        return context


# --- actions (POST) -------------------------------------------------------------------------------


class FrontDeskEnrolView(StaffOfferingMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = FrontDeskForm(request.POST)
        if not form.is_valid():
            for error in form.errors.get("phone", []):
                messages.error(request, error)
            return self.back()
        resident = form.cleaned_data["phone"]
        try:
            enrolment = services.enrol(resident, self.offering, by=request.user)
        except ValidationError as error:
            messages.error(request, f"{resident.real_name}：{error.messages[0]}")
        else:
            if enrolment.status == EnrolmentStatus.WAITLISTED:
                messages.warning(
                    request,
                    _("名额已满，%(name)s 已进入候补名单（第 %(position)s 位）。")
                    % {
                        "name": resident.real_name,
                        "position": enrolment.position_on_enrolment,
                    },
                )
            else:
                messages.success(request, _("已为 %(name)s 报名。") % {"name": resident.real_name})
        return self.back()


class StaffCancelView(StaffOfferingMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, enrolment_pk):
        enrolment = get_object_or_404(self.offering.enrolments, pk=enrolment_pk)
        try:
            result = services.cancel(enrolment, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            names = "、".join(e.resident.real_name for e in result.promoted)
            message = _("已取消 %(name)s 的报名。") % {"name": enrolment.resident.real_name}
            if names:
                message += _("候补的 %(names)s 已转为正式报名。") % {"names": names}
            messages.success(request, message)
        return self.back()


class ReopenView(StaffOfferingMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        form = ReopenForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写有效的补报名截止时间。"))
            return self.back()
        try:
            services.reopen(self.offering, form.cleaned_data["until"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("已重新开放报名，截止到 %(until)s。")
                % {"until": schedule.format_moment(form.cleaned_data["until"])},
            )
        return self.back()


# --- attendance -------------------------------------------------------------------------------------


class RollView(StaffOfferingMixin, TemplateView):
    """点名: every enrolled person with a box ticked when present."""

    template_name = "training/admin/roll.html"
    page_title = gettext_lazy("点名")

    def dispatch(self, request, *args, **kwargs):
        self.offering = staff_offering(request, kwargs["pk"])
        self.session = offering_session(self.offering, kwargs.get("session_pk"))
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.offering} · {session_label(self.session)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        full = sees_personal_data(self.request.user, self.offering)
        enrolled = list(
            self.offering.enrolments.filter(status=EnrolmentStatus.ENROLLED).select_related(
                "resident"
            )
        )
        if full:
            log_unmasked_view(
                self.request.user,
                [e.resident for e in enrolled],
                where="roll",
                fields=("phone",),
                offering=self.offering.pk,
            )
        marks = dict(
            self.offering.enrolments.filter(attendance__session=self.session).values_list(
                "pk", "attendance__present"
            )
        )
        context.update(
            offering=self.offering,
            session_name=session_label(self.session),
            people=[person_row(e, full) | {"present": marks.get(e.pk)} for e in enrolled],
        )
        return context

    def post(self, request, *args, **kwargs):
        present, absent = attendance.take_roll(
            self.offering,
            self.session,
            [pk for pk in request.POST.getlist("present") if pk.isdigit()],
            request.user,
        )
        messages.success(
            request,
            _("已保存 %(session)s 的考勤：出勤 %(present)s 人，缺勤 %(absent)s 人。")
            % {"session": session_label(self.session), "present": present, "absent": absent},
        )
        return self.back()


class ScanView(StaffOfferingMixin, TemplateView):
    """扫码签到 on a phone: the camera reads a resident's QR code (BarcodeDetector, where the
    browser has it) or the code is typed in; the session on now gets the check-in."""

    template_name = "training/admin/scan.html"
    page_title = gettext_lazy("扫码签到")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = attendance.current_session(self.offering)
        context.update(
            offering=self.offering,
            current=current,
            session_name=session_label(None if current is True else current) if current else "",
        )
        return context

    def post(self, request, pk):
        wants_json = "application/json" in request.headers.get("Accept", "")
        try:
            result = attendance.check_in(self.offering, request.POST.get("token", ""), request.user)
        except ValidationError as error:
            if wants_json:
                return JsonResponse({"ok": False, "message": error.messages[0]}, status=400)
            messages.error(request, error.messages[0])
            return redirect(f"{URLS}:scan", pk)
        resident = result.enrolment.resident
        values = {
            "name": resident.real_name,
            "phone": resident.masked_phone,
            "session": session_label(result.session),
        }
        if result.already:
            message = _("%(name)s（%(phone)s）已签到过（%(session)s）。") % values
        else:
            message = _("%(name)s（%(phone)s）签到成功（%(session)s）。") % values
        if wants_json:
            return JsonResponse({"ok": True, "already": result.already, "message": message})
        messages.success(request, message)
        return redirect(f"{URLS}:scan", pk)


# --- registration with the admin ------------------------------------------------------------------


class TrainingStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_training_staff(request.user)


class EnrolmentAdminViewSet(ViewSet):
    name = URLS
    url_prefix = "training/enrolments"
    menu_label = gettext_lazy("课程报名")
    icon = "group"
    menu_item_class = TrainingStaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", OfferingIndexView.as_view(), name="index"),
            path("<int:pk>/", OfferingDetailView.as_view(), name="detail"),
            path("<int:pk>/enrol/", FrontDeskEnrolView.as_view(), name="enrol"),
            path(
                "<int:pk>/enrolments/<int:enrolment_pk>/cancel/",
                StaffCancelView.as_view(),
                name="cancel",
            ),
            path("<int:pk>/reopen/", ReopenView.as_view(), name="reopen"),
            path("<int:pk>/roll/", RollView.as_view(), name="event_roll"),
            path("<int:pk>/roll/<int:session_pk>/", RollView.as_view(), name="roll"),
            path("<int:pk>/scan/", ScanView.as_view(), name="scan"),
            path("<int:pk>/export.xlsx", OfferingExportView.as_view(), name="export"),
        ]


class OfferingIndexListing(generic_views.IndexView):
    def get_base_queryset(self):
        return offerings_for(self.request.user)


class OwnOfferingMixin:
    """Wagtail's generic views check the model-wide permission only: load the user's own."""

    def get_object(self, *args, **kwargs):
        offering = super().get_object(*args, **kwargs)
        if not manages(self.request.user, offering):
            raise Http404
        return offering


class OfferingHistoryView(OwnOfferingMixin, history_views.HistoryView):
    pass


class OfferingUsageView(OwnOfferingMixin, usage_views.UsageView):
    pass


class OfferingEditView(OwnOfferingMixin, generic_views.EditView):
    """Only the user's offerings, with a word on places held above the course's number."""

    def get(self, request, *args, **kwargs):
        note = held_capacity_note(self.get_object())
        if note:
            messages.warning(request, note)
        return super().get(request, *args, **kwargs)


class OfferingViewSet(ModelViewSet):
    model = Offering
    name = "training_offerings"
    url_prefix = "training/offerings"
    menu_label = gettext_lazy("报名设置")
    icon = "cog"
    form_fields = [
        "opens_at",
        "closes_at",
        "min_age",
        "max_age",
        "requires_id_number",
        "waitlist_limit",
    ]
    list_display = ["__str__", "venue", "capacity", "enrolled", "opens_at", "closes_at"]
    index_view_class = OfferingIndexListing
    edit_view_class = OfferingEditView
    history_view_class = OfferingHistoryView
    usage_view_class = OfferingUsageView
    inspect_view_enabled = False
    copy_view_enabled = False
    ordering = ["-pk"]


class TrainingGroup(ViewSetGroup):
    menu_label = gettext_lazy("培训报名")
    menu_icon = "group"
    menu_order = 360
    items = (EnrolmentAdminViewSet, OfferingViewSet)


def warn_held_capacity(request, instance):
    """After a course is saved in the catalogue: say so when its new number of places is below
    the people already enrolled (nobody is removed)."""
    if isinstance(instance, Course):
        offering = Offering.objects.filter(course=instance).select_related("course").first()
        note = held_capacity_note(offering) if offering else ""
        if note:
            messages.warning(request, note)
