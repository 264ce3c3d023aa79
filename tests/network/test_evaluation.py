"""The yearly evaluation on a hand-computed example of six branches."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from network.evaluation.allocation import allocate
from network.evaluation.compute import compute
from network.evaluation.manual import enter_manual_scores
from network.evaluation.models import Evaluation, ManualScore, VenueResult
from network.evaluation.services import confirm_delisting, publish
from network.models import Venue
from tests.factories import editor_of

from .evaluation_fixtures import (
    BUDGET,
    REVIEW,
    TODAY,
    YEAR,
    branches,
    feed_sources,
    make_system,
)

# Indicators (weights 40 + 20 + 10 + 30 = 100):
#   enrol  linear,   target 100: 40 × min(enrolments / 100, 1)
#   usage  rank:     20 × (6 − rank) / 5, ties share the better rank
#   stars  pass/fail, target 4: 10 when the mean rating ≥ 4, else 0 (no rating: 0)
#   review manual:   as entered
#
#        enrolments      usage (rank)   mean stars    review  total   grade
#   V1   60+40=100 → 40  500 (1) → 20   45/10=4.5→10  28      98      优秀 (≥ 90)
#   V2   150       → 40  300 (2) → 16   20/5=4.0 →10  25      91      优秀
#   V3   80        → 32  300 (2) → 16   39/10=3.9→ 0  27.5    75.5    良好 (≥ 75)
#   V4   50        → 20  200 (4) →  8   10/2=5.0 →10  24      62      合格 (≥ 60)
#   V5   60        → 24  100 (5) →  4   none     → 0  30      58      不合格
#   V6   10        →  4    0 (6) →  0   6/3=2.0  → 0  10      14      不合格
#
# Reward 100 000 yuan among V1–V4 (≥ 合格 and ≥ the line 60), by score − 60:
#   38 + 31 + 15.5 + 2 = 86.5
#   V1 100000×38/86.5   = 43930.64 → 43930, remainder .64 (largest: +1 → 43931)
#   V2 100000×31/86.5   = 35838.15 → 35838
#   V3 100000×15.5/86.5 = 17919.08 → 17919
#   V4 100000×2/86.5    =  2312.14 →  2312
#   43931 + 35838 + 17919 + 2312 = 100000
EXPECTED = [
    # (score, rank, grade, reward, warned)
    (Decimal("98"), 1, "excellent", 43931, False),
    (Decimal("91"), 2, "excellent", 35838, False),
    (Decimal("75.5"), 3, "good", 17919, False),
    (Decimal("62"), 4, "pass", 2312, False),
    (Decimal("58"), 5, "fail", 0, True),
    (Decimal("14"), 6, "fail", 0, True),
]
EXPECTED_POINTS = {  # V3's breakdown: (raw value, points) per indicator
    "enrol": (Decimal("80"), Decimal("32")),
    "usage": (Decimal("300"), Decimal("16")),
    "stars": (Decimal("3.9"), Decimal("0")),
    "review": (Decimal("27.5"), Decimal("27.5")),
}


@pytest.fixture
def example(network, hub_admin):
    venues = branches(network)
    feed_sources(venues)
    system = make_system()
    review = system.indicators.get(code="review")
    enter_manual_scores(hub_admin, review, dict(zip(venues, REVIEW, strict=True)))
    return venues, system


def results_of(evaluation, venues):
    by_venue = {r.venue_id: r for r in evaluation.results.all()}
    return [by_venue[v.pk] for v in venues]


def test_hand_computed_scores_ranks_grades_and_rewards(example, hub_admin):
    venues, system = example
    evaluation = compute(system, hub_admin, today=TODAY)
    got = [(r.score, r.rank, r.grade, r.reward, r.warned) for r in results_of(evaluation, venues)]
    assert got == EXPECTED
    assert sum(r.reward for r in evaluation.results.all()) == BUDGET
    assert evaluation.unallocated == 0
    v3 = results_of(evaluation, venues)[2]
    lines = {i.code: (i.raw_value, i.points) for i in v3.indicator_results.all()}
    assert lines == EXPECTED_POINTS
    assert [i.source for i in v3.indicator_results.all()] == [
        "enrolments",
        "contribution_use",
        "satisfaction",
        "manual",
    ]


def test_no_opening_in_the_year_proposes_delisting(example, hub_admin):
    venues, system = example
    evaluation = compute(system, hub_admin, today=TODAY)
    proposed = {r.venue_id: r.delisting_reason for r in evaluation.results.all()}
    assert {pk for pk, reason in proposed.items() if reason} == {venues[5].pk}
    assert proposed[venues[5].pk] == "全年无开放记录"


def test_failing_two_years_running_proposes_delisting_and_admin_confirms(
    example, hub_admin, network
):
    venues, system = example
    # 2023: one manual indicator; V5 scores 50 (不合格), the others 80.
    last_year = make_system(year=YEAR - 1, weights=(0, 0, 0, 100))
    review = last_year.indicators.get(code="review")
    scores = {v: ("50" if v == venues[4] else "80") for v in venues}
    enter_manual_scores(hub_admin, review, scores)
    publish(hub_admin, compute(last_year, hub_admin, today=TODAY))

    evaluation = compute(system, hub_admin, today=TODAY)
    v5 = evaluation.results.get(venue=venues[4])
    assert v5.delisting_proposed
    assert v5.delisting_reason == "连续 2 年考核不合格"

    with pytest.raises(ValidationError, match="发布后才能确认摘牌"):
        confirm_delisting(hub_admin, v5)
    publish(hub_admin, evaluation)
    with pytest.raises(PermissionDenied):
        confirm_delisting(editor_of(network["liling"]), v5)
    assert Venue.objects.get(pk=venues[4].pk).status == "operating"

    confirm_delisting(hub_admin, v5)
    venue = Venue.objects.get(pk=venues[4].pk)
    assert venue.status == "delisted"
    assert not Venue.objects.public().filter(pk=venue.pk).exists()
    from wagtail.models import ModelLogEntry

    from portal.models import VenuePage

    assert VenuePage.objects.filter(venue=venue).exists()  # its content is kept
    entry = ModelLogEntry.objects.get(action="network.evaluation.delist")
    assert entry.object_id == str(venue.pk) and entry.user == hub_admin
    assert entry.data["reason"] == "连续 2 年考核不合格"
    v5.refresh_from_db()
    assert v5.delisting_confirmed_by == hub_admin
    with pytest.raises(ValidationError, match="已确认摘牌"):
        confirm_delisting(hub_admin, v5)
    # A venue not proposed cannot be delisted this way.
    with pytest.raises(ValidationError, match="未被建议摘牌"):
        confirm_delisting(hub_admin, evaluation.results.get(venue=venues[0]))


def test_allocation_sums_exactly_and_breaks_ties_deterministically():
    # 10 yuan among three equal excesses: 3.33 each, floors 9, one yuan left, all remainders
    # and scores equal → the first code ("a") gets it.
    shares = allocate(10, [("c", 70, "c"), ("a", 70, "a"), ("b", 70, "b")], 60)
    assert shares == {"a": 4, "b": 3, "c": 3}
    # Everyone on the line: equal shares.
    assert allocate(5, [("x", 60, "x"), ("y", 60, "y")], 60) == {"x": 3, "y": 2}
    # 100 yuan by excess 1 : 2 : 3 → 16.67, 33.33, 50 → floors 99, the largest remainder (a) +1.
    shares = allocate(100, [("a", 61, "a"), ("b", 62, "b"), ("c", 63, "c")], 60)
    assert shares == {"a": 17, "b": 33, "c": 50}
    # 2 yuan by excess 1 : 3 → 0.5 and 1.5, equal remainders: the higher score gets the yuan.
    assert allocate(2, [("a", 61, "a"), ("b", 63, "b")], 60) == {"a": 0, "b": 2}
    assert allocate(0, [("a", 80, "a")], 60) == {"a": 0}
    assert allocate(1000, [], 60) == {}


def test_published_version_is_frozen_and_recompute_makes_a_diffable_version(example, hub_admin):
    venues, system = example
    first = publish(hub_admin, compute(system, hub_admin, today=TODAY))
    with pytest.raises(ValidationError, match="已发布"):
        publish(hub_admin, first)

    review = system.indicators.get(code="review")
    enter_manual_scores(hub_admin, review, {venues[3]: "30"})  # V4: 24 → 30
    second = compute(system, hub_admin, today=TODAY)
    assert (second.version, second.based_on, second.status) == (2, first, "draft")
    # The published version did not move.
    assert results_of(first, venues)[3].score == Decimal("62")
    assert sum(r.reward for r in first.results.all()) == BUDGET
    # V4 now 68: excess 38 + 31 + 15.5 + 8 = 92.5 → 41081.08, 33513.51, 16756.76, 8648.65
    #   floors 41081 + 33513 + 16756 + 8648 = 99998; the two largest remainders (.76, .65) +1
    new = results_of(second, venues)
    assert [r.score for r in new[:4]] == [Decimal(98), Decimal(91), Decimal("75.5"), Decimal(68)]
    assert [r.reward for r in new[:4]] == [41081, 33513, 16757, 8649]

    # Recomputing the draft replaces it in place; no third version.
    again = compute(system, hub_admin, today=TODAY)
    assert again.pk == second.pk and Evaluation.objects.filter(system=system).count() == 2

    from network.evaluation.diff import compare

    changes = {c.venue_id: c for c in compare(first, again)}
    assert set(changes) == {v.pk for v in venues[:4]}  # V5, V6 unchanged
    v4 = changes[venues[3].pk]
    assert v4.changed_fields == ["score", "reward"]
    assert [(i.code, i.old_points, i.new_points) for i in v4.indicators] == [
        ("review", Decimal(24), Decimal(30))
    ]
    assert changes[venues[0].pk].changed_fields == ["reward"]


def test_weights_not_summing_to_the_total_refuse_to_compute(network, hub_admin):
    branches(network)
    system = make_system(weights=(40, 20, 10, 20))
    with pytest.raises(ValidationError) as error:
        compute(system, hub_admin, today=TODAY)
    assert "各指标分值合计为 90 分，应等于满分 100 分。" in error.value.messages
    assert not Evaluation.objects.exists() and not VenueResult.objects.exists()


def test_negative_budget_is_refused(network, hub_admin):
    system = make_system()
    system.reward_budget = -1
    with pytest.raises(ValidationError) as error:
        system.full_clean()
    assert "奖补资金不能为负数。" in error.value.messages
    with pytest.raises(ValidationError, match="奖补资金不能为负数"):
        compute(system, hub_admin, today=TODAY)
    assert not Evaluation.objects.exists()
    system.refresh_from_db()
    assert system.reward_budget == BUDGET


def test_manual_score_out_of_range_changes_nothing(example, hub_admin):
    venues, system = example
    review = system.indicators.get(code="review")
    before = list(ManualScore.objects.order_by("pk").values_list("venue_id", "points"))
    with pytest.raises(ValidationError) as error:
        enter_manual_scores(hub_admin, review, {venues[0]: "12", venues[1]: "31"})
    assert error.value.messages == [
        f"{venues[1]}：“评审打分”的得分须在 0 到 30 分之间，31 分超出范围。"
    ]
    with pytest.raises(ValidationError, match="不是数字"):
        enter_manual_scores(hub_admin, review, {venues[0]: "很好"})
    assert list(ManualScore.objects.order_by("pk").values_list("venue_id", "points")) == before
    with pytest.raises(PermissionDenied):
        enter_manual_scores(editor_of(venues[0]), review, {venues[0]: "30"})


def test_scores_need_an_evaluated_level(example, hub_admin, network):
    _venues, system = example
    review = system.indicators.get(code="review")
    with pytest.raises(ValidationError, match="不参加这一考核"):
        enter_manual_scores(hub_admin, review, {network["shimen"]: "5"})
    assert not ManualScore.objects.filter(venue=network["shimen"]).exists()


def test_a_running_year_counts_up_to_today(example, hub_admin):
    _venues, system = example
    evaluation = compute(system, hub_admin, today=date(YEAR, 6, 30))
    # July ratings and September enrolments are not in yet: V1 has 60 enrolments → 24 points.
    v1 = evaluation.results.get(venue__code="liling-pukou")
    assert v1.indicator_results.get(code="enrol").points == Decimal(24)
    assert v1.indicator_results.get(code="stars").raw_value is None
