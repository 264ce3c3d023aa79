"""Borrowing services: every loan transition goes through here.

Each function checks the acting user's rights (PermissionDenied), validates (ValidationError with a
Chinese message), records who and when in Wagtail's audit log, and e-mails the other venue after
the transaction commits.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from metrics.services import record
from network.models import Venue

from .loans import ITEM_FIELDS, NO_OVERLAP_CONSTRAINT, Loan, LoanStatus

S = LoanStatus

# action → (statuses it may start from, status it leads to, which side may do it)
TRANSITIONS = {
    "approve": ((S.REQUESTED,), S.APPROVED, "lender"),
    "decline": ((S.REQUESTED,), S.DECLINED, "lender"),
    "cancel": ((S.REQUESTED, S.APPROVED), S.CANCELLED, "borrower"),
    "lend": ((S.APPROVED,), S.LENT, "lender"),
    "start_use": ((S.LENT,), S.IN_USE, "borrower"),
    "mark_overdue": ((S.LENT, S.IN_USE), S.OVERDUE, "lender"),
    "return": ((S.LENT, S.IN_USE, S.OVERDUE), S.RETURNED, "lender"),
}
LOG_PREFIX = "resources.loan."
ACTION_LABELS = {
    "request": gettext_lazy("申请借用"),
    "approve": gettext_lazy("批准"),
    "decline": gettext_lazy("拒绝"),
    "cancel": gettext_lazy("取消申请"),
    "lend": gettext_lazy("确认借出"),
    "start_use": gettext_lazy("开始使用"),
    "mark_overdue": gettext_lazy("标记逾期"),
    "return": gettext_lazy("确认归还"),
}


def venues_of(user):
    """Venues a user acts for: those of their editor/moderator groups; all for superusers."""
    from network.services import venues_for_user

    if getattr(user, "is_superuser", False):
        return Venue.objects.all()
    return venues_for_user(user)


def can_act_for(user, venue):
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or venues_of(user).filter(pk=venue.pk).exists()


def is_party(user, loan):
    return can_act_for(user, loan.lender) or can_act_for(user, loan.borrower)


def allowed_actions(user, loan, today=None):
    """The transitions `user` may apply to `loan` now, in TRANSITIONS order."""
    today = today or timezone.localdate()
    actions = []
    for action, (sources, _target, side) in TRANSITIONS.items():
        if loan.status not in sources:
            continue
        if action == "mark_overdue" and not today > loan.end_date:
            continue
        if can_act_for(user, getattr(loan, side)):
            actions.append(action)
    return actions


def find_item(resource_key, user=None):
    """The borrowable item for "teacher:12"; None if unknown or not visible to `user`."""
    prefix, _sep, pk = (resource_key or "").partition(":")
    field = ITEM_FIELDS.get(prefix)
    if field is None or not pk.isdigit():
        return None
    model = Loan._meta.get_field(field).related_model
    queryset = model.objects.all() if user is None else model.objects.visible_to(user)
    return queryset.filter(pk=int(pk)).first()


def _overlap_error(loan):
    """The Chinese message for a double booking, naming the period already taken."""
    other = (
        Loan.objects.holding()
        .overlapping(loan.resource_key, loan.booked_from, loan.booked_until)
        .exclude(pk=loan.pk)
        .order_by("booked_from")
        .first()
    )
    taken = other or loan
    start, end = taken.booked_from, taken.booked_until
    return ValidationError(
        _("该资源在 %(start)s 至 %(end)s 期间已被借出（含准备与整理天数），请选择其他日期。")
        % {"start": start.isoformat(), "end": end.isoformat()},
        code="double_booked",
    )


def save_guarded(loan, **kwargs):
    """Save inside a savepoint so the database's overlap refusal leaves the transaction usable."""
    try:
        with transaction.atomic():
            loan.save(**kwargs)
    except IntegrityError as error:
        if NO_OVERLAP_CONSTRAINT in str(error):
            raise _overlap_error(loan) from error
        raise


def check_rules(item, borrower, start, end, today):
    """The lending rules of `item` for `borrower` over [start, end] (also checked when a
    service order books it); raises ValidationError."""
    if item.owner_id == borrower.pk:
        raise ValidationError(_("不能向本馆借用本馆的资源。"), code="own_venue")
    if not item.lendable:
        raise ValidationError(_("“%(item)s”不可外借。") % {"item": item}, code="not_lendable")
    if end < start:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="dates_reversed")
    if start < today:
        raise ValidationError(_("开始日期不能早于今天。"), code="in_past")
    days = (end - start).days + 1
    if days > item.max_loan_days:
        raise ValidationError(
            _("借用时长 %(days)s 天，超过“%(item)s”允许的最长 %(max)s 天。")
            % {"days": days, "item": item, "max": item.max_loan_days},
            code="too_long",
        )


def request_loan(user, item, borrower, start_date, end_date, purpose, today=None):
    """`borrower` asks to borrow `item` from its owner venue for [start_date, end_date]."""
    today = today or timezone.localdate()
    if not can_act_for(user, borrower):
        raise PermissionDenied(_("您无权代表该场馆申请借用。"))
    if item is None:
        raise ValidationError(_("所选资源不存在或不可见。"), code="no_item")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError(_("请填写借用用途。"), code="no_purpose")
    check_rules(item, borrower, start_date, end_date, today)
    loan = Loan(
        borrower=borrower,
        start_date=start_date,
        end_date=end_date,
        purpose=purpose,
        requested_by=user,
        status=S.REQUESTED,
    )
    loan.set_item(item)
    # Fill resource_key and the booked period as save() would, to check them first.
    loan.resource_key = Loan.key_for(item)
    loan.exclusive = not getattr(item, "is_digital", False)
    loan.booked_from = start_date - timedelta(days=item.buffer_days_before)
    loan.booked_until = end_date + timedelta(days=item.buffer_days_after)
    # Asking for dates already taken is pointless: refuse now. The database still decides
    # at approval time, when concurrent requests race.
    if (
        loan.exclusive
        and Loan.objects.holding()
        .overlapping(loan.resource_key, loan.booked_from, loan.booked_until)
        .exists()
    ):
        raise _overlap_error(loan)
    with transaction.atomic():
        loan.save()
        log(instance=loan, action=LOG_PREFIX + "request", user=user, data=loan_log_data(loan))
        _notify_after_commit(loan, "request", user)
    return loan


def transition(user, loan, action, reason="", today=None):
    """Apply one of TRANSITIONS to `loan` as `user`; returns the updated loan."""
    if action not in TRANSITIONS:
        raise ValidationError(_("未知的操作。"), code="unknown_action")
    sources, target, side = TRANSITIONS[action]
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    with transaction.atomic():
        # Lock the row: two clicks on "批准" must not both pass the status check.
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("lender", "borrower")
            .get(pk=loan.pk)
        )
        if not can_act_for(user, getattr(loan, side)):
            raise PermissionDenied(_("您无权对这条借用执行该操作。"))
        if loan.status not in sources:
            raise ValidationError(
                _("当前状态为“%(status)s”，不能执行“%(action)s”。")
                % {"status": loan.get_status_display(), "action": ACTION_LABELS[action]},
                code="bad_transition",
            )
        if action == "decline" and not reason:
            raise ValidationError(_("拒绝借用时请填写理由。"), code="no_reason")
        if action == "mark_overdue" and not today > loan.end_date:
            raise ValidationError(_("尚未超过归还日期，不能标记为逾期。"), code="not_overdue")
        if action == "approve" and loan.start_date < today:
            raise ValidationError(_("借用开始日期已过，不能再批准。"), code="in_past")
        previous = loan.status
        loan.status = target
        if action in ("approve", "decline"):
            loan.decided_by = user
            loan.decided_at = timezone.now()
            loan.decision_reason = reason
        save_guarded(loan)
        if action == "lend":  # a loan provided, for the lender's usage metrics
            record("loan", venue=loan.lender_id, object_key=loan.resource_key, on_commit=True)
        data = loan_log_data(loan, previous=previous)
        if reason:
            data["reason"] = reason
        log(instance=loan, action=LOG_PREFIX + action, user=user, data=data)
        _notify_after_commit(loan, action, user)
    return loan


def approve(user, loan, reason=""):
    return transition(user, loan, "approve", reason)


def decline(user, loan, reason):
    return transition(user, loan, "decline", reason)


def cancel(user, loan, reason=""):
    return transition(user, loan, "cancel", reason)


def lend(user, loan):
    return transition(user, loan, "lend")


def start_use(user, loan):
    return transition(user, loan, "start_use")


def mark_returned(user, loan):
    return transition(user, loan, "return")


def mark_overdue(user, loan, today=None):
    return transition(user, loan, "mark_overdue", today=today)


def flag_overdue_loans(today=None):
    """For a daily job: mark every lent or in-use loan past its end date as overdue (no user)."""
    today = today or timezone.localdate()
    sources = TRANSITIONS["mark_overdue"][0]
    flagged = []
    for loan in Loan.objects.filter(status__in=sources, end_date__lt=today):
        with transaction.atomic():
            loan.status = S.OVERDUE
            loan.save(update_fields=["status", "updated_at"])
            log(instance=loan, action=LOG_PREFIX + "mark_overdue", data=loan_log_data(loan))
            _notify_after_commit(loan, "mark_overdue", None)
        flagged.append(loan)
    return flagged


def loan_log_data(loan, previous=None):
    """What the audit log keeps of a loan step (also used by service orders' bookings)."""
    data = {
        "status": loan.status,
        "resource": loan.resource_key,
        "start_date": loan.start_date.isoformat(),
        "end_date": loan.end_date.isoformat(),
    }
    if previous:
        data["previous_status"] = previous
    return data


# --- notifications -----------------------------------------------------------------------------

# Who hears about an action: requests and cancellations go to the lender, the rest to the borrower.
_NOTIFY_LENDER = {"request", "cancel", "start_use"}


def venue_recipients(venue):
    """E-mail addresses of the active members of a venue's editor and moderator groups."""
    groups = [g for g in (venue.editors_group_id, venue.moderators_group_id) if g]
    if not groups:
        return []
    users = get_user_model().objects.filter(groups__in=groups, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _notify_after_commit(loan, action, actor):
    venue = loan.lender if action in _NOTIFY_LENDER else loan.borrower
    loan_pk = loan.pk
    transaction.on_commit(lambda: _send_notice(loan_pk, venue.pk, action, actor))


def _send_notice(loan_pk, venue_pk, action, actor):
    loan = Loan.objects.select_related("lender", "borrower").get(pk=loan_pk)
    venue = Venue.objects.get(pk=venue_pk)
    recipients = [r for r in venue_recipients(venue) if not actor or r != actor.email]
    if not recipients:
        return
    subject = _("【借用】%(action)s：%(item)s") % {
        "action": ACTION_LABELS[action],
        "item": loan.item,
    }
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    lines = [
        _("资源：%(kind)s “%(item)s”") % {"kind": loan.item_kind, "item": loan.item},
        _("出借场馆：%(venue)s") % {"venue": loan.lender},
        _("借用场馆：%(venue)s") % {"venue": loan.borrower},
        _("借用日期：%(start)s 至 %(end)s") % {"start": loan.start_date, "end": loan.end_date},
        _("用途：%(purpose)s") % {"purpose": loan.purpose},
        _("当前状态：%(status)s") % {"status": loan.get_status_display()},
    ]
    if loan.decision_reason and action in ("approve", "decline"):
        lines.append(_("审批意见：%(reason)s") % {"reason": loan.decision_reason})
    lines.append(base_url + reverse("resources_loans:detail", args=[loan.pk]))
    send_mail(subject, "\n".join(lines), None, recipients, fail_silently=True)


def pending_counts(user):
    """(incoming, outgoing): requests awaiting a decision that `user`'s venues received / sent."""
    if not getattr(user, "is_authenticated", False):
        return 0, 0
    pending = Loan.objects.filter(status=S.REQUESTED)
    if user.is_superuser:
        count = pending.count()
        return count, count
    venues = list(venues_of(user).values_list("pk", flat=True))
    if not venues:
        return 0, 0
    incoming = pending.filter(lender__in=venues).count()
    outgoing = pending.filter(borrower__in=venues).count()
    return incoming, outgoing
