"""How long personal data is kept, and the purge that removes what has outlived its purpose
(PIPL art. 19, 47: kept no longer than needed). docs/privacy.md explains each period.

`RETENTION` is the one place the periods live. `purge(now, dry_run)` applies them: each rule
is a function giving the rows past their period at `now` (passed in, so tests pin the clock),
and the purge deletes them in one transaction, or only counts them on a dry run. It runs daily
as a django-tasks task (portal.tasks) and by hand as `manage.py purge_personal_data`.

Usage-metric raw events (with their session hashes) have their own retention and daily prune
in metrics (METRICS_RAW_RETENTION_DAYS, docs/metrics.md); they are not repeated here.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import APIToken, ModelLogEntry

from training import rules as training_rules
from training import schedule
from training.models import Enrolment, EnrolmentStatus, Offering, PhoneCode, Resident

YEAR = timedelta(days=365)

RETENTION = {
    # SMS codes live 10 minutes; a day later they are of no use even to explain a complaint.
    "phone_codes": timedelta(days=1),
    # App logins (resident API tokens), counted from expiry or revocation: long enough to look
    # into a misuse reported late, no longer.
    "api_tokens": timedelta(days=30),
    # Login sessions, counted from their expiry (what Django's clearsessions removes).
    "sessions": timedelta(0),
    # A cancelled enrolment: the place was given back; kept half a year for questions about it.
    "cancelled_enrolments": timedelta(days=180),
    # Enrolments (with attendance) of a course or event that ended this long ago. Ratings stay,
    # anonymised; the yearly evaluation counts enrolments from the usage metrics, not these rows.
    "finished_enrolments": 3 * YEAR,
    # Audit-log entries about residents and enrolments (who registered, enrolled, cancelled,
    # saw full numbers or deleted an account). 等保 asks for at least six months; three years
    # covers a complaint or an audit of the yearly evaluation.
    "resident_audit_log": 3 * YEAR,
}


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    rows: object  # now -> QuerySet of what is past its period


def _phone_codes(now):
    return PhoneCode.objects.filter(expires_at__lt=now - RETENTION["phone_codes"])


def _api_tokens(now):
    cutoff = now - RETENTION["api_tokens"]
    return APIToken.objects.filter(user__resident__isnull=False).filter(
        Q(created__lt=cutoff - training_rules.TOKEN_LIFETIME) | Q(revoked_at__lt=cutoff)
    )


def _sessions(now):
    from django.contrib.sessions.models import Session

    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return Session.objects.none()  # the cache or signed cookies expire by themselves
    return Session.objects.filter(expire_date__lt=now - RETENTION["sessions"])


def _cancelled_enrolments(now):
    return Enrolment.objects.filter(
        status=EnrolmentStatus.CANCELLED,
        cancelled_at__lt=now - RETENTION["cancelled_enrolments"],
    )


def _finished_enrolments(now):
    cutoff = now - RETENTION["finished_enrolments"]
    # Only enrolments made before the cutoff can belong to a course that ended before it.
    offerings = (
        Offering.objects.filter(enrolments__created_at__lt=cutoff)
        .distinct()
        .select_related("course", "event")
        .prefetch_related("course__sessions")
    )
    ended = [o.pk for o in offerings if schedule.has_ended(o, now=cutoff)]
    return Enrolment.objects.filter(offering__in=ended)


def _resident_audit_log(now):
    types = ContentType.objects.get_for_models(Resident, Enrolment, for_concrete_models=False)
    return ModelLogEntry.objects.filter(
        content_type__in=types.values(), timestamp__lt=now - RETENTION["resident_audit_log"]
    )


RULES = [
    Rule("phone_codes", _("过期的短信验证码"), _phone_codes),
    Rule("api_tokens", _("过期或已撤销的App登录凭证"), _api_tokens),
    Rule("sessions", _("过期的登录会话"), _sessions),
    Rule("cancelled_enrolments", _("已取消的报名"), _cancelled_enrolments),
    Rule("finished_enrolments", _("已结束课程和活动的报名及考勤"), _finished_enrolments),
    Rule("resident_audit_log", _("居民相关的审计日志"), _resident_audit_log),
]


def purge(now, *, dry_run=False):
    """{rule key: rows past their period at `now`}, deleted unless `dry_run` (then counted).
    Counts are of each rule's own rows; what cascades with them (attendance) is not added."""
    counts = {}
    with transaction.atomic():
        for rule in RULES:
            rows = rule.rows(now)
            if dry_run:
                counts[rule.key] = rows.count()
            else:
                _total, per_model = rows.delete()
                counts[rule.key] = per_model.get(rows.model._meta.label, 0)
    return counts
