"""评审打分: reviewers' points for the manual indicators, checked before anything is written."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .rules import ScoringRule


def manual_score_errors(indicator, venue, points):
    errors = []
    if indicator.rule != ScoringRule.MANUAL:
        errors.append(_("指标“%(name)s”不是评审打分指标。") % {"name": indicator.name})
    if venue is not None and venue.level != indicator.system.level:
        errors.append(
            _("%(venue)s不属于%(level)s，不参加这一考核。")
            % {"venue": venue, "level": indicator.system.level_label}
        )
    if points is None:
        errors.append(_("请填写得分。"))
    elif not (0 <= points <= indicator.weight):
        errors.append(
            _("“%(name)s”的得分须在 0 到 %(weight)s 分之间，%(points)s 分超出范围。")
            % {
                "name": indicator.name,
                "weight": f"{indicator.weight.normalize():f}",
                "points": points,
            }
        )
    return errors


def _parse(value):
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None


def enter_manual_scores(user, indicator, scores, note=""):
    """Save reviewers' points {venue: points} for one manual indicator, all or nothing.

    Raises ValidationError (every bad entry, in Chinese) and writes nothing when any is wrong."""
    from .models import ManualScore
    from .services import can_manage

    if not can_manage(user):
        raise PermissionDenied(_("只有中心馆工作人员可以录入评审打分。"))
    errors, parsed = [], []
    for venue, raw in scores.items():
        points = _parse(raw)
        if points is None:
            errors.append(_("%(venue)s：得分“%(raw)s”不是数字。") % {"venue": venue, "raw": raw})
            continue
        errors += [f"{venue}：{e}" for e in manual_score_errors(indicator, venue, points)]
        parsed.append((venue, points))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for venue, points in parsed:
            ManualScore.objects.update_or_create(
                indicator=indicator,
                venue=venue,
                defaults={"points": points, "note": note, "entered_by": user},
            )
    return len(parsed)
