"""Run a year's evaluation of one level: raw values → points → score, rank, grade, reward, flags.

compute(system) validates the system first and writes nothing when it is unusable. It stores
its results in the system's draft version (replaced in place), or — when the latest version is
published, hence frozen — in a new draft version based on it.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Venue
from . import rules
from .allocation import allocate
from .checks import system_errors
from .models import Evaluation, EvaluationStatus, IndicatorResult, VenueResult
from .rules import Grade
from .scoring import competition_ranks, points_for
from .sources import has_opening, read_all


def evaluated_venues(system):
    """Venues of the system's level in the public network (a delisted venue is not ranked)."""
    return list(Venue.objects.public().filter(level=system.level).order_by("code"))


def score_venues(system, indicators, venues, today):
    """[(venue, [(indicator, raw, points)], total)] — the arithmetic, without writing."""
    raw = read_all(indicators, venues, system.year, today)
    points = {
        ind.code: points_for(ind.rule, ind.weight, ind.target, raw[ind.code]) for ind in indicators
    }
    rows = []
    for venue in venues:
        lines = [(ind, raw[ind.code][venue.pk], points[ind.code][venue.pk]) for ind in indicators]
        rows.append((venue, lines, sum((p for _i, _r, p in lines), Decimal(0))))
    return rows


def _previous_failures(venue_ids, year):
    """{venue_id: years failed in a row just before `year`}, from published evaluations."""
    failed = {}
    for back in range(1, rules.DELIST_AFTER_FAILED_YEARS):
        grades = dict(latest_published_results(year - back).values_list("venue_id", "grade"))
        for pk in venue_ids:
            if failed.get(pk, 0) == back - 1 and grades.get(pk) == Grade.FAIL:
                failed[pk] = back
    return failed


def latest_published_results(year):
    """VenueResults of the newest published version of each level's evaluation of `year`."""
    newest = (
        Evaluation.objects.filter(
            system=OuterRef("evaluation__system"), status=EvaluationStatus.PUBLISHED
        )
        .order_by("-version")
        .values("pk")[:1]
    )
    return VenueResult.objects.filter(evaluation__system__year=year, evaluation_id=Subquery(newest))


def _delisting_reason(venue, grade, failed_before, opened):
    reasons = []
    if grade == Grade.FAIL and failed_before >= rules.DELIST_AFTER_FAILED_YEARS - 1:
        reasons.append(_("连续 %(n)s 年考核不合格") % {"n": rules.DELIST_AFTER_FAILED_YEARS})
    if venue.level in rules.DELIST_NO_OPENING_LEVELS and not opened:
        reasons.append(_("全年无开放记录"))
    return "；".join(reasons)


def compute(system, user=None, today=None):
    """Compute the system's evaluation; returns the Evaluation (a draft version)."""
    today = today or timezone.localdate()
    indicators = list(system.indicators.all())
    errors = system_errors(system, indicators)
    if errors:
        raise ValidationError(errors)
    venues = evaluated_venues(system)
    rows = score_venues(system, indicators, venues, today)
    scores = {venue.pk: total for venue, _lines, total in rows}
    ranks = competition_ranks(scores)
    grades = {pk: system.grade_for(score) for pk, score in scores.items()}
    qualifying = [
        (venue.pk, total, venue.code)
        for venue, _lines, total in rows
        if grades[venue.pk] != Grade.FAIL and total >= system.qualifying_line
    ]
    rewards = allocate(system.reward_budget, qualifying, system.qualifying_line)
    opened = has_opening(
        list(scores), date(system.year, 1, 1), min(date(system.year, 12, 31), today)
    )
    failed_before = _previous_failures(list(scores), system.year)
    reasons = {
        venue.pk: _delisting_reason(
            venue, grades[venue.pk], failed_before.get(venue.pk, 0), venue.pk in opened
        )
        for venue in venues
    }

    with transaction.atomic():
        evaluation = _draft_for(system, user)
        evaluation.settings_snapshot = _snapshot(system, indicators, today)
        evaluation.unallocated = system.reward_budget - sum(rewards.values())
        evaluation.save()
        results = VenueResult.objects.bulk_create(
            VenueResult(
                evaluation=evaluation,
                venue=venue,
                venue_name=venue.name,
                score=total,
                rank=ranks[venue.pk],
                grade=grades[venue.pk],
                reward=rewards.get(venue.pk, 0),
                warned=grades[venue.pk] == Grade.FAIL,
                delisting_proposed=bool(reasons[venue.pk]),
                delisting_reason=reasons[venue.pk],
            )
            for venue, _lines, total in rows
        )
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                result=result,
                code=ind.code,
                name=ind.name,
                source=ind.source,
                rule=ind.rule,
                weight=ind.weight,
                target=ind.target,
                raw_value=None if raw is None else Decimal(raw).quantize(rules.POINTS_PLACES),
                points=points,
                sort_order=order,
            )
            for result, (_venue, lines, _total) in zip(results, rows, strict=True)
            for order, (ind, raw, points) in enumerate(lines)
        )
    return evaluation


def _draft_for(system, user):
    """The system's draft, emptied for new results; or a new draft version after the last."""
    # Two computations of one system at once queue here instead of racing for the draft.
    type(system).objects.select_for_update().filter(pk=system.pk).first()
    evaluation = (
        Evaluation.objects.select_for_update()
        .filter(system=system, status=EvaluationStatus.DRAFT)
        .first()
    )
    now = timezone.now()
    if evaluation is not None:
        evaluation.results.all().delete()
        evaluation.computed_at, evaluation.computed_by = now, user
        return evaluation
    newest = system.evaluations.order_by("-version").first()
    return Evaluation(
        system=system,
        version=(newest.version + 1) if newest else 1,
        based_on=newest if newest and newest.is_published else None,
        computed_at=now,
        computed_by=user,
    )


def _snapshot(system, indicators, today):
    def text(value):
        return f"{Decimal(value).normalize():f}"

    return {
        "as_of": today.isoformat(),
        "total_points": text(system.total_points),
        "excellent_from": text(system.excellent_from),
        "good_from": text(system.good_from),
        "pass_from": text(system.pass_from),
        "qualifying_line": text(system.qualifying_line),
        "reward_budget": system.reward_budget,
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "source": i.source,
                "rule": i.rule,
                "weight": text(i.weight),
                "target": text(i.target),
            }
            for i in indicators
        ],
    }
