"""Service hours: QR check-in/out, times entered by staff, self-reports confirmed by staff,
corrections with an audit trail; across midnight in Shanghai time, never over the shift's
length, never ending before they start, and nothing changed by a refused input."""

import time
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from tests.factories import editor_of
from tests.training.factories import RESIDENT_PASSWORD
from volunteers import hours, signups
from volunteers.models import RecordStatus, ServiceRecord, ShiftSignup

from .factories import at, make_activity, make_grid, make_shift, make_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(network):
    grid = make_grid(network["pukou"])
    activity = make_activity(network["pukou"], grid, "跨年音乐会")
    # 22:00 on 31 December to 02:00 on 1 January, Shanghai time: four hours.
    night = make_shift(activity, at(2025, 12, 31, 22), hours=4, role="场务")
    volunteer = make_volunteer(grid, real_name="陈晓梅")
    signup = signups.sign_up(volunteer, night, now=at(2025, 12, 1, 9))
    return {
        "activity": activity,
        "shift": night,
        "volunteer": volunteer,
        "signup": signup,
        "staff": editor_of(network["pukou"]),
        "network": network,
    }


def test_scan_in_and_out_across_midnight(setup):
    token = hours.qr_token(setup["volunteer"])
    staff = setup["staff"]
    first = hours.scan(setup["activity"], token, staff, now=at(2025, 12, 31, 21, 45))
    assert first.action == "in"
    signup = ShiftSignup.objects.get(pk=setup["signup"].pk)
    assert signup.status == "confirmed"  # turning up confirms the sign-up
    # The same code read twice at the door is not a check-out.
    assert (
        hours.scan(setup["activity"], token, staff, now=at(2025, 12, 31, 21, 47)).action == "again"
    )

    out = hours.scan(setup["activity"], token, staff, now=at(2026, 1, 1, 1, 15))
    assert out.action == "out"
    record = out.record
    assert record.hours == Decimal("3.50")
    assert record.service_date.isoformat() == "2025-12-31"  # the day it started, in Shanghai
    assert (record.status, record.source) == ("confirmed", "qr")
    assert hours.scan(setup["activity"], token, staff, now=at(2026, 1, 1, 1, 30)).action == "done"


def test_a_long_evening_is_capped_at_the_shift_length(setup):
    token = hours.qr_token(setup["volunteer"])
    hours.scan(setup["activity"], token, setup["staff"], now=at(2025, 12, 31, 21, 30))
    out = hours.scan(setup["activity"], token, setup["staff"], now=at(2026, 1, 1, 3, 0))
    assert out.record.hours == Decimal("4.00")  # 5.5 h on site, a 4 h shift


def test_scans_outside_the_shift_or_with_a_bad_code_are_refused(setup):
    token = hours.qr_token(setup["volunteer"])
    with pytest.raises(ValidationError, match="没有正在进行的班次"):
        hours.scan(setup["activity"], token, setup["staff"], now=at(2025, 12, 31, 12))
    with pytest.raises(ValidationError, match="无法识别的二维码"):
        hours.scan(setup["activity"], token + "x", setup["staff"], now=at(2025, 12, 31, 22))
    yesterday = signing.TimestampSigner(salt=hours.QR_SALT)
    with mock.patch("time.time", return_value=time.time() - 13 * 3600):
        stale = yesterday.sign(str(setup["volunteer"].pk))
    with pytest.raises(ValidationError, match="二维码已过期"):
        hours.scan(setup["activity"], stale, setup["staff"], now=at(2025, 12, 31, 22))
    assert not ServiceRecord.objects.exists()


def test_staff_enter_times_across_midnight(setup):
    record = hours.record_by_staff(
        setup["signup"], at(2025, 12, 31, 22, 30), at(2026, 1, 1, 1, 45), setup["staff"]
    )
    assert record.hours == Decimal("3.25")
    assert (record.status, record.source, record.reviewed_by) == (
        "confirmed",
        "staff",
        setup["staff"],
    )
    with pytest.raises(ValidationError, match="已有服务记录"):
        hours.record_by_staff(
            setup["signup"], at(2025, 12, 31, 22), at(2026, 1, 1, 1), setup["staff"]
        )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (at(2026, 1, 1, 1), at(2025, 12, 31, 23), "不能早于或等于签到（开始）时间"),
        (at(2025, 12, 31, 22), at(2025, 12, 31, 22), "不能早于或等于签到（开始）时间"),
        (at(2025, 12, 31, 21), at(2026, 1, 1, 1, 30), "超过了班次时长 4.00 小时"),
    ],
)
def test_bad_times_are_refused_with_nothing_changed(setup, start, end, message):
    with pytest.raises(ValidationError, match=message):
        hours.record_by_staff(setup["signup"], start, end, setup["staff"])
    with pytest.raises(ValidationError, match=message):
        hours.self_report(setup["signup"], start, end, now=at(2026, 1, 2, 9))
    assert not ServiceRecord.objects.exists()
    signup = ShiftSignup.objects.get(pk=setup["signup"].pk)
    assert (signup.checked_in_at, signup.checked_out_at) == (None, None)


def test_database_refuses_check_out_before_check_in(setup):
    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftSignup.objects.filter(pk=setup["signup"].pk).update(
            checked_in_at=at(2026, 1, 1, 1), checked_out_at=at(2025, 12, 31, 23)
        )


def test_self_report_is_pending_until_staff_confirm(setup):
    signup = setup["signup"]
    with pytest.raises(ValidationError, match="班次结束后才能申报"):
        hours.self_report(signup, at(2025, 12, 31, 22), at(2026, 1, 1, 1), now=at(2026, 1, 1, 1))
    with pytest.raises(ValidationError, match="超过 30 天"):
        hours.self_report(signup, at(2025, 12, 31, 22), at(2026, 1, 1, 1), now=at(2026, 3, 1, 9))
    record = hours.self_report(
        signup, at(2025, 12, 31, 22), at(2026, 1, 1, 1, 20), "搬运设备", now=at(2026, 1, 2, 9)
    )
    assert (record.status, record.hours, record.source) == ("pending", Decimal("3.33"), "self")
    with pytest.raises(ValidationError, match="请填写不予确认的原因"):
        hours.reject_record(record, setup["staff"], "")
    hours.confirm_record(record, setup["staff"])
    record.refresh_from_db()
    assert (record.status, record.reviewed_by) == ("confirmed", setup["staff"])
    with pytest.raises(ValidationError, match="该记录已已确认|已确认"):
        hours.confirm_record(record, setup["staff"])


def test_corrections_keep_an_audit_trail(setup):
    record = hours.record_by_staff(
        setup["signup"], at(2025, 12, 31, 22), at(2026, 1, 1, 0, 30), setup["staff"]
    )
    staff = setup["staff"]
    # Refused corrections change nothing and log nothing.
    with pytest.raises(ValidationError, match="请填写更正原因"):
        hours.correct_record(record, staff, at(2025, 12, 31, 22), at(2026, 1, 1, 1), " ")
    with pytest.raises(ValidationError, match="超过了班次时长"):
        hours.correct_record(record, staff, at(2025, 12, 31, 20), at(2026, 1, 1, 1), "补录")
    with pytest.raises(ValidationError, match="不能早于或等于"):
        hours.correct_record(record, staff, at(2026, 1, 1, 1), at(2025, 12, 31, 23), "补录")
    record.refresh_from_db()
    assert record.hours == Decimal("2.50")
    assert not hours.corrections_of(record).exists()

    hours.correct_record(
        record, staff, at(2025, 12, 31, 22), at(2026, 1, 1, 2), "签退漏扫，按现场记录补正"
    )
    record.refresh_from_db()
    assert (record.hours, record.status) == (Decimal("4.00"), "confirmed")
    entry = hours.corrections_of(record).get()
    assert entry.user == staff and entry.timestamp is not None
    assert entry.data["before"] == {
        "started_at": "2025-12-31T22:00:00+08:00",
        "ended_at": "2026-01-01T00:30:00+08:00",
        "hours": "2.50",
    }
    assert entry.data["after"]["hours"] == "4.00"
    assert entry.data["after"]["ended_at"] == "2026-01-01T02:00:00+08:00"
    assert entry.data["reason"] == "签退漏扫，按现场记录补正"
    assert ModelLogEntry.objects.filter(action=hours.CORRECTED_ACTION).count() == 1


def test_correcting_the_start_moves_the_service_date(setup):
    record = hours.record_by_staff(
        setup["signup"], at(2025, 12, 31, 23, 30), at(2026, 1, 1, 1), setup["staff"]
    )
    hours.correct_record(record, setup["staff"], at(2026, 1, 1, 0, 10), at(2026, 1, 1, 1), "到岗晚")
    record.refresh_from_db()
    assert record.service_date.isoformat() == "2026-01-01"
    assert record.hours == Decimal("0.83")


def test_volunteer_reports_on_their_page_and_staff_confirm_and_correct_in_the_admin(client, setup):
    volunteer, signup = setup["volunteer"], setup["signup"]
    # The shift ended a day ago in this test's world: move it.
    shift = setup["shift"]
    shift.starts_at = timezone.now() - timedelta(days=1, hours=4)
    shift.ends_at = timezone.now() - timedelta(days=1)
    shift.save()
    client.login(username=volunteer.resident.phone, password=RESIDENT_PASSWORD)
    me = client.get(reverse("volunteers:me"))
    assert "申报服务时长" in me.content.decode()
    start = timezone.localtime(shift.starts_at)
    prefix = f"report-{signup.pk}"
    bad = client.post(
        reverse("volunteers:report", args=[signup.pk]),
        {
            f"{prefix}-started_at": f"{start:%Y-%m-%dT%H:%M}",
            f"{prefix}-ended_at": f"{start - timedelta(hours=1):%Y-%m-%dT%H:%M}",
        },
        follow=True,
    )
    assert "不能早于或等于签到（开始）时间" in bad.content.decode()
    assert not ServiceRecord.objects.exists()
    client.post(
        reverse("volunteers:report", args=[signup.pk]),
        {
            f"{prefix}-started_at": f"{start:%Y-%m-%dT%H:%M}",
            f"{prefix}-ended_at": f"{start + timedelta(hours=3):%Y-%m-%dT%H:%M}",
            f"{prefix}-note": "布置会场",
        },
    )
    record = ServiceRecord.objects.get()
    assert (record.status, record.hours) == ("pending", Decimal("3.00"))

    client.force_login(setup["staff"])
    listing = client.get(reverse("volunteer_hours:index"))
    assert "陈晓梅" in listing.content.decode() and "布置会场" in listing.content.decode()
    client.post(reverse("volunteer_hours:confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == RecordStatus.CONFIRMED
    response = client.post(
        reverse("volunteer_hours:correct", args=[record.pk]),
        {
            "started_at": f"{start:%Y-%m-%dT%H:%M}",
            "ended_at": f"{start + timedelta(hours=2):%Y-%m-%dT%H:%M}",
            "reason": "提前离场",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "已更正为 2.00 小时" in text and "提前离场" in text and "3.00" in text
    # Another venue's staff cannot reach the record.
    client.force_login(editor_of(setup["network"]["youxian"]))
    assert client.get(reverse("volunteer_hours:record", args=[record.pk])).status_code == 404
