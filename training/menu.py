"""The city-wide course menu (菜单式培训): open courses of every public venue, with their places.

One FilterSet serves the public page (/courses/) and the API (GET /api/v1/courses): the
catalogue's venue and district filters, plus art form, audience, fee type, and the weekday and
time of day of a session (both on the same session when both are given)."""

import django_filters
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.plan import Audience, FeeType, Weekday
from resources.catalogue import CatalogueFilter, art_form_filter
from resources.models import Course, CourseSession

from .models import Enrolment, EnrolmentStatus
from .rules import TIME_OF_DAY
from .schedule import ENROLLABLE_STATUSES

TIME_OF_DAY_LABELS = {"morning": _("上午"), "afternoon": _("下午"), "evening": _("晚上")}


def time_of_day(clock):
    """The TIME_OF_DAY bucket a session starting at `clock` falls in."""
    return next(key for key, (start, end) in TIME_OF_DAY.items() if start <= clock.hour < end)


def with_places(courses):
    """Annotate places_left (the course's places when it has no offering yet) and waiting."""
    waiting = (
        Enrolment.objects.filter(offering__course=OuterRef("pk"), status=EnrolmentStatus.WAITLISTED)
        .order_by()
        .values("offering")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return courses.annotate(
        places_left=Coalesce(
            F("offering__capacity") - F("offering__enrolled"),
            F("capacity"),
            output_field=IntegerField(),
        ),
        waiting=Coalesce(Subquery(waiting), Value(0), output_field=IntegerField()),
    )


def menu_courses(today=None):
    """Public courses open for enrolment (or full, with a waiting list) that have not ended."""
    today = today or timezone.localdate()
    courses = (
        Course.objects.public()
        .filter(status__in=ENROLLABLE_STATUSES)
        .exclude(end_date__lt=today)
        .select_related("art_form", "owner", "offering")
        .prefetch_related("sessions")
        .order_by(F("start_date").asc(nulls_last=True), "title", "pk")
    )
    return with_places(courses)


class CourseMenuFilter(CatalogueFilter):
    art_form = art_form_filter("art_form")
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, label=_("适合人群"), empty_label=_("全部人群")
    )
    fee_type = django_filters.ChoiceFilter(
        choices=FeeType.choices, label=_("收费"), empty_label=_("不限")
    )
    weekday = django_filters.ChoiceFilter(
        choices=Weekday.choices,
        label=_("星期"),
        empty_label=_("不限"),
        method="by_session",
    )
    time_of_day = django_filters.ChoiceFilter(
        choices=list(TIME_OF_DAY_LABELS.items()),
        label=_("时段"),
        empty_label=_("不限"),
        method="by_session",
    )

    class Meta:
        model = Course
        fields = []

    def by_session(self, queryset, name, value):
        return queryset  # both are applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        weekday = self.form.cleaned_data.get("weekday")
        part = self.form.cleaned_data.get("time_of_day")
        if weekday in (None, "") and not part:
            return queryset
        sessions = CourseSession.objects.filter(course=OuterRef("pk"))
        if weekday not in (None, ""):
            # Weekday counts from 0 for Monday, ISO from 1.
            sessions = sessions.filter(date__iso_week_day=int(weekday) + 1)
        if part:
            start, end = TIME_OF_DAY[part]
            sessions = sessions.filter(starts__hour__gte=start, starts__hour__lt=end)
        return queryset.filter(Exists(sessions))


def filtered_menu(data):
    """(FilterSet, courses): the menu narrowed by `data` (a QueryDict or dict); invalid values
    leave the FilterSet's form with Chinese errors and the menu unfiltered."""
    filterset = CourseMenuFilter(data or None, queryset=menu_courses())
    if filterset.is_bound and filterset.is_valid():
        return filterset, filterset.qs
    return filterset, filterset.queryset


def schedule_summary(course):
    """周六 上午 · 周日 晚上: the weekdays and times of day its sessions fall on."""
    seen = dict.fromkeys(
        (session.date.weekday(), time_of_day(session.starts)) for session in course.sessions.all()
    )
    return " · ".join(f"{Weekday(day).label}{TIME_OF_DAY_LABELS[part]}" for day, part in seen)
