"""Shift sign-ups: every change of a shift's places goes through here.

Each service runs in one transaction that first locks the shift row (SELECT … FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers already) and then the volunteer's,
so the places left and the volunteer's other shifts are checked by one request at a time. The
database has the last word all the same: its CHECK keeps `taken` at or below `places`, and a
partial unique index allows one place per volunteer and shift. Shifts are always locked before
volunteers, and several shifts in id order, so two requests never wait on each other."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import HOLDING, Shift, ShiftSignup, SignupStatus, Volunteer, VolunteerStatus


def refuse(message, code):
    raise ValidationError(message, code=code)


def moment(value):
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def span(shift):
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    end_label = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    return f"{start:%Y-%m-%d %H:%M}–{end_label}"


def _locked_shift(pk):
    return Shift.objects.select_for_update(of=("self",)).select_related("activity").get(pk=pk)


def _add_taken(shift, delta):
    Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + delta)
    shift.taken += delta


def overlapping(volunteer, shift):
    """The volunteer's held sign-ups for other shifts that share any time with `shift`."""
    return (
        ShiftSignup.objects.filter(volunteer=volunteer, status__in=HOLDING)
        .exclude(shift=shift)
        .filter(shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
        .select_related("shift__activity")
    )


def sign_up(volunteer, shift, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        shift = _locked_shift(shift.pk)
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.status != VolunteerStatus.APPROVED:
            refuse(_("只有审核通过的志愿者才能报名班次。"), "not_approved")
        if not shift.activity.published:
            refuse(_("该活动尚未发布，不能报名。"), "unpublished")
        if now >= shift.starts_at:
            refuse(_("该班次已经开始，不能再报名。"), "started")
        if shift.signups.filter(volunteer=volunteer, status__in=HOLDING).exists():
            refuse(_("您已报名该班次，不能重复报名。"), "duplicate")
        clash = overlapping(volunteer, shift).first()
        if clash is not None:
            refuse(
                _("该班次（%(this)s）与您已报名的“%(other)s · %(role)s”（%(when)s）时间重叠。")
                % {
                    "this": span(shift),
                    "other": clash.shift.activity,
                    "role": clash.shift.role,
                    "when": span(clash.shift),
                },
                "overlap",
            )
        if shift.taken >= shift.places:
            refuse(_("该班次名额已满（%(places)s 人）。") % {"places": shift.places}, "full")
        _add_taken(shift, 1)
        signup = ShiftSignup(shift=shift, volunteer=volunteer, status=SignupStatus.SIGNED_UP)
        try:
            with transaction.atomic():
                signup.save()
        except IntegrityError:
            refuse(_("您已报名该班次，不能重复报名。"), "duplicate")
    return signup


def _release(signup, status, by, now):
    shift = _locked_shift(signup.shift_id)
    signup = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
    if signup.status not in HOLDING:
        refuse(_("该报名已经%(status)s。") % {"status": signup.get_status_display()}, "released")
    if signup.checked_in_at is not None:
        refuse(_("已签到的报名不能取消。"), "checked_in")
    signup.status, signup.decided_at, signup.decided_by = status, now, by
    signup.save(update_fields=["status", "decided_at", "decided_by"])
    _add_taken(shift, -1)
    signup.shift = shift
    return signup


def cancel(signup, by=None, now=None):
    """The volunteer (or staff as `by`) gives the place back, before the shift starts."""
    now = now or timezone.now()
    with transaction.atomic():
        if now >= _locked_shift(signup.shift_id).starts_at:
            refuse(_("班次已经开始，不能取消报名；如不能到场请联系工作人员。"), "started")
        return _release(signup, SignupStatus.CANCELLED, by, now)


def decline(signup, by, now=None):
    """Staff do not take this volunteer for the shift: the place goes back."""
    now = now or timezone.now()
    with transaction.atomic():
        return _release(signup, SignupStatus.DECLINED, by, now)


def confirm(signup, by, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        signup = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
        if signup.status == SignupStatus.CONFIRMED:
            return signup
        if signup.status != SignupStatus.SIGNED_UP:
            refuse(
                _("该报名已经%(status)s，不能确认。") % {"status": signup.get_status_display()},
                "released",
            )
        signup.status, signup.decided_at, signup.decided_by = SignupStatus.CONFIRMED, now, by
        signup.save(update_fields=["status", "decided_at", "decided_by"])
    return signup


def release_all_for(volunteer, now=None):
    """Give back every place a volunteer holds in shifts not yet over (their account is being
    deleted). Shifts are locked in id order, as every caller does."""
    now = now or timezone.now()
    with transaction.atomic():
        held = volunteer.signups.filter(status__in=HOLDING, shift__ends_at__gt=now)
        for signup in held.order_by("shift_id"):
            shift = _locked_shift(signup.shift_id)
            ShiftSignup.objects.filter(pk=signup.pk).update(
                status=SignupStatus.CANCELLED, decided_at=now
            )
            _add_taken(shift, -1)


def places_check(shift, places):
    """A shift's places may not drop below the places already taken (nobody is removed)."""
    if shift.pk and places is not None:
        taken = Shift.objects.filter(pk=shift.pk).values_list("taken", flat=True).first() or 0
        if places < taken:
            raise ValidationError(
                {"places": _("已有 %(taken)s 人报名，名额不能少于 %(taken)s。") % {"taken": taken}}
            )
