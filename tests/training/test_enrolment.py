"""Enrolment services: places, the waiting list and its promotion, and every rule, each
refusal in Chinese with nothing changed."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from resources.models import Course
from tests.factories import editor_of
from tests.training.courses import offering_of, open_course, publish_event
from tests.training.factories import make_resident
from training import enrolment as services
from training.models import Enrolment, Offering, TrainingSettings

pytestmark = pytest.mark.django_db


def residents(n, **fields):
    return [make_resident(real_name=f"学员{i}", **fields) for i in range(n)]


def refused(code, call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.messages
    return caught.value.messages[0]


def state(offering):
    offering.refresh_from_db()
    return offering.capacity, offering.enrolled, offering.waitlist_seq, offering.enrolments.count()


# --- offerings follow their course --------------------------------------------------------


def test_opening_a_course_creates_its_offering_with_the_course_places(network):
    draft = open_course(network["pukou"], status="draft")  # saved as a draft: no offering
    assert not Offering.objects.filter(course=draft).exists()
    draft.status = "open"
    draft.save()
    offering = offering_of(draft)
    assert (offering.capacity, offering.enrolled, offering.venue) == (20, 0, network["pukou"])


def test_capacity_lowered_under_the_enrolled_stays_at_the_enrolled_and_nobody_is_removed(network):
    course = open_course(network["liling"], capacity=4)
    offering = offering_of(course)
    people = residents(6)
    for person in people:
        services.enrol(person, offering)
    course.refresh_from_db()
    assert course.status == "full"

    course.capacity = 2
    course.save()
    offering.refresh_from_db()
    assert (offering.capacity, offering.enrolled) == (4, 4)
    assert offering.enrolments.filter(status="enrolled").count() == 4

    # One leaves: nobody comes in, the places come down with the people.
    services.cancel(services.active_enrolment(people[0], offering))
    offering.refresh_from_db()
    assert (offering.capacity, offering.enrolled) == (3, 3)
    # Two more leave: the course is at its 2 places again and one place frees for the first
    # person waiting.
    services.cancel(services.active_enrolment(people[1], offering))
    services.cancel(services.active_enrolment(people[2], offering))
    offering.refresh_from_db()
    assert (offering.capacity, offering.enrolled) == (2, 2)
    assert services.active_enrolment(people[4], offering).status == "enrolled"
    assert services.active_enrolment(people[5], offering).status == "waitlisted"


def test_raising_the_places_promotes_the_waiting_in_order(
    network, django_capture_on_commit_callbacks
):
    course = open_course(network["liling"], capacity=1)
    offering = offering_of(course)
    first, *waiting = residents(4)
    waiting[0].user.email = "wait1@example.com"
    waiting[0].user.save()
    services.enrol(first, offering)
    for person in waiting:
        services.enrol(person, offering)

    course.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        course.save()
    statuses = [services.active_enrolment(p, offering).status for p in waiting]
    assert statuses == ["enrolled", "enrolled", "waitlisted"]
    course.refresh_from_db()
    assert course.status == "full"
    assert [m.to for m in mail.outbox] == [["wait1@example.com"]]
    assert "已为您转为正式报名" in mail.outbox[0].body


# --- enrol, wait, cancel, promote -------------------------------------------------------------


def test_enrol_until_full_then_waitlist_with_numbers_and_promotion_on_cancel(
    network, django_capture_on_commit_callbacks
):
    course = open_course(network["liling"], capacity=2)
    offering = offering_of(course)
    a, b, c, d = residents(4)
    assert services.enrol(a, offering).status == "enrolled"
    assert services.enrol(b, offering).status == "enrolled"
    waiting_c = services.enrol(c, offering)
    waiting_d = services.enrol(d, offering)
    assert (waiting_c.status, waiting_c.waitlist_number) == ("waitlisted", 1)
    assert (waiting_d.status, waiting_d.waitlist_number) == ("waitlisted", 2)
    assert services.waitlist_position(waiting_d) == 2
    course.refresh_from_db()
    assert course.status == "full"

    with django_capture_on_commit_callbacks(execute=True):
        result = services.cancel(services.active_enrolment(a, offering))
    assert result.enrolment.status == "cancelled"
    assert [e.resident for e in result.promoted] == [c]
    waiting_c.refresh_from_db()
    assert waiting_c.status == "enrolled" and waiting_c.promoted_at is not None
    waiting_d.refresh_from_db()
    assert services.waitlist_position(waiting_d) == 1
    assert state(offering)[:2] == (2, 2)

    # A waiting person who leaves frees no place and moves the others up.
    services.cancel(waiting_d)
    assert state(offering)[:2] == (2, 2)
    services.cancel(services.active_enrolment(b, offering))
    course.refresh_from_db()
    assert course.status == "open"
    assert state(offering)[:2] == (2, 1)


def test_promotion_skips_those_who_no_longer_meet_the_rules(network):
    settings = TrainingSettings.load()
    settings.max_active_courses = 2
    settings.save()
    course = open_course(network["liling"], capacity=1)
    offering = offering_of(course)
    holder, busy, next_in_line = residents(3)
    services.enrol(holder, offering)
    services.enrol(busy, offering)
    services.enrol(next_in_line, offering)
    # While waiting, the hub lowers the cap and `busy` already holds another course.
    services.enrol(busy, offering_of(open_course(network["youxian"])))
    settings.max_active_courses = 1
    settings.save()

    result = services.cancel(services.active_enrolment(holder, offering))
    assert [e.resident for e in result.promoted] == [next_in_line]
    assert services.active_enrolment(busy, offering).status == "waitlisted"


def test_front_desk_enrolment_records_the_staff_member(network):
    offering = offering_of(open_course(network["liling"]))
    clerk = editor_of(network["liling"])
    enrolment = services.enrol(make_resident(), offering, by=clerk)
    assert enrolment.registered_by == clerk


# --- the rules, each refusal leaving everything as it was --------------------------------------


def test_enrolling_twice_is_refused_enrolled_or_waiting(network):
    offering = offering_of(open_course(network["liling"], capacity=1))
    a, b = residents(2)
    services.enrol(a, offering)
    services.enrol(b, offering)
    before = state(offering)
    assert refused("duplicate", services.enrol, a, offering) == "您已报名该课程，不能重复报名。"
    assert "您已在候补名单中（第 1 位）" in refused("duplicate", services.enrol, b, offering)
    assert state(offering) == before


def test_enrolling_again_after_cancelling_is_allowed(network):
    offering = offering_of(open_course(network["liling"]))
    person = make_resident()
    services.cancel(services.enrol(person, offering))
    assert services.enrol(person, offering).status == "enrolled"
    assert offering.enrolments.filter(resident=person).count() == 2


def test_window_not_open_yet_and_closed(network):
    course = open_course(network["liling"], first_day_in=3)
    offering = offering_of(course)
    person = make_resident()
    now = timezone.now()
    offering.opens_at = now + timedelta(days=1)
    offering.save()
    message = refused("not_open_yet", services.enrol, person, offering)
    assert message.startswith("报名尚未开始，将于 ") and message.endswith(" 开始。")

    offering.opens_at = None
    offering.closes_at = now - timedelta(minutes=1)
    offering.save()
    assert refused("closed", services.enrol, person, offering).startswith("报名已于 ")
    assert state(offering)[1:] == (0, 0, 0)


def test_enrolment_closes_when_the_first_session_starts_and_can_be_reopened(network):
    course = open_course(network["liling"], capacity=2, first_day_in=-1, sessions=3)
    offering = offering_of(course)
    person = make_resident()
    refused("closed", services.enrol, person, offering)

    until = timezone.now() + timedelta(days=2)
    services.reopen(offering, until)
    assert services.enrol(person, offering).status == "enrolled"
    assert refused("until_past", services.reopen, offering, timezone.now() - timedelta(hours=1))
    too_late = timezone.now() + timedelta(weeks=4)
    assert refused("until_after_end", services.reopen, offering, too_late).startswith(
        "补报名截止时间不能晚于结束时间"
    )
    services.enrol(make_resident(), offering)
    assert refused("full", services.reopen, offering, until) == "名额已满，不能重新开放报名。"

    future = offering_of(open_course(network["liling"], first_day_in=5))
    assert refused("not_closed", services.reopen, future, until) == "报名尚未截止，无需重新开放。"


def test_a_course_not_open_or_ended_takes_nobody(network):
    course = open_course(network["liling"])
    offering = offering_of(course)
    Course.objects.filter(pk=course.pk).update(status="closed")
    offering = offering_of(course)
    assert refused("unavailable", services.enrol, make_resident(), offering) == (
        "该课程目前不接受报名。"
    )


def test_age_range_counted_on_the_first_day(network):
    course = open_course(network["liling"], first_day_in=10)
    offering = offering_of(course)
    offering.min_age, offering.max_age = 6, 12
    offering.save()
    first_day = course.sessions.first().date

    def born_years_before(years, days=0):
        return date(first_day.year - years, first_day.month, first_day.day) + timedelta(days=days)

    six_that_day = make_resident(birth_date=born_years_before(6))
    not_yet_six = make_resident(birth_date=born_years_before(6, days=1))
    thirteen = make_resident(birth_date=born_years_before(13))
    no_birth_date = make_resident()
    assert services.enrol(six_that_day, offering).status == "enrolled"
    assert "按开始之日计算您为 5 岁" in refused("too_young", services.enrol, not_yet_six, offering)
    assert refused("too_old", services.enrol, thirteen, offering).startswith("该课程限 6–12 岁报名")
    assert refused("birth_date_missing", services.enrol, no_birth_date, offering) == (
        "该课程限 6–12 岁报名，请先在个人资料中填写出生日期或身份证号。"
    )
    assert state(offering)[1] == 1


def test_id_number_required(network):
    offering = offering_of(open_course(network["liling"]))
    offering.requires_id_number = True
    offering.save()
    assert refused("id_number_missing", services.enrol, make_resident(), offering) == (
        "该课程须实名报名，请先在个人资料中填写身份证号。"
    )
    with_id = make_resident(id_number="43020219800101001X")
    assert services.enrol(with_id, offering).status == "enrolled"


def test_cap_on_courses_at_once_counts_running_courses_only(network):
    settings = TrainingSettings.load()
    settings.max_active_courses = 2
    settings.save()
    person = make_resident()
    ended = open_course(network["pukou"], first_day_in=-30, sessions=2)
    services.enrol(person, offering_of(ended), now=timezone.now() - timedelta(days=31))
    services.enrol(person, offering_of(open_course(network["liling"])))
    waiting = offering_of(open_course(network["youxian"], capacity=1))
    services.enrol(make_resident(), waiting)
    assert services.enrol(person, waiting).status == "waitlisted"  # waiting counts too
    third = offering_of(open_course(network["huangfeng"]))
    assert refused("too_many_courses", services.enrol, person, third) == (
        "您同时在读或候补的课程已达上限（2 门），请先取消其他课程，或待课程结束后再报名。"
    )
    # Events are not courses: the cap does not apply.
    event = offering_of(publish_event(network["liling"]))
    assert services.enrol(person, event).status == "enrolled"


def test_waitlist_limit(network):
    offering = offering_of(open_course(network["liling"], capacity=1))
    offering.waitlist_limit = 1
    offering.save()
    a, b, c = residents(3)
    services.enrol(a, offering)
    services.enrol(b, offering)
    before = state(offering)
    assert refused("waitlist_full", services.enrol, c, offering) == (
        "名额已满，候补名单也已满（1 人），暂时无法报名。"
    )
    assert state(offering) == before


def test_cancelling_twice_or_after_the_end_is_refused(network):
    offering = offering_of(open_course(network["liling"], first_day_in=-20, sessions=2))
    enrolment = services.enrol(make_resident(), offering, now=timezone.now() - timedelta(days=21))
    assert refused("ended", services.cancel, enrolment) == "该课程已经结束，不能取消报名。"
    live = offering_of(open_course(network["liling"]))
    other = services.enrol(make_resident(), live)
    services.cancel(other)
    assert refused("already_cancelled", services.cancel, other) == "该报名已经取消。"


# --- a resident leaving, and events --------------------------------------------------------


def test_deleting_an_account_frees_its_places_for_those_waiting(network):
    offering = offering_of(open_course(network["liling"], capacity=1))
    leaving, waiting = residents(2)
    services.enrol(leaving, offering)
    services.enrol(waiting, offering)
    leaving.user.delete()
    assert services.active_enrolment(waiting, offering).status == "enrolled"
    offering.refresh_from_db()
    assert offering.enrolled == 1
    assert Enrolment.objects.filter(offering=offering).count() == 1


def test_events_with_places_take_registrations_through_the_same_mechanism(network):
    page = publish_event(network["pukou"], capacity=1)
    offering = offering_of(page)
    assert (offering.capacity, offering.venue) == (1, network["pukou"])
    a, b = residents(2)
    assert services.enrol(a, offering).status == "enrolled"
    assert services.enrol(b, offering).status == "waitlisted"
    assert [
        e.resident for e in services.cancel(services.active_enrolment(a, offering)).promoted
    ] == [b]

    outside = publish_event(
        network["pukou"], title="外部报名", registration_url="https://example.com/"
    )
    assert not Offering.objects.filter(event=outside).exists()
    no_places = publish_event(network["pukou"], title="自由参加", capacity=None)
    assert not Offering.objects.filter(event=no_places).exists()

    page.registration_url = "https://example.com/"
    page.save_revision().publish()
    assert refused("unavailable", services.enrol, make_resident(), offering_of(page)) == (
        "该活动目前不接受报名。"
    )
