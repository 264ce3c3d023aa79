"""The retention job (portal/retention.py): what is past its period at a given moment goes, what
is not stays. The clock is pinned by passing `now` to the purge (time moves, the rows don't)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import APIToken, ModelLogEntry, Page

from portal import retention, tasks
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from training.models import (
    Attendance,
    CodePurpose,
    Enrolment,
    EnrolmentStatus,
    PhoneCode,
    Rating,
)

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DAY = timedelta(days=1)
NOTHING = dict.fromkeys(retention.RETENTION, 0)


def code(phone, expires_at):
    return PhoneCode.objects.create(
        phone=phone, purpose=CodePurpose.SIGNUP, code_hash="x", expires_at=expires_at
    )


def enrolment(offering, resident, **fields):
    fields.setdefault("status", EnrolmentStatus.ENROLLED)
    return Enrolment.objects.create(offering=offering, resident=resident, **fields)


def test_codes_tokens_and_sessions_go_a_set_time_after_they_expire(db):
    t0 = timezone.now()
    resident = make_resident()
    staff = get_user_model().objects.create_user("staff-with-a-token")
    sms = code(resident.phone, t0 + timedelta(minutes=10))
    app, _plain = APIToken.create_token(user=resident.user, name="app")
    revoked, _plain = APIToken.create_token(user=resident.user, name="old phone")
    APIToken.objects.filter(pk=revoked.pk).update(revoked_at=t0)
    tool, _plain = APIToken.create_token(user=staff, name="a staff tool")  # not ours to expire
    session = Session.objects.create(
        session_key="k" * 32, session_data="", expire_date=t0 + 2 * DAY
    )

    assert retention.purge(t0 + DAY, dry_run=True) == NOTHING

    later = t0 + DAY + timedelta(minutes=11)
    assert retention.purge(later)["phone_codes"] == 1
    assert not PhoneCode.objects.filter(pk=sms.pk).exists()
    assert Session.objects.filter(pk=session.pk).exists()  # a login still valid

    # Revoked: 30 days after revocation; unrevoked: 30 days after the 30-day lifetime ended.
    assert retention.purge(t0 + 31 * DAY)["api_tokens"] == 1
    assert set(APIToken.objects.all()) == {app, tool}
    assert retention.purge(t0 + 59 * DAY)["api_tokens"] == 0
    assert retention.purge(t0 + 61 * DAY)["api_tokens"] == 1
    assert list(APIToken.objects.all()) == [tool]
    assert not Session.objects.exists()


def test_cancelled_enrolments_go_half_a_year_after_cancelling(network):
    t0 = timezone.now()
    offering = offering_of(open_course(network["pukou"]))
    resident = make_resident()
    cancelled = enrolment(
        offering, resident, status=EnrolmentStatus.CANCELLED, cancelled_at=t0 - 10 * DAY
    )
    active = enrolment(offering, make_resident())
    assert retention.purge(t0 + 169 * DAY)["cancelled_enrolments"] == 0
    assert retention.purge(t0 + 171 * DAY)["cancelled_enrolments"] == 1
    assert list(Enrolment.objects.all()) == [active]
    assert not Enrolment.objects.filter(pk=cancelled.pk).exists()


def test_enrolments_of_courses_ended_three_years_ago_go_with_attendance_ratings_stay(network):
    t0 = timezone.now()
    pukou = network["pukou"]
    ended = offering_of(open_course(pukou, first_day_in=-30, sessions=1))
    running = offering_of(open_course(pukou, first_day_in=4 * 365, sessions=1))
    resident = make_resident()
    old = enrolment(ended, resident)
    session = ended.course.sessions.get()
    Attendance.objects.create(enrolment=old, session=session)
    rating = Rating.objects.create(offering=ended, enrolment=old, stars=5, comment="很好")
    future = enrolment(running, resident)

    three_years = retention.RETENTION["finished_enrolments"]
    assert retention.purge(t0 + three_years - DAY)["finished_enrolments"] == 0
    assert retention.purge(t0 + three_years + DAY)["finished_enrolments"] == 1
    assert list(Enrolment.objects.all()) == [future]  # its course has not ended yet
    assert not Attendance.objects.exists()
    rating.refresh_from_db()
    assert rating.enrolment is None and (rating.stars, rating.comment) == (5, "很好")


def test_audit_entries_about_residents_go_after_three_years_others_stay(db):
    t0 = timezone.now()
    resident = make_resident()
    ModelLogEntry.objects.log_action(resident, "wagtail.edit", timestamp=t0)
    page = Page.objects.get(depth=1)
    kept = ModelLogEntry.objects.log_action(page, "wagtail.edit", timestamp=t0 - 10 * 365 * DAY)
    three_years = retention.RETENTION["resident_audit_log"]
    assert retention.purge(t0 + three_years - DAY)["resident_audit_log"] == 0
    assert retention.purge(t0 + three_years + DAY)["resident_audit_log"] == 1
    assert list(ModelLogEntry.objects.all()) == [kept]


def test_the_command_counts_in_chinese_and_deletes_only_without_dry_run(db):
    now = timezone.now()
    resident = make_resident()
    code(resident.phone, now - 2 * DAY)
    code("13700000000", now)  # still fresh
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "过期的短信验证码：将删除 1 条" in text
    assert "已取消的报名：将删除 0 条" in text
    assert "试运行：共 1 条到期，未删除任何数据。" in text
    assert PhoneCode.objects.count() == 2

    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "过期的短信验证码：已删除 1 条" in out.getvalue()
    assert "共删除 1 条。" in out.getvalue()
    assert list(PhoneCode.objects.values_list("phone", flat=True)) == ["13700000000"]


def test_the_daily_purge_is_scheduled_once_and_reschedules_itself(settings, monkeypatch):
    with pytest.raises(CommandError, match="当前任务后端不支持定时执行"):
        call_command("purge_personal_data", "--schedule")  # the tests' immediate backend
    settings.TASKS = DB_TASKS
    out = StringIO()
    call_command("purge_personal_data", "--schedule", stdout=out)
    call_command("purge_personal_data", "--schedule", stdout=out)
    waiting = DBTaskResult.objects.get(task_path="portal.tasks.daily_purge")
    assert waiting.status == "READY" and waiting.run_after == tasks.next_run_at()
    assert timezone.localtime(waiting.run_after).strftime("%H:%M") == "03:00"
    assert "已安排每日清理" in out.getvalue() and "已在后台任务队列中等待执行" in out.getvalue()

    waiting.delete()

    def broken(now, dry_run=False):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(tasks, "purge", broken)
    with pytest.raises(RuntimeError):
        tasks.daily_purge.call()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
