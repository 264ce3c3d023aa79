"""Attendance (考勤): a roll taken by staff per session, or a resident's QR code scanned at the
door. A resident's code carries their id signed with the site's key and the time it was drawn,
so it can be neither forged nor kept for later (rules.QR_TOKEN_LIFETIME)."""

from dataclasses import dataclass

import segno
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from . import schedule, usage
from .models import Attendance, AttendanceMethod, Enrolment, EnrolmentStatus, Resident
from .rules import CHECK_IN_EARLY, QR_TOKEN_LIFETIME

QR_SALT = "training.attendance"


def _signer():
    return signing.TimestampSigner(salt=QR_SALT)


def qr_token(resident):
    return _signer().sign(str(resident.pk))


def qr_svg(token):
    """The token as an inline SVG QR code (no image file, nothing stored)."""
    return segno.make_qr(token, error="m").svg_inline(scale=6, border=2)


def resident_for_token(token):
    token = (token or "").strip()
    try:
        pk = _signer().unsign(token, max_age=QR_TOKEN_LIFETIME)
    except signing.SignatureExpired:
        raise ValidationError(
            _("二维码已过期，请居民刷新“我的课程”页面后重新出示。"), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("无法识别的二维码，请重新扫描。"), code="bad_token") from None
    resident = Resident.objects.filter(pk=pk).first()
    if resident is None:
        raise ValidationError(_("无法识别的二维码，请重新扫描。"), code="bad_token")
    return resident


# --- which session is on ----------------------------------------------------------------------


def check_in_window(session):
    """From CHECK_IN_EARLY before a session starts until it ends."""
    return (
        schedule.at(session.date, session.starts) - CHECK_IN_EARLY,
        schedule.at(session.date, session.ends),
    )


def current_session(offering, now=None):
    """The course session taking check-ins now, None when none is. For an event: the event
    itself when it is on (returned as True, since events have no sessions)."""
    now = now or timezone.now()
    if offering.event_id:
        event = offering.event
        return True if event.start - CHECK_IN_EARLY <= now <= event.end else None
    for session in schedule.sessions_of(offering):
        start, end = check_in_window(session)
        if start <= now <= end:
            return session
    return None


# --- recording --------------------------------------------------------------------------------


def _record(enrolment, session, present, method, by):
    row, _created = Attendance.objects.update_or_create(
        enrolment=enrolment,
        session=session,
        defaults={"present": present, "method": method, "recorded_by": by},
    )
    return row


def take_roll(offering, session, present_ids, by):
    """Mark every enrolled person present or absent for `session` (None for an event). Ids of
    anyone not enrolled are ignored. Returns (present, absent) counts."""
    present_ids = {int(pk) for pk in present_ids}
    enrolled = list(offering.enrolments.filter(status=EnrolmentStatus.ENROLLED))
    with transaction.atomic():
        # Taking the roll again counts only those newly present.
        already = set(
            Attendance.objects.filter(
                enrolment__in=enrolled, session=session, present=True
            ).values_list("enrolment_id", flat=True)
        )
        for enrolment in enrolled:
            _record(enrolment, session, enrolment.pk in present_ids, AttendanceMethod.ROLL, by)
            if enrolment.pk in present_ids and enrolment.pk not in already:
                usage.attended(enrolment)
    present = sum(1 for e in enrolled if e.pk in present_ids)
    return present, len(enrolled) - present


@dataclass
class CheckIn:
    enrolment: Enrolment
    session: object  # a CourseSession, or None for an event
    already: bool


def check_in(offering, token, by, now=None):
    """Record the holder of a scanned code as present at the session on now."""
    resident = resident_for_token(token)
    session = current_session(offering, now)
    if session is None:
        raise ValidationError(
            _("现在不在签到时间内（课前 %(minutes)s 分钟至下课）。")
            % {"minutes": int(CHECK_IN_EARLY.total_seconds() // 60)},
            code="no_session",
        )
    session = None if session is True else session
    enrolment = (
        offering.enrolments.filter(resident=resident)
        .exclude(status=EnrolmentStatus.CANCELLED)
        .first()
    )
    if enrolment is None:
        raise ValidationError(
            _("%(name)s 没有报名“%(title)s”。")
            % {"name": resident.real_name, "title": offering.target},
            code="not_enrolled",
        )
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        raise ValidationError(
            _("%(name)s 还在候补名单中，尚未转为正式报名。") % {"name": resident.real_name},
            code="waitlisted",
        )
    already = Attendance.objects.filter(enrolment=enrolment, session=session, present=True)
    if already.exists():
        return CheckIn(enrolment, session, already=True)
    with transaction.atomic():
        _record(enrolment, session, True, AttendanceMethod.QR, by)
        usage.attended(enrolment)
    return CheckIn(enrolment, session, already=False)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class AttendanceLine:
    label: str
    state: str  # present, absent, unrecorded, upcoming


def record_of(enrolment, now=None):
    """A resident's attendance, one line per session (one for an event)."""
    now = now or timezone.now()
    offering = enrolment.offering
    rows = {row.session_id: row.present for row in enrolment.attendance.all()}

    def state(key, start):
        if key in rows:
            return "present" if rows[key] else "absent"
        return "upcoming" if start > now else "unrecorded"

    if offering.event_id:
        return [AttendanceLine(str(offering.event), state(None, offering.event.start))]
    lines = []
    for session in schedule.sessions_of(offering):
        label = f"{session.date:%m-%d} {session.starts:%H:%M}"
        lines.append(
            AttendanceLine(label, state(session.pk, schedule.at(session.date, session.starts)))
        )
    return lines


def present_counts(offering):
    """{session id (None for an event): number present}."""
    rows = (
        Attendance.objects.filter(enrolment__offering=offering, present=True)
        .values("session_id")
        .annotate(present=Count("pk"))
        .order_by()
    )
    return {row["session_id"]: row["present"] for row in rows}
