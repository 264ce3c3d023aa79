"""A course is never over-filled, because the database refuses it and the offering row is locked:
200 residents racing for 30 places on PostgreSQL, and counters written past the service."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from tests.factories import make_network
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from training import enrolment as services
from training.models import Enrolment, Offering, Resident, TrainingSettings

RACERS = 200
PLACES = 30
# Every thread is a real concurrent request, but the PostgreSQL server allows 100 connections
# for everyone (other test runs included): like a web server's connection pool, at most this
# many of the threads hold a connection at once and the others queue for one.
CONNECTIONS = 40


def _residents(count):
    """Residents built in bulk (make_resident's password hashing would take most of the test)."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"1370000{i:04d}") for i in range(count)
    )
    now = timezone.now()
    return Resident.objects.bulk_create(
        Resident(user=user, phone=user.username, real_name=f"居民{i}", consented_at=now)
        for i, user in enumerate(users)
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_hundred_residents_race_for_thirty_places():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises every write on one database lock, so there is no real race to "
            "test; run with DATABASE_URL=postgres://… to exercise the row lock."
        )
    network = make_network()
    course = open_course(network["liling"], capacity=PLACES)
    offering = offering_of(course)
    TrainingSettings.load()  # created once here, not by the first racer
    people = _residents(RACERS)

    start = threading.Barrier(RACERS)
    pool = threading.BoundedSemaphore(CONNECTIONS)
    outcomes, escaped = [], []

    def race(person):
        try:
            start.wait()
            with pool:
                try:
                    enrolment = services.enrol(person, offering)
                    outcomes.append((enrolment.status, enrolment.waitlist_number))
                finally:
                    connections.close_all()
        except BaseException as error:  # noqa: BLE001 - the test reports anything that escapes
            escaped.append(repr(error))

    threads = [threading.Thread(target=race, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert escaped == []
    assert len(outcomes) == RACERS
    assert sum(1 for status, _ in outcomes if status == "enrolled") == PLACES
    numbers = sorted(number for status, number in outcomes if status == "waitlisted")
    assert numbers == list(range(1, RACERS - PLACES + 1))  # no gap, no duplicate

    offering.refresh_from_db()
    assert (offering.enrolled, offering.waitlist_seq) == (PLACES, RACERS - PLACES)
    rows = list(Enrolment.objects.filter(offering=offering).order_by("pk"))
    assert len(rows) == RACERS
    assert len({row.resident_id for row in rows}) == RACERS
    # Rows were written in the order the requests took the lock: the first 30 got the places,
    # the others their waiting numbers in that same order, at non-decreasing times.
    assert [row.status for row in rows] == ["enrolled"] * PLACES + ["waitlisted"] * (
        RACERS - PLACES
    )
    assert [row.waitlist_number for row in rows[PLACES:]] == numbers
    assert [row.created_at for row in rows] == sorted(row.created_at for row in rows)
    course.refresh_from_db()
    assert course.status == "full"


@pytest.mark.django_db
def test_database_refuses_more_enrolled_than_places_written_past_the_service(network):
    offering = offering_of(open_course(network["liling"], capacity=2))
    services.enrol(make_resident(), offering)
    services.enrol(make_resident(), offering)

    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.filter(pk=offering.pk).update(enrolled=F("enrolled") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offering.objects.filter(pk=offering.pk).update(capacity=1)
    offering.refresh_from_db()
    assert (offering.capacity, offering.enrolled) == (2, 2)


@pytest.mark.django_db
def test_database_refuses_a_second_active_enrolment_written_past_the_service(network):
    offering = offering_of(open_course(network["liling"]))
    person = make_resident()
    first = services.enrol(person, offering)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            offering=offering, resident=person, status="waitlisted", waitlist_number=9
        )
    # Once cancelled, a new active enrolment is allowed.
    services.cancel(first)
    Enrolment.objects.create(offering=offering, resident=person, status="enrolled")
    assert Enrolment.objects.filter(offering=offering, resident=person).count() == 2


@pytest.mark.django_db
def test_service_refuses_before_the_database_has_to(network):
    """A full course and a stale copy of its offering: the service reads the locked row, not the
    copy, so the late request waits rather than being refused by the CHECK."""
    offering = offering_of(open_course(network["liling"], capacity=1, first_day_in=2))
    stale = Offering.objects.get(pk=offering.pk)
    services.enrol(make_resident(), offering)
    late = services.enrol(make_resident(), stale, now=timezone.now() + timedelta(minutes=1))
    assert (late.status, late.waitlist_number) == ("waitlisted", 1)
