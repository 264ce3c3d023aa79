"""Events from the other apps: asset plays and downloads, searches, loans, delivered orders,
enrolments, attendance, ratings, volunteer hours and opening check-ins."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from metrics.buffer import buffer
from metrics.models import Event
from resources.serving import send_usage
from tests.resources.factories import make_asset

from .conftest import BROWSER


@pytest.mark.django_db
def test_asset_served_signal_records_plays_and_downloads(network):
    asset = make_asset(network["youxian"])
    request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)
    send_usage(request, asset, "play")
    send_usage(request, asset, "download")
    bot = RequestFactory().get("/", HTTP_USER_AGENT="Googlebot/2.1")
    send_usage(bot, asset, "download")
    buffer.flush()
    rows = list(
        Event.objects.order_by("pk").values_list("event_type", "venue_id", "object_key", "visitor")
    )
    assert [row[:3] for row in rows] == [
        ("asset_play", network["youxian"].pk, f"asset:{asset.pk}"),
        ("asset_download", network["youxian"].pk, f"asset:{asset.pk}"),
    ]
    assert rows[0][3] == rows[1][3] != ""  # the same anonymous session


@pytest.mark.django_db
def test_a_public_search_is_recorded_with_its_query_and_result_count(client, network):
    response = client.get("/search/", {"q": "醴陵"}, HTTP_USER_AGENT=BROWSER)
    client.get("/search/", HTTP_USER_AGENT=BROWSER)  # the empty page: no search
    buffer.flush()
    event = Event.objects.get()
    assert (event.event_type, event.detail, event.venue_id) == ("search", "醴陵", None)
    assert event.value == Decimal(response.context["result_page"].count)


@pytest.mark.django_db
def test_a_loan_counts_for_the_lender_when_lent(network, django_capture_on_commit_callbacks):
    from resources import loan_services
    from resources.models import Teacher
    from tests.factories import editor_of

    lender, borrower = editor_of(network["liling"]), editor_of(network["pukou"])
    teacher = Teacher.objects.create(owner=network["liling"], name="李老师", max_loan_days=10)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        loan = loan_services.request_loan(
            borrower, teacher, network["pukou"], today + timedelta(5), today + timedelta(6), "培训"
        )
        loan_services.approve(lender, loan)
        assert len(buffer) == 0  # requested and approved: nothing provided yet
        loan_services.lend(lender, loan)
    buffer.flush()
    event = Event.objects.get()
    assert (event.event_type, event.venue_id, event.object_key) == (
        "loan",
        network["liling"].pk,
        f"teacher:{teacher.pk}",
    )


def recorded(event_type):
    buffer.flush()
    return list(
        Event.objects.filter(event_type=event_type)
        .order_by("pk")
        .values_list("venue_id", "object_key", "value")
    )


@pytest.mark.django_db
def test_enrolments_count_places_taken_not_waiting(network, django_capture_on_commit_callbacks):
    from tests.training.courses import enrol_early, offering_of, open_course
    from tests.training.factories import make_resident
    from training import enrolment

    course = open_course(network["liling"], capacity=1)
    offering = offering_of(course)
    first, second = make_resident(real_name="张三"), make_resident(real_name="李四")
    with django_capture_on_commit_callbacks(execute=True):
        taken = enrol_early(first, offering)
        enrol_early(second, offering)  # waiting: no place taken yet
    assert len(buffer) == 1
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.cancel(taken)  # the waiting one is promoted into the freed place
    key = f"course:{course.pk}"
    assert recorded("enrolment") == [(network["liling"].pk, key, None)] * 2


@pytest.mark.django_db
def test_a_refused_enrolment_records_nothing(network, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from tests.training.courses import enrol_early, offering_of, open_course
    from tests.training.factories import make_resident

    offering = offering_of(open_course(network["liling"]))
    resident = make_resident()
    with django_capture_on_commit_callbacks(execute=True):
        enrol_early(resident, offering)
        with pytest.raises(ValidationError):
            enrol_early(resident, offering)  # a duplicate
    assert len(recorded("enrolment")) == 1


@pytest.mark.django_db
def test_attendance_counts_each_person_newly_present(network, django_capture_on_commit_callbacks):
    from tests.factories import editor_of
    from tests.training.courses import enrol_early, offering_of, open_course
    from tests.training.factories import make_resident
    from training import attendance

    course = open_course(network["pukou"], sessions=1)
    offering = offering_of(course)
    session = course.sessions.get()
    a, b = (enrol_early(make_resident(real_name=n), offering) for n in ("张三", "李四"))
    staff = editor_of(network["pukou"])
    with django_capture_on_commit_callbacks(execute=True):
        attendance.take_roll(offering, session, [a.pk], staff)
        attendance.take_roll(offering, session, [a.pk, b.pk], staff)  # the roll taken again
    assert recorded("attendance") == [(network["pukou"].pk, f"course:{course.pk}", None)] * 2


@pytest.mark.django_db
def test_a_rating_records_its_stars(network, django_capture_on_commit_callbacks):
    from tests.training.courses import offering_of, open_course
    from tests.training.factories import make_resident
    from training import enrolment, ratings

    course = open_course(network["liling"], first_day_in=-15, sessions=2)
    offering = offering_of(course)
    taken = enrolment.enrol(make_resident(), offering, now=timezone.now() - timedelta(days=16))
    with django_capture_on_commit_callbacks(execute=True):
        ratings.rate(taken, 4)
    assert recorded("rating") == [(network["liling"].pk, f"course:{course.pk}", Decimal(4))]


@pytest.mark.django_db
def test_volunteer_hours_count_when_confirmed(network, django_capture_on_commit_callbacks):
    from tests.factories import editor_of
    from tests.volunteers.factories import at, make_activity, make_grid, make_shift, make_volunteer
    from volunteers import hours, signups

    grid = make_grid(network["pukou"])
    activity = make_activity(network["pukou"], grid, "跨年音乐会")
    shift = make_shift(activity, at(2025, 12, 31, 22), hours=4)
    staff = editor_of(network["pukou"])
    reported = signups.sign_up(make_volunteer(grid, real_name="陈晓梅"), shift, now=at(2025, 12, 1))
    entered = signups.sign_up(make_volunteer(grid, real_name="刘芳"), shift, now=at(2025, 12, 1))
    with django_capture_on_commit_callbacks(execute=True):
        pending = hours.self_report(
            reported, at(2025, 12, 31, 22), at(2026, 1, 1, 1), now=at(2026, 1, 2, 9)
        )
    assert len(buffer) == 0  # reported, not yet confirmed
    with django_capture_on_commit_callbacks(execute=True):
        hours.confirm_record(pending, staff)
        hours.record_by_staff(entered, at(2025, 12, 31, 22), at(2026, 1, 1, 0, 30), staff)
    key = f"activity:{activity.pk}"
    assert recorded("volunteer_hours") == [
        (network["pukou"].pk, key, Decimal("3.00")),
        (network["pukou"].pk, key, Decimal("2.50")),
    ]


@pytest.mark.django_db
def test_openings_checked_in_or_imported_are_recorded(network, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from network import opening_services
    from network.models import ActualOpening
    from tests.factories import editor_of, moderator_of

    staff = editor_of(network["pukou"])
    upload = SimpleUploadedFile(
        "openings.csv",
        "场馆代码,开馆时间,闭馆时间\nliling-shimen,2026-03-02 09:00,2026-03-02 17:00\n".encode(),
        content_type="text/csv",
    )
    with django_capture_on_commit_callbacks(execute=True):
        opened = opening_services.check_in(staff, network["pukou"])
        opening_services.check_out(staff, network["pukou"], now=timezone.now() + timedelta(hours=1))
        opening_services.import_openings(moderator_of(network["liling"]), upload)
    imported = ActualOpening.objects.get(venue=network["shimen"])
    buffer.flush()
    assert list(
        Event.objects.filter(event_type="opening_checkin")
        .order_by("pk")
        .values_list("venue_id", "object_key", "detail")
    ) == [
        (network["pukou"].pk, f"opening:{opened.pk}", "checkin"),
        (network["shimen"].pk, f"opening:{imported.pk}", "import"),
    ]
