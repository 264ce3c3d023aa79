"""Public pages (/volunteers/): the showcase of volunteers who agreed to be shown and of teams,
the annual rankings, the activities with their shifts, the application form and a volunteer's
own page (QR code, shifts, hours, self-reports, certificate). Every action goes through the
services; a refusal comes back as a Chinese message on the page it was made from."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from training.accounts import resident_of

from . import applications, hours, recognition, signups
from .forms import ApplicationForm, SelfReportForm
from .models import Activity, Shift, ShiftSignup, Volunteer, VolunteerStatus
from .rules import SELF_REPORT_WITHIN

LOGIN_FALLBACK = "/account/login/"


def _login(request, next_url=None):
    try:
        url = reverse("account:login")
    except NoReverseMatch:  # the account pages are not installed
        url = LOGIN_FALLBACK
    return redirect_to_login(next_url or request.get_full_path(), url)


def _volunteer(request):
    resident = resident_of(request.user)
    if resident is None:
        return None, None
    return resident, Volunteer.objects.select_related("grid__venue", "team").filter(
        resident=resident
    ).first()


# --- showcase and rankings --------------------------------------------------------------------


def showcase(request):
    volunteers, teams = recognition.showcase()
    return render(request, "volunteers/showcase.html", {"volunteers": volunteers, "teams": teams})


def rankings(request):
    years = recognition.ranking_years()
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        year = years[0]
    volunteers, teams = recognition.rankings(year)
    return render(
        request,
        "volunteers/rankings.html",
        {"year": year, "years": years, "volunteers": volunteers, "teams": teams},
    )


# --- activities ---------------------------------------------------------------------------------


def _upcoming_shifts(now):
    return Shift.objects.filter(ends_at__gt=now).order_by("starts_at")


def activities(request):
    now = timezone.now()
    listed = (
        Activity.objects.filter(published=True, shifts__ends_at__gt=now)
        .distinct()
        .select_related("venue", "grid")
        .prefetch_related(Prefetch("shifts", queryset=_upcoming_shifts(now)))
        .order_by("-created_at")
    )
    return render(request, "volunteers/activities.html", {"activities": listed})


def activity(request, pk):
    now = timezone.now()
    item = get_object_or_404(
        Activity.objects.filter(published=True).select_related("venue", "grid"), pk=pk
    )
    shifts = list(item.shifts.filter(ends_at__gt=now).order_by("starts_at"))
    _resident, volunteer = _volunteer(request)
    mine = {}
    if volunteer is not None:
        held = ShiftSignup.objects.filter(
            volunteer=volunteer, shift__in=shifts, status__in=["signed_up", "confirmed"]
        )
        mine = {signup.shift_id: signup for signup in held}
    for shift in shifts:
        shift.my_signup = mine.get(shift.pk)
    return render(
        request,
        "volunteers/activity.html",
        {"activity": item, "shifts": shifts, "volunteer": volunteer, "now": now},
    )


@require_POST
def sign_up(request, pk):
    shift = get_object_or_404(
        Shift.objects.select_related("activity"), pk=pk, activity__published=True
    )
    back = redirect("volunteers:activity", shift.activity_id)
    if not request.user.is_authenticated:
        return _login(request, reverse("volunteers:activity", args=[shift.activity_id]))
    _resident, volunteer = _volunteer(request)
    if volunteer is None or volunteer.status != VolunteerStatus.APPROVED:
        messages.error(request, _("请先申请成为志愿者，审核通过后即可报名班次。"))
        return back
    try:
        signups.sign_up(volunteer, shift)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("已报名“%(role)s”（%(when)s），请等待工作人员确认。")
            % {"role": shift.role, "when": signups.span(shift)},
        )
    return back


def _my_signup(request, pk):
    _resident, volunteer = _volunteer(request)
    if volunteer is None:
        raise Http404
    return get_object_or_404(
        ShiftSignup.objects.select_related("shift__activity"), pk=pk, volunteer=volunteer
    )


@require_POST
def cancel(request, pk):
    if not request.user.is_authenticated:
        return _login(request)
    signup = _my_signup(request, pk)
    try:
        signups.cancel(signup)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("volunteers:me")


@require_POST
def report(request, pk):
    if not request.user.is_authenticated:
        return _login(request)
    signup = _my_signup(request, pk)
    form = SelfReportForm(request.POST, prefix=f"report-{signup.pk}")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
        return redirect("volunteers:me")
    data = form.cleaned_data
    try:
        record = hours.self_report(signup, data["started_at"], data["ended_at"], data["note"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("已申报 %(hours)s 小时，工作人员确认后计入服务时长。") % {"hours": record.hours},
        )
    return redirect("volunteers:me")


# --- applying, my page, the certificate -------------------------------------------------------


def apply(request):
    if not request.user.is_authenticated:
        return _login(request)
    resident, volunteer = _volunteer(request)
    if resident is None:
        messages.error(request, _("该账号不是居民账号，请用居民账号登录后申请。"))
        return redirect("volunteers:showcase")
    if volunteer is not None and volunteer.status != VolunteerStatus.REJECTED:
        return redirect("volunteers:me")
    form = ApplicationForm(request.POST or None, instance=None)
    if request.method == "POST" and form.is_valid():
        try:
            applications.apply(resident, form.cleaned_data["grid"], **form.details())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("申请已提交，负责该网格的场馆审核后会通知您。"))
            return redirect("volunteers:me")
    return render(
        request,
        "volunteers/apply.html",
        {"form": form, "resident": resident, "previous": volunteer},
    )


def me(request):
    if not request.user.is_authenticated:
        return _login(request)
    resident, volunteer = _volunteer(request)
    if volunteer is None:
        return redirect("volunteers:apply")
    context = {"resident": resident, "volunteer": volunteer}
    if volunteer.status == VolunteerStatus.APPROVED:
        now = timezone.now()
        held = volunteer.signups.select_related("shift__activity__venue", "record").order_by(
            "-shift__starts_at"
        )
        upcoming = [
            s for s in held if s.shift.ends_at > now and s.status in ("signed_up", "confirmed")
        ]
        past = [
            s for s in held if s.shift.ends_at <= now and s.status in ("signed_up", "confirmed")
        ]
        for signup in past:
            record = getattr(signup, "record", None)
            signup.existing_record = record
            if record is None and now <= signup.shift.ends_at + SELF_REPORT_WITHIN:
                signup.report_form = SelfReportForm(
                    prefix=f"report-{signup.pk}",
                    initial={
                        "started_at": timezone.localtime(signup.shift.starts_at),
                        "ended_at": timezone.localtime(signup.shift.ends_at),
                    },
                )
        token = hours.qr_token(volunteer)
        context.update(
            standing=recognition.standing(volunteer),
            upcoming=upcoming,
            past=past,
            qr_token=token,
            qr_svg=hours.qr_svg(token),
        )
    response = render(request, "volunteers/me.html", context)
    response["Cache-Control"] = "no-store"  # the QR code must not outlive the page
    return response


def certificate(request):
    if not request.user.is_authenticated:
        return _login(request)
    _resident, volunteer = _volunteer(request)
    if volunteer is None or volunteer.status != VolunteerStatus.APPROVED:
        raise Http404
    return certificate_response(volunteer)


def certificate_response(volunteer):
    response = HttpResponse(recognition.certificate_pdf(volunteer), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="volunteer-certificate-{volunteer.pk}.pdf"'
    return response
