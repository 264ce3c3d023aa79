"""Public pages: the course menu (/courses/), a course's page with its 报名 button, a resident's
own courses with their QR code and attendance (/courses/me/), and the POST actions behind them.
Every action goes through the services; a refusal comes back as a Chinese message on the page
it was made from."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.models import EventPage
from resources.models import Course
from resources.vocab import CourseStatus

from . import attendance, ratings, schedule
from . import enrolment as services
from .accounts import resident_of
from .menu import filtered_menu, schedule_summary, with_places
from .models import ACTIVE, Enrolment, EnrolmentStatus, Offering
from .rules import RATING_MAX, RATING_MIN

LOGIN_FALLBACK = "/account/login/"


def login_url():
    try:
        return reverse("account:login")
    except NoReverseMatch:  # the account pages are not installed
        return LOGIN_FALLBACK


def login_link(next_url):
    return f"{login_url()}?{urlencode({'next': next_url}, safe='/')}"


def _resident(request):
    return resident_of(request.user) if request.user.is_authenticated else None


# --- the menu and a course's page ---------------------------------------------------------------


def menu(request):
    filterset, courses = filtered_menu(request.GET)
    page = Paginator(courses, 20).get_page(request.GET.get("page"))
    for course in page:
        course.schedule_summary = schedule_summary(course)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/menu.html",
        {"filter": filterset, "courses": page, "query": query.urlencode()},
    )


def public_course(pk):
    courses = (
        Course.objects.public()
        .exclude(status=CourseStatus.DRAFT)
        .select_related("art_form", "owner", "offering")
        .prefetch_related("sessions", "teachers")
    )
    return get_object_or_404(with_places(courses), pk=pk)


def enrol_box(request, offering, back, enrol_url, cancel_url):
    """What the 报名 box of a course or an event page shows to this visitor."""
    if offering is None:
        return {"offering": None}
    resident = _resident(request)
    mine = services.active_enrolment(resident, offering) if resident else None
    return {
        "offering": offering,
        "window": schedule.window(offering),
        "kind": schedule.kind_label(offering),
        "places_left": offering.places_left,
        "waiting": services.waitlist_length(offering),
        "age_range": services.age_range_label(offering),
        "mine": mine,
        "position": services.waitlist_position(mine) if mine else None,
        "is_resident": resident is not None,
        "signed_in": request.user.is_authenticated,
        "login_url": login_link(back),
        "enrol_url": enrol_url,
        "cancel_url": cancel_url,
        "my_courses_url": reverse("training:me"),
    }


def course_page(request, pk):
    course = public_course(pk)
    offering = getattr(course, "offering", None)
    back = reverse("training:course", args=[pk])
    box = enrol_box(
        request,
        offering,
        back,
        reverse("training:enrol", args=[pk]),
        reverse("training:cancel", args=[pk]),
    )
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "box": box,
            "schedule_summary": schedule_summary(course),
            "ratings": ratings.ratings_summary(course=course),
        },
    )


# --- enrolling and cancelling ---------------------------------------------------------------------


def _act(request, offering, back, action):
    """Run `action(resident, offering)` for the signed-in resident and come back to `back`."""
    if not request.user.is_authenticated:
        return redirect_to_login(back, login_url())
    resident = resident_of(request.user)
    if resident is None:
        messages.error(request, _("该账号不是居民账号，不能报名。"))
    elif offering is None:
        messages.error(request, _("该项目目前不接受报名。"))
    else:
        try:
            messages.success(request, action(resident, offering))
        except ValidationError as error:
            messages.error(request, error.messages[0])
    return redirect(back)


def _enrol(resident, offering):
    enrolment = services.enrol(resident, offering)
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _("名额已满，您已进入候补名单，现排第 %(position)s 位。有空位时将自动为您转正。") % {
            "position": enrolment.position_on_enrolment
        }
    return _("报名成功！")


def _cancel(resident, offering):
    enrolment = services.active_enrolment(resident, offering)
    if enrolment is None:
        raise ValidationError(_("您没有该项目的有效报名。"), code="no_enrolment")
    services.cancel(enrolment)
    return _("已取消报名。")


@require_POST
def enrol_course(request, pk):
    course = public_course(pk)
    offering = Offering.objects.filter(course=course).first()
    return _act(request, offering, reverse("training:course", args=[pk]), _enrol)


@require_POST
def cancel_course(request, pk):
    course = public_course(pk)
    offering = Offering.objects.filter(course=course).first()
    return _act(request, offering, reverse("training:course", args=[pk]), _cancel)


def _event(pk):
    return get_object_or_404(EventPage.objects.live().public(), pk=pk)


@require_POST
def enrol_event(request, pk):
    page = _event(pk)
    return _act(request, Offering.objects.filter(event=page).first(), page.url, _enrol)


@require_POST
def cancel_event(request, pk):
    page = _event(pk)
    return _act(request, Offering.objects.filter(event=page).first(), page.url, _cancel)


# --- my courses: QR code, attendance, ratings ------------------------------------------------------

STAR_CHOICES = [(n, "★" * n) for n in range(RATING_MAX, RATING_MIN - 1, -1)]


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=gettext_lazy("课程评分"), choices=STAR_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    teacher = forms.ModelChoiceField(
        label=gettext_lazy("授课教师"), queryset=None, required=False, empty_label=None
    )
    teacher_stars = forms.TypedChoiceField(
        label=gettext_lazy("教师评分"),
        choices=STAR_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("评价（选填）"),
        required=False,
        max_length=ratings.COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, prefix=f"rate-{enrolment.pk}", **kwargs)
        teachers = ratings.teachers_of(enrolment)
        if teachers:
            self.fields["teacher"].queryset = enrolment.offering.course.teachers.all()
            if len(teachers) == 1:
                self.fields["teacher"].widget = forms.HiddenInput()
                self.fields["teacher"].initial = teachers[0].pk
        else:
            del self.fields["teacher"], self.fields["teacher_stars"]


def _my_enrolments(resident):
    return (
        Enrolment.objects.filter(resident=resident, status__in=ACTIVE)
        .select_related("offering__course", "offering__event", "offering__venue", "rating")
        .prefetch_related("offering__course__sessions", "offering__course__teachers", "attendance")
        .order_by("-created_at", "-pk")
    )


def my_courses(request):
    me = reverse("training:me")
    if not request.user.is_authenticated:
        return redirect_to_login(me, login_url())
    resident = resident_of(request.user)
    if resident is None:
        raise Http404(_("该账号不是居民账号。"))
    current, finished = [], []
    for enrolment in _my_enrolments(resident):
        offering = enrolment.offering
        enrolment.position = services.waitlist_position(enrolment)
        enrolment.record = (
            attendance.record_of(enrolment) if enrolment.status == EnrolmentStatus.ENROLLED else []
        )
        enrolment.rating_form = (
            RatingForm(enrolment=enrolment) if ratings.can_rate(enrolment) else None
        )
        enrolment.url = (
            offering.event.url
            if offering.event_id
            else reverse("training:course", args=[offering.course_id])
        )
        (finished if schedule.has_ended(offering) else current).append(enrolment)
    token = attendance.qr_token(resident)
    return render(
        request,
        "training/my_courses.html",
        {
            "resident": resident,
            "current": current,
            "finished": finished,
            "qr_token": token,
            "qr_svg": attendance.qr_svg(token),
        },
    )


@require_POST
def rate(request, pk):
    me = reverse("training:me")
    if not request.user.is_authenticated:
        return redirect_to_login(me, login_url())
    resident = resident_of(request.user)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("offering__course", "offering__event"),
        pk=pk,
        resident=resident,
    )
    form = RatingForm(request.POST, enrolment=enrolment)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
        return redirect(me)
    data = form.cleaned_data
    try:
        ratings.rate(
            enrolment,
            data["stars"],
            teacher_stars=data.get("teacher_stars"),
            teacher=data.get("teacher") if data.get("teacher_stars") else None,
            comment=data["comment"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("感谢您的评价！"))
    return redirect(me)
