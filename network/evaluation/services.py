"""The evaluation's service functions: who sees what, publishing, 摘牌, the ranking for others.

Scope (reusing network.compliance.scope_for and network.services.venues_for_user): the hub's
staff and superusers see every result and manage the evaluation; a main centre's staff see its
own and its branches' (its subtree's) results; any venue's staff see their own. Drafts are the
hub's working copies: only those who manage see them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from ..models import Venue
from ..plan import Level, Status
from ..services import overseen_venue_ids, venues_for_user
from .compute import latest_published_results
from .models import Evaluation, EvaluationStatus, VenueResult

LOG_PUBLISH = "network.evaluation.publish"
LOG_DELIST = "network.evaluation.delist"


def can_manage(user):
    """Superusers and the hub's staff define systems, score, compute, publish and delist."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or venues_for_user(user).filter(level=Level.HUB).exists()


def visible_results(user, evaluation):
    """The evaluation's VenueResults `user` may see (none of a draft unless they manage)."""
    results = evaluation.results.select_related("venue")
    if not evaluation.is_published and not can_manage(user):
        return results.none()
    ids = overseen_venue_ids(user)
    return results if ids is None else results.filter(venue_id__in=ids)


def can_view_result(user, result):
    return visible_results(user, result.evaluation).filter(pk=result.pk).exists()


def visible_evaluations(user):
    if can_manage(user):
        return Evaluation.objects.select_related("system")
    ids = overseen_venue_ids(user)
    return (
        Evaluation.objects.select_related("system")
        .filter(status=EvaluationStatus.PUBLISHED, results__venue_id__in=ids)
        .distinct()
    )


def publish(user, evaluation):
    """Freeze a draft: it can no longer change; a later compute makes a new version."""
    if not can_manage(user):
        raise PermissionDenied(_("只有中心馆工作人员可以发布考核结果。"))
    with transaction.atomic():
        evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.is_published:
            raise ValidationError(_("该版本已发布，不能重复发布。"))
        evaluation.status = EvaluationStatus.PUBLISHED
        evaluation.published_at, evaluation.published_by = timezone.now(), user
        evaluation.save(update_fields=["status", "published_at", "published_by"])
        log(
            instance=evaluation,
            action=LOG_PUBLISH,
            user=user,
            data={"version": evaluation.version, "system": str(evaluation.system)},
        )
    return evaluation


def confirm_delisting(user, result):
    """A hub administrator confirms a proposed 摘牌: the venue leaves the public site (its status
    becomes 已摘牌, outside PUBLIC_STATUSES); its pages, catalogue and records are kept."""
    if not can_manage(user):
        raise PermissionDenied(_("只有中心馆管理员可以确认摘牌。"))
    with transaction.atomic():
        result = (
            VenueResult.objects.select_for_update().select_related("evaluation").get(pk=result.pk)
        )
        if not result.evaluation.is_published:
            raise ValidationError(_("考核结果发布后才能确认摘牌。"))
        if not result.delisting_proposed:
            raise ValidationError(_("%(venue)s未被建议摘牌。") % {"venue": result.venue_name})
        if result.delisting_confirmed_at is not None:
            raise ValidationError(_("%(venue)s已确认摘牌。") % {"venue": result.venue_name})
        venue = Venue.objects.select_for_update().get(pk=result.venue_id)
        previous = venue.status
        venue.status = Status.DELISTED
        venue.save()
        result.delisting_confirmed_at, result.delisting_confirmed_by = timezone.now(), user
        result.save(update_fields=["delisting_confirmed_at", "delisting_confirmed_by"])
        log(
            instance=venue,
            action=LOG_DELIST,
            user=user,
            data={
                "evaluation": str(result.evaluation),
                "reason": result.delisting_reason,
                "previous_status": previous,
            },
        )
    return result


def ranking_rows(year=None, user=None):
    """The newest published ranking (of `year`, default the latest year with one), as dicts
    {venue, venue_id, level, level_label, score, rank, grade, grade_label, reward}, ordered by
    level then rank, limited to what `user` may see (all when user is None: a public figure)."""
    if year is None:
        year = (
            Evaluation.objects.filter(status=EvaluationStatus.PUBLISHED)
            .order_by("-system__year")
            .values_list("system__year", flat=True)
            .first()
        )
        if year is None:
            return []
    results = latest_published_results(year).select_related("evaluation__system")
    if user is not None:
        ids = overseen_venue_ids(user)
        if ids is not None:
            results = results.filter(venue_id__in=ids)
    order = {level: n for n, level in enumerate(Level.values)}
    rows = [
        {
            "venue": r.venue_name,
            "venue_id": r.venue_id,
            "level": r.evaluation.system.level,
            "level_label": str(Level(r.evaluation.system.level).label),
            "score": r.score,
            "rank": r.rank,
            "grade": r.grade,
            "grade_label": r.get_grade_display(),
            "reward": r.reward,
        }
        for r in results
    ]
    return sorted(rows, key=lambda row: (order[row["level"]], row["rank"], row["venue"]))


def system_from_defaults(year, level, reward_budget=None):
    """A year's indicator system for `level`, filled from rules.DEFAULT_SYSTEMS, for the hub
    to adjust. Raises ValidationError when the year and level already have one."""
    from . import rules
    from .models import Indicator, IndicatorSystem

    if IndicatorSystem.objects.filter(year=year, level=level).exists():
        raise ValidationError(_("该年度该层级已有考核指标体系。"))
    budget = rules.DEFAULT_BUDGETS[level] if reward_budget is None else reward_budget
    system = IndicatorSystem(year=year, level=level, reward_budget=budget)
    system.indicators = [
        Indicator(
            code=d.code,
            name=str(d.name),
            source=d.source,
            weight=d.weight,
            target=d.target,
            rule=d.rule,
            sort_order=n,
        )
        for n, d in enumerate(rules.DEFAULT_SYSTEMS[level])
    ]
    system.full_clean()
    with transaction.atomic():
        system.save()
    return system
