"""Service hours: check-in and check-out with the volunteer's QR code, times entered by staff,
hours reported by the volunteer and confirmed by staff, and corrections with an audit trail.

Times are aware datetimes (stored in UTC, shown in Asia/Shanghai), so a shift from 22:00 to
02:00 lasts four hours and counts on the day it started. Credited hours never exceed the
shift's length: a scan-out after a long evening is capped; a report or a correction asking for
more is refused (lengthen the shift first if it really ran over). Corrections are logged in
Wagtail's log with who, when, the times and hours before and after, and the reason."""

from dataclasses import dataclass

import segno
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from metrics.events import VOLUNTEER_HOURS
from metrics.services import record as record_usage

from .models import (
    HOLDING,
    RecordSource,
    RecordStatus,
    ServiceRecord,
    ShiftSignup,
    SignupStatus,
    Volunteer,
    VolunteerStatus,
)
from .models.activities import hours_between
from .rules import CHECK_IN_EARLY, CHECK_OUT_LATE, QR_TOKEN_LIFETIME, SELF_REPORT_WITHIN
from .signups import moment, refuse, span

QR_SALT = "volunteers.check-in"
# A second scan this soon after the check-in is the same code read twice, not a check-out.
RESCAN_GRACE_SECONDS = 300

CONFIRMED_ACTION = "volunteers.confirm_hours"
REJECTED_ACTION = "volunteers.reject_hours"
CORRECTED_ACTION = "volunteers.correct_hours"


# --- the volunteer's QR code ------------------------------------------------------------------


def _signer():
    return signing.TimestampSigner(salt=QR_SALT)


def qr_token(volunteer):
    return _signer().sign(str(volunteer.pk))


def qr_svg(token):
    """The token as an inline SVG QR code (nothing stored)."""
    return segno.make_qr(token, error="m").svg_inline(scale=6, border=2)


def volunteer_for_token(token):
    try:
        pk = _signer().unsign((token or "").strip(), max_age=QR_TOKEN_LIFETIME)
    except signing.SignatureExpired:
        refuse(_("二维码已过期，请志愿者刷新“我的志愿服务”页面后重新出示。"), "expired")
    except signing.BadSignature:
        refuse(_("无法识别的二维码，请重新扫描。"), "bad_token")
    volunteer = Volunteer.objects.select_related("resident").filter(pk=pk).first()
    if volunteer is None or volunteer.status != VolunteerStatus.APPROVED:
        refuse(_("无法识别的二维码，请重新扫描。"), "bad_token")
    return volunteer


# --- checking the times -----------------------------------------------------------------------


def check_times(shift, started_at, ended_at):
    """The hours from `started_at` to `ended_at`, or a refusal when the end is not after the
    start or the hours exceed the shift's length."""
    if started_at is None or ended_at is None:
        refuse(_("请填写开始和结束时间。"), "times_missing")
    if ended_at <= started_at:
        refuse(
            _("签退（结束）时间 %(end)s 不能早于或等于签到（开始）时间 %(start)s。")
            % {"end": moment(ended_at), "start": moment(started_at)},
            "out_before_in",
        )
    hours = hours_between(started_at, ended_at)
    if hours > shift.duration_hours:
        refuse(
            _("服务时长 %(hours)s 小时超过了班次时长 %(limit)s 小时（%(span)s）。")
            % {"hours": hours, "limit": shift.duration_hours, "span": span(shift)},
            "over_shift",
        )
    return hours


def _count_confirmed(record):
    """Confirmed hours go to the usage metrics for the organising venue (at commit)."""
    activity = record.signup.shift.activity
    record_usage(
        VOLUNTEER_HOURS,
        venue=activity.venue_id,
        object_key=f"activity:{activity.pk}",
        value=record.hours,
        on_commit=True,
    )


def _new_record(signup, started_at, ended_at, hours, source, status, by=None, note="", now=None):
    now = now or timezone.now()
    reviewed = status == RecordStatus.CONFIRMED
    record = ServiceRecord.objects.create(
        signup=signup,
        started_at=started_at,
        ended_at=ended_at,
        hours=hours,
        service_date=timezone.localdate(started_at),
        source=source,
        status=status,
        note=note,
        reviewed_at=now if reviewed else None,
        reviewed_by=by if reviewed else None,
    )
    if reviewed:
        _count_confirmed(record)
    return record


def _locked_signup(pk):
    return (
        ShiftSignup.objects.select_for_update(of=("self",))
        .select_related("shift__activity", "volunteer__resident")
        .get(pk=pk)
    )


def _no_record_yet(signup):
    if ServiceRecord.objects.filter(signup=signup).exists():
        refuse(_("该班次已有服务记录；如需修改请由工作人员更正。"), "recorded")


# --- scanning at the door ---------------------------------------------------------------------


@dataclass
class Scan:
    signup: ShiftSignup
    action: str  # "in", "out", "again" (scanned twice), "done" (already checked out)
    record: ServiceRecord | None = None


def _scannable_signup(activity, volunteer, now):
    signups = (
        ShiftSignup.objects.filter(
            volunteer=volunteer,
            status__in=HOLDING,
            shift__activity=activity,
            shift__starts_at__lte=now + CHECK_IN_EARLY,
            shift__ends_at__gte=now - CHECK_OUT_LATE,
        )
        .select_related("shift")
        .order_by("shift__starts_at")
    )
    # A volunteer checked in somewhere is checked out there first.
    return next((s for s in signups if s.checked_in_at and not s.checked_out_at), None) or next(
        iter(signups), None
    )


def scan(activity, token, by, now=None):
    """The first scan checks a volunteer in to their shift on now, the next one checks them out
    and records the hours (confirmed: staff saw both ends)."""
    now = now or timezone.now()
    volunteer = volunteer_for_token(token)
    found = _scannable_signup(activity, volunteer, now)
    if found is None:
        refuse(
            _(
                "%(name)s 在“%(activity)s”没有正在进行的班次（开始前 %(early)s 分钟至结束后 %(late)s 小时可扫码）。"
            )
            % {
                "name": volunteer.name,
                "activity": activity,
                "early": int(CHECK_IN_EARLY.total_seconds() // 60),
                "late": int(CHECK_OUT_LATE.total_seconds() // 3600),
            },
            "no_shift",
        )
    with transaction.atomic():
        signup = _locked_signup(found.pk)
        if signup.checked_out_at is not None:
            return Scan(signup, "done", getattr(signup, "record", None))
        if signup.checked_in_at is None:
            signup.checked_in_at = now
            fields = ["checked_in_at"]
            if signup.status == SignupStatus.SIGNED_UP:  # turning up is taken as confirmed
                signup.status, signup.decided_at, signup.decided_by = (
                    SignupStatus.CONFIRMED,
                    now,
                    by,
                )
                fields += ["status", "decided_at", "decided_by"]
            signup.save(update_fields=fields)
            return Scan(signup, "in")
        if now <= signup.checked_in_at:
            refuse(_("签退时间不能早于签到时间。"), "out_before_in")
        if (now - signup.checked_in_at).total_seconds() < RESCAN_GRACE_SECONDS:
            return Scan(signup, "again")
        _no_record_yet(signup)
        signup.checked_out_at = now
        signup.save(update_fields=["checked_out_at"])
        hours = min(hours_between(signup.checked_in_at, now), signup.shift.duration_hours)
        record = _new_record(
            signup, signup.checked_in_at, now, hours, RecordSource.QR, RecordStatus.CONFIRMED, by
        )
    return Scan(signup, "out", record)


# --- entered by staff, reported by the volunteer ----------------------------------------------


def record_by_staff(signup, started_at, ended_at, by, note="", now=None):
    """Staff enter a volunteer's times (no phone at hand, a paper list): confirmed at once."""
    with transaction.atomic():
        signup = _locked_signup(signup.pk)
        if signup.status not in HOLDING:
            refuse(
                _("该报名已经%(status)s，不能登记时长。") % {"status": signup.get_status_display()},
                "released",
            )
        hours = check_times(signup.shift, started_at, ended_at)
        _no_record_yet(signup)
        signup.checked_in_at, signup.checked_out_at = started_at, ended_at
        if signup.status == SignupStatus.SIGNED_UP:
            signup.status, signup.decided_by = SignupStatus.CONFIRMED, by
        signup.save(update_fields=["checked_in_at", "checked_out_at", "status", "decided_by"])
        return _new_record(
            signup,
            started_at,
            ended_at,
            hours,
            RecordSource.STAFF,
            RecordStatus.CONFIRMED,
            by,
            note=note,
            now=now,
        )


def self_report(signup, started_at, ended_at, note="", now=None):
    """The volunteer reports their hours for a shift that has ended; staff confirm them."""
    now = now or timezone.now()
    with transaction.atomic():
        signup = _locked_signup(signup.pk)
        shift = signup.shift
        if signup.status not in HOLDING:
            refuse(
                _("该报名已经%(status)s，不能申报时长。") % {"status": signup.get_status_display()},
                "released",
            )
        if now < shift.ends_at:
            refuse(_("班次结束后才能申报服务时长。"), "not_ended")
        if now > shift.ends_at + SELF_REPORT_WITHIN:
            refuse(
                _("班次结束已超过 %(days)s 天，不能再申报，请联系工作人员补录。")
                % {"days": SELF_REPORT_WITHIN.days},
                "too_late",
            )
        hours = check_times(shift, started_at, ended_at)
        _no_record_yet(signup)
        return _new_record(
            signup, started_at, ended_at, hours, RecordSource.SELF, RecordStatus.PENDING, note=note
        )


# --- review and corrections -------------------------------------------------------------------


def _locked_record(record):
    return (
        ServiceRecord.objects.select_for_update(of=("self",))
        .select_related("signup__shift__activity")
        .get(pk=record.pk)
    )


def confirm_record(record, by, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        record = _locked_record(record)
        if record.status != RecordStatus.PENDING:
            refuse(_("该记录已%(status)s。") % {"status": record.get_status_display()}, "decided")
        record.status, record.reviewed_at, record.reviewed_by = RecordStatus.CONFIRMED, now, by
        record.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        log(record, CONFIRMED_ACTION, user=by, data={"hours": str(record.hours)})
        _count_confirmed(record)
    return record


def reject_record(record, by, reason, now=None):
    reason = (reason or "").strip()
    if not reason:
        refuse(_("请填写不予确认的原因，志愿者会看到它。"), "reason_missing")
    now = now or timezone.now()
    with transaction.atomic():
        record = _locked_record(record)
        if record.status != RecordStatus.PENDING:
            refuse(_("该记录已%(status)s。") % {"status": record.get_status_display()}, "decided")
        record.status, record.reviewed_at, record.reviewed_by = RecordStatus.REJECTED, now, by
        record.review_note = reason
        record.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_note"])
        log(record, REJECTED_ACTION, user=by, data={"reason": reason})
    return record


def _snapshot(record):
    return {
        "started_at": timezone.localtime(record.started_at).isoformat(),
        "ended_at": timezone.localtime(record.ended_at).isoformat(),
        "hours": str(record.hours),
    }


def correct_record(record, by, started_at, ended_at, reason):
    """Change a record's times (and so its hours), keeping its status; the before, the after,
    who and why go to the log. A refused correction changes nothing."""
    reason = (reason or "").strip()
    if not reason:
        refuse(_("请填写更正原因。"), "reason_missing")
    with transaction.atomic():
        record = _locked_record(record)
        hours = check_times(record.signup.shift, started_at, ended_at)
        before = _snapshot(record)
        record.started_at, record.ended_at, record.hours = started_at, ended_at, hours
        record.service_date = timezone.localdate(started_at)
        if before == _snapshot(record):
            refuse(_("时间和时长都没有变化，无需更正。"), "unchanged")
        record.save(update_fields=["started_at", "ended_at", "hours", "service_date"])
        log(
            record,
            CORRECTED_ACTION,
            user=by,
            data={"before": before, "after": _snapshot(record), "reason": reason},
        )
    return record


def corrections_of(record):
    """The record's corrections, newest first (Wagtail log entries)."""
    from wagtail.models import ModelLogEntry

    return (
        ModelLogEntry.objects.for_instance(record)
        .filter(action=CORRECTED_ACTION)
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
