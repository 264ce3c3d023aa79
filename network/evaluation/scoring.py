"""Points from raw values, by an indicator's scoring rule, and ranks by score.

- linear: weight × raw / target, capped at the weight (a target of 0 gives the full weight);
- rank: within the level, by raw value, best first; rank r of n gets weight × (n − r) / (n − 1)
  (the best gets the weight, the last nothing; tied venues share the better rank; a level of
  one venue gets the weight);
- pass_fail: the weight when raw ≥ target, else nothing;
- manual: the reviewer's points as entered (already checked to lie in 0..weight).
A missing raw value (None: nothing to measure) scores nothing. Points are rounded half up to
the hundredth, per indicator; the total is the sum of the rounded points.
"""

from decimal import ROUND_HALF_UP, Decimal

from .rules import POINTS_PLACES, ScoringRule

ZERO = Decimal(0)


def quantize(value):
    return Decimal(value).quantize(POINTS_PLACES, rounding=ROUND_HALF_UP)


def competition_ranks(values):
    """{key: rank} for {key: value}, highest first, ties sharing the better rank (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=True)
    first_place = {}
    for position, value in enumerate(ordered, start=1):
        first_place.setdefault(value, position)
    return {key: first_place[value] for key, value in values.items()}


def points_for(rule, weight, target, raw_values):
    """{venue_id: points} for one indicator's raw values {venue_id: Decimal | None}."""
    weight, target = Decimal(weight), Decimal(target)
    if rule == ScoringRule.RANK:
        measured = {pk: raw for pk, raw in raw_values.items() if raw is not None}
        ranks = competition_ranks(measured)
        n = len(measured)
        points = {
            pk: weight if n == 1 else weight * (n - rank) / (n - 1) for pk, rank in ranks.items()
        }
        return {pk: quantize(points.get(pk, ZERO)) for pk in raw_values}
    return {pk: quantize(_single(rule, weight, target, raw)) for pk, raw in raw_values.items()}


def _single(rule, weight, target, raw):
    if raw is None:
        return ZERO
    raw = Decimal(raw)
    if rule == ScoringRule.LINEAR:
        if target <= 0:
            return weight
        return min(weight, weight * max(raw, ZERO) / target)
    if rule == ScoringRule.PASS_FAIL:
        return weight if raw >= target else ZERO
    if rule == ScoringRule.MANUAL:
        return min(max(raw, ZERO), weight)
    raise ValueError(f"unknown scoring rule {rule!r}")
