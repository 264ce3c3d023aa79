"""A shift is never over-filled: 60 volunteers racing for 12 places on PostgreSQL (the shift row
is locked and a CHECK keeps `taken` within `places`), and one volunteer racing for two
overlapping shifts gets one of them."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from tests.factories import make_network
from training.models import Resident
from volunteers import signups
from volunteers.models import Shift, ShiftSignup, Volunteer, VolunteerStatus

from .factories import make_activity, make_grid, make_shift

RACERS = 60
PLACES = 12
# At most this many threads hold a database connection at once (the server's limit is shared).
CONNECTIONS = 30


def _skip_unless_postgres():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises every write on one database lock, so there is no real race to "
            "test; run with DATABASE_URL=postgres://… to exercise the row lock."
        )


def _volunteers(grid, count):
    """Approved volunteers built in bulk (password hashing would take most of the test)."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"1360000{i:04d}") for i in range(count)
    )
    now = timezone.now()
    residents = Resident.objects.bulk_create(
        Resident(user=user, phone=user.username, real_name=f"志愿者{i}", consented_at=now)
        for i, user in enumerate(users)
    )
    return Volunteer.objects.bulk_create(
        Volunteer(resident=r, grid=grid, status=VolunteerStatus.APPROVED, applied_at=now)
        for r in residents
    )


def _race(calls):
    """Run every (function, args) at once; returns (results, refusals, escaped errors)."""
    start = threading.Barrier(len(calls))
    pool = threading.BoundedSemaphore(CONNECTIONS)
    results, refusals, escaped = [], [], []

    def run(function, args):
        try:
            start.wait()
            with pool:
                try:
                    results.append(function(*args))
                except ValidationError as error:
                    refusals.append(error.code)
                finally:
                    connections.close_all()
        except BaseException as error:  # noqa: BLE001 - the test reports anything that escapes
            escaped.append(repr(error))

    threads = [threading.Thread(target=run, args=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results, refusals, escaped


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sixty_volunteers_race_for_twelve_places():
    _skip_unless_postgres()
    network = make_network()
    grid = make_grid(network["pukou"])
    shift = make_shift(make_activity(network["pukou"], grid), places=PLACES)
    people = _volunteers(grid, RACERS)

    results, refusals, escaped = _race([(signups.sign_up, (person, shift)) for person in people])

    assert escaped == []
    assert len(results) == PLACES
    assert refusals == ["full"] * (RACERS - PLACES)
    assert Shift.objects.get(pk=shift.pk).taken == PLACES
    assert ShiftSignup.objects.filter(shift=shift, status="signed_up").count() == PLACES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_volunteer_racing_for_overlapping_shifts_gets_one():
    _skip_unless_postgres()
    network = make_network()
    grid = make_grid(network["pukou"])
    activity = make_activity(network["pukou"], grid)
    start = timezone.now() + timedelta(days=3)
    shifts = [make_shift(activity, start + timedelta(minutes=10 * i), hours=2) for i in range(8)]
    (person,) = _volunteers(grid, 1)

    results, refusals, escaped = _race([(signups.sign_up, (person, shift)) for shift in shifts])

    assert escaped == []
    assert len(results) == 1 and refusals == ["overlap"] * 7
    assert (
        sum(Shift.objects.filter(pk__in=[s.pk for s in shifts]).values_list("taken", flat=True))
        == 1
    )
