"""Becoming a volunteer: a resident applies, the staff of the grid's venue approve or reject.
Every decision is written to Wagtail's log (管理后台 → 报告 → 站点历史)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import Volunteer, VolunteerStatus

APPROVED_ACTION = "volunteers.approve"
REJECTED_ACTION = "volunteers.reject"
REASSIGNED_ACTION = "volunteers.reassign"


def refuse(message, code):
    raise ValidationError(message, code=code)


def apply(resident, grid, *, now=None, **details):
    """Apply (or apply again after a rejection) with the application form's `details`:
    skills, skills_note, availability, preferred_area, introduction, showcase_consent."""
    now = now or timezone.now()
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().filter(resident=resident).first()
        if volunteer is not None and volunteer.status == VolunteerStatus.PENDING:
            refuse(_("您的志愿者申请正在审核中，请耐心等待。"), "pending")
        if volunteer is not None and volunteer.status == VolunteerStatus.APPROVED:
            refuse(_("您已经是注册志愿者，无需再次申请。"), "approved")
        volunteer = volunteer or Volunteer(resident=resident)
        for name, value in details.items():
            setattr(volunteer, name, value)
        volunteer.grid = grid
        volunteer.team = None
        volunteer.status = VolunteerStatus.PENDING
        volunteer.applied_at = now
        volunteer.reviewed_at = volunteer.reviewed_by = None
        volunteer.review_note = ""
        volunteer.full_clean()
        volunteer.save()
    return volunteer


def _pending(volunteer):
    volunteer = Volunteer.objects.select_for_update().select_related("grid").get(pk=volunteer.pk)
    if volunteer.status != VolunteerStatus.PENDING:
        refuse(
            _("该申请已处理（%(status)s），不能重复审核。")
            % {"status": volunteer.get_status_display()},
            "decided",
        )
    return volunteer


def approve(volunteer, by, team=None, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        volunteer = _pending(volunteer)
        volunteer.team = team
        volunteer.status = VolunteerStatus.APPROVED
        volunteer.reviewed_at, volunteer.reviewed_by, volunteer.review_note = now, by, ""
        volunteer.full_clean()
        volunteer.save()
        log(volunteer, APPROVED_ACTION, user=by)
    return volunteer


def reject(volunteer, by, reason, now=None):
    reason = (reason or "").strip()
    if not reason:
        refuse(_("请填写不通过的原因，申请人会看到它。"), "reason_missing")
    now = now or timezone.now()
    with transaction.atomic():
        volunteer = _pending(volunteer)
        volunteer.status = VolunteerStatus.REJECTED
        volunteer.reviewed_at, volunteer.reviewed_by, volunteer.review_note = now, by, reason
        volunteer.full_clean()
        volunteer.save()
        log(volunteer, REJECTED_ACTION, user=by, data={"reason": reason})
    return volunteer


def reassign(volunteer, by, grid, team):
    """Move a volunteer to another grid and/or team (the team must be the grid venue's)."""
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        before = {"grid": str(volunteer.grid), "team": str(volunteer.team or "")}
        volunteer.grid, volunteer.team = grid, team
        volunteer.full_clean()
        volunteer.save(update_fields=["grid", "team"])
        after = {"grid": str(grid), "team": str(team or "")}
        log(volunteer, REASSIGNED_ACTION, user=by, data={"before": before, "after": after})
    return volunteer
