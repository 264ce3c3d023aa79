"""Attendance: the roll per session, QR check-in (signed, expiring codes; only during a session;
only for the enrolled), the staff pages on a phone, and the resident's own record."""

from datetime import datetime, timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import editor_of
from tests.training.courses import (
    enrol_early,
    offering_of,
    open_course,
    publish_event,
    session_around_now,
)
from tests.training.factories import make_resident
from training import attendance
from training import enrolment as services
from training.models import Attendance
from training.rules import QR_TOKEN_LIFETIME

pytestmark = pytest.mark.django_db


def at(day, hour, minute=0):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def course_now(network):
    """A course of 醴陵 with a session on now, two residents enrolled and one waiting."""
    course = open_course(network["liling"], capacity=2, first_day_in=0, sessions=0)
    session = session_around_now(course)
    offering = offering_of(course)
    people = [make_resident(real_name=name) for name in ("张三", "李四", "王五")]
    for person in people:
        enrol_early(person, offering)
    return offering, session, people


# --- QR codes ----------------------------------------------------------------------------------


def test_qr_token_names_the_resident_and_expires(network):
    resident = make_resident()
    token = attendance.qr_token(resident)
    assert attendance.resident_for_token(token) == resident
    assert attendance.qr_svg(token).startswith("<svg")

    with pytest.raises(ValidationError) as forged:
        attendance.resident_for_token(token[:-2] + "xx")
    assert forged.value.messages == ["无法识别的二维码，请重新扫描。"]
    with pytest.raises(ValidationError):
        attendance.resident_for_token(signing.TimestampSigner().sign(str(resident.pk)))  # no salt

    # A code drawn longer ago than its lifetime, as a screenshot kept for a day would carry.
    drawn_at = timezone.now() - QR_TOKEN_LIFETIME - timedelta(minutes=1)

    class SignerThen(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(drawn_at.timestamp()))

    aged_token = SignerThen(salt=attendance.QR_SALT).sign(str(resident.pk))
    with pytest.raises(ValidationError) as expired:
        attendance.resident_for_token(aged_token)
    assert expired.value.code == "expired"
    assert "二维码已过期" in expired.value.messages[0]


def test_check_in_only_during_a_session_and_only_the_enrolled(network):
    course = open_course(network["liling"], capacity=1, first_day_in=3, sessions=2)
    offering = offering_of(course)
    enrolled, waiting, stranger = make_resident(), make_resident(), make_resident()
    services.enrol(enrolled, offering)
    services.enrol(waiting, offering)
    first = course.sessions.order_by("date").first()
    during = at(first.date, 9, 10)
    clerk = editor_of(network["liling"])

    result = attendance.check_in(offering, attendance.qr_token(enrolled), clerk, now=during)
    assert (result.session, result.already) == (first, False)
    row = Attendance.objects.get()
    assert (row.present, row.method, row.recorded_by) == (True, "qr", clerk)
    again = attendance.check_in(offering, attendance.qr_token(enrolled), clerk, now=during)
    assert again.already and Attendance.objects.count() == 1

    early = at(first.date, 8, 31)  # 29 minutes before: taken
    assert attendance.check_in(offering, attendance.qr_token(enrolled), clerk, now=early)
    with pytest.raises(ValidationError) as closed:
        attendance.check_in(offering, attendance.qr_token(enrolled), clerk, now=at(first.date, 8))
    assert closed.value.messages == ["现在不在签到时间内（课前 30 分钟至下课）。"]
    with pytest.raises(ValidationError) as not_yet:
        attendance.check_in(offering, attendance.qr_token(waiting), clerk, now=during)
    assert not_yet.value.code == "waitlisted"
    with pytest.raises(ValidationError) as unknown:
        attendance.check_in(offering, attendance.qr_token(stranger), clerk, now=during)
    assert unknown.value.code == "not_enrolled"
    assert Attendance.objects.count() == 1


def test_roll_marks_present_and_absent_and_ignores_others(course_now):
    offering, session, (zhang, li, wang) = course_now
    clerk = editor_of(offering.venue)
    a = services.active_enrolment(zhang, offering)
    b = services.active_enrolment(li, offering)
    waiting = services.active_enrolment(wang, offering)
    assert attendance.take_roll(offering, session, [a.pk, waiting.pk], clerk) == (1, 1)
    marks = dict(Attendance.objects.values_list("enrolment", "present"))
    assert marks == {a.pk: True, b.pk: False}
    # Taken again, the roll corrects itself rather than adding rows.
    assert attendance.take_roll(offering, session, [a.pk, b.pk], clerk) == (2, 0)
    assert Attendance.objects.filter(present=True).count() == 2
    assert attendance.present_counts(offering) == {session.pk: 2}


def test_events_check_in_once_for_the_whole_event(network):
    page = publish_event(network["pukou"], starts_in=timedelta(minutes=10))
    offering = offering_of(page)
    person = make_resident()
    services.enrol(person, offering)
    result = attendance.check_in(offering, attendance.qr_token(person), None)
    assert result.session is None
    assert attendance.record_of(services.active_enrolment(person, offering))[0].state == "present"


# --- the staff pages -------------------------------------------------------------------------------


def test_roll_page_saves_the_ticks(client, course_now):
    offering, session, (zhang, li, _wang) = course_now
    client.force_login(editor_of(offering.venue))
    url = reverse("training_enrolments:roll", args=[offering.pk, session.pk])
    page = client.get(url).content.decode()
    assert "张三" in page and "李四" in page and "王五" not in page  # the waiting are not on it
    a = services.active_enrolment(zhang, offering)
    response = client.post(url, {"present": [str(a.pk), "junk"]}, follow=True)
    assert "出勤 1 人，缺勤 1 人" in response.content.decode()
    assert attendance.present_counts(offering) == {session.pk: 1}


def test_roll_of_another_course_session_is_404(client, course_now, network):
    offering, _session, _people = course_now
    other = open_course(network["liling"])
    client.force_login(editor_of(offering.venue))
    url = reverse("training_enrolments:roll", args=[offering.pk, other.sessions.first().pk])
    assert client.get(url).status_code == 404


def test_scan_page_checks_in_by_token_as_json_or_form(client, course_now):
    offering, session, (zhang, _li, wang) = course_now
    client.force_login(editor_of(offering.venue))
    url = reverse("training_enrolments:scan", args=[offering.pk])
    page = client.get(url).content.decode()
    assert "正在签到" in page and "training/scan.js" in page

    token = attendance.qr_token(zhang)
    response = client.post(url, {"token": token}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["message"].startswith("张三（139****")
    assert "签到成功" in response.json()["message"]

    response = client.post(url, {"token": "乱码"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json() == {"ok": False, "message": "无法识别的二维码，请重新扫描。"}
    response = client.post(url, {"token": attendance.qr_token(wang)}, follow=True)
    assert "王五 还在候补名单中，尚未转为正式报名。" in response.content.decode()
    assert attendance.present_counts(offering) == {session.pk: 1}


def test_other_venues_cannot_take_attendance(client, course_now, network):
    offering, session, (zhang, *_rest) = course_now
    client.force_login(editor_of(network["youxian"]))
    url = reverse("training_enrolments:scan", args=[offering.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"token": attendance.qr_token(zhang)})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


# --- the resident's own record ---------------------------------------------------------------------


def test_resident_sees_qr_code_and_attendance_on_my_courses(client, network):
    course = open_course(network["liling"], capacity=5, first_day_in=-8, sessions=3)
    offering = offering_of(course)
    person = make_resident(real_name="赵六")
    services.enrol(person, offering, now=timezone.now() - timedelta(days=9))
    past, last_week, upcoming = course.sessions.order_by("date")
    attendance.take_roll(offering, past, [services.active_enrolment(person, offering).pk], None)
    attendance.take_roll(offering, last_week, [], None)

    client.force_login(person.user)
    page = client.get(reverse("training:me")).content.decode()
    assert "<svg" in page and "签到码" in page
    assert attendance.qr_token(person).split(":")[0] in page
    assert "✓ 出勤" in page and "✗ 缺勤" in page and "未开始" in page
    record = attendance.record_of(services.active_enrolment(person, offering))
    assert [line.state for line in record] == ["present", "absent", "upcoming"]
