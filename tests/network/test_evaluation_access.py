"""Who sees which breakdown: own venue, a main centre's branches, the hub everything."""

import pytest

from network.evaluation.compute import compute
from network.evaluation.services import (
    can_view_result,
    publish,
    ranking_rows,
    visible_results,
)
from tests.factories import editor_of, make_user

from .evaluation_fixtures import (
    TODAY,
    computed_example,
)


@pytest.fixture
def published(network, hub_admin):
    venues, draft = computed_example(network, hub_admin)
    return venues, publish(hub_admin, draft)


def codes(results):
    return sorted(r.venue.code for r in results)


def test_branch_staff_see_only_their_own_breakdown(published):
    venues, evaluation = published
    pukou_staff = editor_of(venues[0])
    assert codes(visible_results(pukou_staff, evaluation)) == ["liling-pukou"]
    other = evaluation.results.get(venue=venues[1])
    assert not can_view_result(pukou_staff, other)
    assert can_view_result(pukou_staff, evaluation.results.get(venue=venues[0]))


def test_main_centre_sees_its_branches_and_the_hub_sees_all(published, network):
    venues, evaluation = published
    liling_staff = editor_of(network["liling"])
    assert codes(visible_results(liling_staff, evaluation)) == [
        "liling-dongfu",
        "liling-jiashu",
        "liling-pukou",
    ]
    hub_staff = editor_of(network["hub"])
    assert len(visible_results(hub_staff, evaluation)) == 6
    assert visible_results(make_user("nobody"), evaluation).count() == 0


def test_drafts_are_only_for_the_hub(network, hub_admin, published):
    venues, evaluation = published
    system = evaluation.system
    draft = compute(system, hub_admin, today=TODAY)
    assert draft.status == "draft"
    assert visible_results(editor_of(venues[0]), draft).count() == 0
    assert visible_results(editor_of(network["hub"]), draft).count() == 6


def test_ranking_rows_are_the_latest_published_scoped_to_the_user(published, network):
    venues, evaluation = published
    rows = ranking_rows(2024)
    assert [(r["venue"], r["rank"], r["reward"]) for r in rows][:2] == [
        (venues[0].name, 1, 43931),
        (venues[1].name, 2, 35838),
    ]
    youxian_rows = ranking_rows(user=editor_of(network["youxian"]))
    assert sorted(r["venue_id"] for r in youxian_rows) == sorted(v.pk for v in venues[3:])
    assert {r["grade_label"] for r in youxian_rows} == {"合格", "不合格"}
    assert ranking_rows(2019) == []
