"""training.enrol_sql states in SQL which courses take enrolments through the API (public, not
a draft, of a venue in the public network); these tests keep it in step with the ORM's
Course.objects.public() and check that the rows it reads come back as the ORM reads them."""

import itertools

import pytest

from network.plan import Status
from resources.models import Course
from resources.vocab import CourseStatus, Visibility
from tests.training.courses import offering_of, open_course
from training import enrol_sql

pytestmark = pytest.mark.django_db


def test_the_sql_finds_exactly_the_courses_the_orm_calls_public(network):
    venue = network["liling"]
    course = open_course(venue)
    combinations = itertools.product(Visibility.values, CourseStatus.values, Status.values)
    for visibility, status, venue_status in combinations:
        Course.objects.filter(pk=course.pk).update(visibility=visibility, status=status)
        type(venue).objects.filter(pk=venue.pk).update(status=venue_status)
        orm = Course.objects.public().exclude(status=CourseStatus.DRAFT).filter(pk=course.pk)
        found, _ = enrol_sql.lock_public_course_offering(course.pk)
        assert (found is not None) == orm.exists(), (visibility, status, venue_status)


def test_the_locked_offering_reads_as_the_orm_reads_it(network):
    course = open_course(network["liling"], capacity=12, sessions=4)
    expected = offering_of(course)
    found, held = enrol_sql.lock_public_course_offering(course.pk)
    assert held == []
    for field in type(expected)._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.course.title == course.title and found.course.start_date == course.start_date
    sessions = [(s.date, s.starts, s.ends) for s in found.course.sessions.all()]
    assert sorted(sessions) == sorted((s.date, s.starts, s.ends) for s in course.sessions.all())
    assert len(sessions) == 4


def test_a_missing_course_is_none(network):
    assert enrol_sql.lock_public_course_offering(987654, 1) == (None, [])


def test_what_the_resident_holds_comes_with_the_offering(network):
    from tests.training.factories import make_resident
    from training import enrolment as services

    first, second = open_course(network["liling"]), open_course(network["liling"])
    resident = make_resident()
    held_first = services.enrol(resident, offering_of(first))
    held_second = services.enrol(resident, offering_of(second))
    services.cancel(held_second)
    offering, held = enrol_sql.lock_public_course_offering(second.pk, resident.pk)
    assert offering.course_id == second.pk
    assert [(h.pk, h.offering_id, h.status) for h in held] == [
        (held_first.pk, held_first.offering_id, "enrolled")
    ]
    assert enrol_sql.lock_public_course_offering(second.pk, make_resident().pk)[1] == []
