"""Builders for open courses and events with registration (the resident builder is
tests.training.factories.make_resident)."""

from datetime import time, timedelta

from django.utils import timezone

from portal.models import EventPage
from resources.models import CourseSession
from tests.resources.factories import make_course
from training.models import Offering

MORNING = (time(9), time(11))


def open_course(owner, capacity=20, first_day_in=7, sessions=3, clock=MORNING, **fields):
    """An open course with `sessions` weekly sessions, the first `first_day_in` days from today
    (negative: already started). Its offering is created by the course's save."""
    first = timezone.localdate() + timedelta(days=first_day_in)
    days = [first + timedelta(weeks=n) for n in range(sessions)]
    fields.setdefault("start_date", first)
    fields.setdefault("end_date", days[-1] if days else first)
    fields.setdefault("status", "open")
    course = make_course(owner, capacity=capacity, **fields)
    for day in days:
        CourseSession.objects.create(course=course, date=day, starts=clock[0], ends=clock[1])
    return course


def offering_of(target):
    field = "event" if isinstance(target, EventPage) else "course"
    return Offering.objects.select_related("course", "event").get(**{field: target})


def publish_event(venue, title="元宵灯谜会", capacity=30, starts_in=timedelta(days=5), **fields):
    start = timezone.now().replace(microsecond=0) + starts_in
    fields.setdefault("end", start + timedelta(hours=2))
    page = venue.page.add_child(
        instance=EventPage(title=title, start=start, place="一楼大厅", capacity=capacity, **fields)
    )
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def session_around_now(course):
    """A session of `course` that is on right now (so it takes check-ins)."""
    import pytest

    now = timezone.localtime()
    start, end = now - timedelta(minutes=5), now + timedelta(minutes=30)
    if start.date() != end.date():
        pytest.skip("a session cannot run across midnight; run this test at another time")
    return CourseSession.objects.create(
        course=course, date=start.date(), starts=start.time(), ends=end.time()
    )


def enrol_early(resident, offering):
    """Enrol as if a week ago, before the course's first session closed enrolment."""
    from training import enrolment

    return enrolment.enrol(resident, offering, now=timezone.now() - timedelta(days=7))
