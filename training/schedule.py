"""When an offering starts and ends, and whether it takes enrolments now.

A course's times come from its sessions (课次), falling back on its start and end dates; an
event's from its start and end. Everything here reads; nothing writes."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from resources.vocab import CourseStatus

# Course statuses in which enrolment (or joining the waiting list) is possible.
ENROLLABLE_STATUSES = (CourseStatus.OPEN, CourseStatus.FULL)


def at(day, clock=time.min):
    return timezone.make_aware(datetime.combine(day, clock))


def sessions_of(offering):
    """The course's sessions in date order (prefetched ones are reused)."""
    if offering.course_id is None:
        return []
    return sorted(offering.course.sessions.all(), key=lambda s: (s.date, s.starts))


def starts_at(offering):
    if offering.event_id:
        return offering.event.start
    sessions = sessions_of(offering)
    if sessions:
        return at(sessions[0].date, sessions[0].starts)
    day = offering.course.start_date
    return at(day) if day else None


def ends_at(offering):
    if offering.event_id:
        return offering.event.end
    sessions = sessions_of(offering)
    if sessions:
        return at(sessions[-1].date, sessions[-1].ends)
    day = offering.course.end_date
    return at(day + timedelta(days=1)) if day else None


def has_ended(offering, now=None):
    end = ends_at(offering)
    return end is not None and end <= (now or timezone.now())


def first_day(offering):
    """The day ages are counted on: the day it starts (today when unknown)."""
    start = starts_at(offering)
    return timezone.localdate(start) if start else timezone.localdate()


def closes_at(offering):
    """The set closing time, else the start of the first session (or of the event)."""
    return offering.closes_at or starts_at(offering)


def kind_label(offering):
    return _("活动") if offering.event_id else _("课程")


def is_available(offering):
    """Whether its course or event is in a state to take enrolments at all."""
    if offering.course_id:
        return offering.course.status in ENROLLABLE_STATUSES
    event = offering.event
    return bool(event.live and event.capacity and not event.registration_url)


STATE_LABELS = {
    "open": gettext_lazy("报名中"),
    "reopened": gettext_lazy("开课后补报名"),
    "not_yet": gettext_lazy("报名未开始"),
    "closed": gettext_lazy("报名已截止"),
    "ended": gettext_lazy("已结束"),
    "unavailable": gettext_lazy("不接受报名"),
}


@dataclass(frozen=True)
class Window:
    state: str  # open, reopened, not_yet, closed, ended, unavailable
    opens_at: datetime | None
    closes_at: datetime | None
    reopened_until: datetime | None

    @property
    def accepting(self):
        return self.state in ("open", "reopened")

    @property
    def label(self):
        return STATE_LABELS[self.state]


def window(offering, now=None):
    now = now or timezone.now()
    close = closes_at(offering)
    reopened = offering.reopened_until

    def state():
        if not is_available(offering):
            return "unavailable"
        if has_ended(offering, now):
            return "ended"
        if offering.opens_at and now < offering.opens_at:
            return "not_yet"
        if close and now >= close:
            return "reopened" if reopened and now < reopened else "closed"
        return "open"

    return Window(state(), offering.opens_at, close, reopened)


def format_moment(moment):
    return dateformat.format(timezone.localtime(moment), "Y年n月j日 H:i")
