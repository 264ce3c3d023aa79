"""The enrolment request is the busy path (bench/bench_enrolment.py): its queries are counted
here so that a change adding one is noticed, and the counters it relies on (`waiting` for the
waiting list, the token's last use) are checked against the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import APIToken

from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from training import accounts
from training import enrolment as services
from training.models import Offering, TrainingSettings

pytestmark = pytest.mark.django_db


# token (with its user and resident) · lock the resident · lock the offering with its course and
# the resident's active enrolments · its sessions · the counter and the enrolment row (one
# statement on PostgreSQL, two on SQLite).
def enrol_queries():
    return 5 if connection.vendor == "postgresql" else 6


def enrol_by_api(client, course, token):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/courses/{course.pk}/enrolments",
            "{}",
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
    statements = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    return response, statements


def test_enrolling_through_the_api_takes_five_or_six_queries_and_no_count(network):
    course = open_course(network["liling"], capacity=1)
    TrainingSettings.load()  # the hub's cap, cached after the first read
    services.max_active_courses()
    client = Client()
    first, second = make_resident(), make_resident()

    response, statements = enrol_by_api(client, course, accounts.issue_token(first.user)[0])
    assert response.status_code == 201 and response.json()["status"] == "enrolled"
    # The last place: the course's status follows (已满), one more statement.
    assert len(statements) == enrol_queries() + 1, statements

    response, statements = enrol_by_api(client, course, accounts.issue_token(second.user)[0])
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["position"]) == ("waitlisted", 1)
    assert len(statements) == enrol_queries(), statements
    assert not any("COUNT(" in sql for sql in statements)
    assert not any(sql.startswith('UPDATE "wagtailcore_apitoken"') for sql in statements)


def test_the_token_s_last_use_is_written_at_most_once_per_interval(network, settings):
    course = open_course(network["liling"])
    person = make_resident()
    token, _expires = accounts.issue_token(person.user)
    row = APIToken.objects.get(user=person.user)
    assert row.last_used_at == row.created  # logging in is its first use

    client = Client()
    enrol_by_api(client, course, token)
    row.refresh_from_db()
    assert row.last_used_at == row.created  # used again within the interval: not written

    long_ago = timezone.now() - timedelta(seconds=settings.WAGTAILAPI_TOKEN_LAST_USED_INTERVAL + 1)
    APIToken.objects.filter(pk=row.pk).update(last_used_at=long_ago)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at > long_ago + timedelta(seconds=1)


def test_the_waiting_counter_follows_the_waiting_list(network):
    offering = offering_of(open_course(network["liling"], capacity=1))
    people = [make_resident() for _ in range(5)]
    enrolments = [services.enrol(person, offering) for person in people]
    assert [e.position_on_enrolment for e in enrolments] == [None, 1, 2, 3, 4]

    def counted():
        offering.refresh_from_db()
        return offering.waiting, offering.enrolments.filter(status="waitlisted").count()

    assert counted() == (4, 4)
    services.cancel(enrolments[2])  # a waiting person leaves
    assert counted() == (3, 3)
    services.cancel(enrolments[0])  # the enrolled one leaves: the first waiting is promoted
    assert counted() == (2, 2)
    assert services.waitlist_position(enrolments[4]) == 2
    late = services.enrol(make_resident(), offering)
    assert (late.waitlist_number, late.position_on_enrolment) == (5, 3)

    Offering.objects.filter(pk=offering.pk).update(waitlist_limit=3)
    with pytest.raises(services.ValidationError) as refused:
        services.enrol(make_resident(), offering)
    assert refused.value.code == "waitlist_full"
    accounts.delete_account(people[3])  # waiting, deleted with their account
    assert counted() == (2, 2)
