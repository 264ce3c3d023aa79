"""What changed between two versions of an evaluation, per venue and per indicator."""

from dataclasses import dataclass, field


@dataclass
class IndicatorChange:
    code: str
    name: str
    old_raw: object
    new_raw: object
    old_points: object
    new_points: object


@dataclass
class VenueChange:
    venue_id: int
    venue_name: str
    old: object  # VenueResult or None (the venue was not in that version)
    new: object
    indicators: list = field(default_factory=list)

    @property
    def changed_fields(self):
        if self.old is None or self.new is None:
            return ["score", "rank", "grade", "reward"]
        return [
            name
            for name in ("score", "rank", "grade", "reward")
            if getattr(self.old, name) != getattr(self.new, name)
        ]


def _results(evaluation):
    return {
        r.venue_id: r
        for r in evaluation.results.prefetch_related("indicator_results").order_by("rank")
    }


def compare(old_evaluation, new_evaluation):
    """[VenueChange] for every venue whose score, rank, grade, reward or any indicator's raw
    value or points differ, in the new version's ranking order (venues gone last)."""
    old, new = _results(old_evaluation), _results(new_evaluation)
    changes = []
    for venue_id in [*new, *(pk for pk in old if pk not in new)]:
        before, after = old.get(venue_id), new.get(venue_id)
        change = VenueChange(venue_id, (after or before).venue_name, before, after)
        lines_before = {i.code: i for i in before.indicator_results.all()} if before else {}
        lines_after = {i.code: i for i in after.indicator_results.all()} if after else {}
        for code in [*lines_after, *(c for c in lines_before if c not in lines_after)]:
            a, b = lines_before.get(code), lines_after.get(code)
            pair = (
                getattr(a, "raw_value", None),
                getattr(b, "raw_value", None),
                getattr(a, "points", None),
                getattr(b, "points", None),
            )
            if pair[0] != pair[1] or pair[2] != pair[3]:
                change.indicators.append(IndicatorChange(code, (b or a).name, *pair))
        if change.changed_fields or change.indicators:
            changes.append(change)
    return changes
