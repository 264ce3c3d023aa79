"""The evaluation's admin pages and exports, as the hub and as venue staff."""

import io

import pytest
from django.urls import reverse

from network.evaluation.models import Evaluation, IndicatorSystem
from network.evaluation.services import publish
from tests.factories import editor_of

from .evaluation_fixtures import (
    computed_example,
    make_system,
)


@pytest.fixture
def evaluation(network, hub_admin):
    return computed_example(network, hub_admin)


def test_hub_sees_ranking_breakdown_and_publishes(client, evaluation, hub_admin):
    venues, draft = evaluation
    client.force_login(hub_admin)
    page = client.get(reverse("network_evaluation:evaluation", args=[draft.pk]))
    assert page.status_code == 200
    assert "发布（发布后冻结" in page.content.decode()
    result = draft.results.get(venue=venues[2])
    page = client.get(reverse("network_evaluation:result", args=[result.pk])).content.decode()
    assert "75.50" in page and "群众评价平均星级" in page and "3.90" in page
    client.post(reverse("network_evaluation:publish", args=[draft.pk]))
    assert Evaluation.objects.get(pk=draft.pk).is_published
    page = client.get(reverse("network_evaluation:index")).content.decode()
    assert "已发布" in page


def test_branch_staff_cannot_open_another_venues_breakdown(client, evaluation, hub_admin):
    venues, draft = evaluation
    publish(hub_admin, draft)
    client.force_login(editor_of(venues[0]))
    own = draft.results.get(venue=venues[0])
    other = draft.results.get(venue=venues[1])
    assert client.get(reverse("network_evaluation:result", args=[own.pk])).status_code == 200
    assert client.get(reverse("network_evaluation:result", args=[other.pk])).status_code == 403
    ranking = client.get(reverse("network_evaluation:evaluation", args=[draft.pk]))
    assert venues[1].name not in ranking.content.decode()
    assert client.post(reverse("network_evaluation:publish", args=[draft.pk])).status_code == 403


def test_exports_xlsx_and_pdf(client, evaluation, hub_admin):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    venues, draft = evaluation
    client.force_login(hub_admin)
    response = client.get(reverse("network_evaluation:xlsx", args=[draft.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["排名"].iter_rows(values_only=True))
    assert rows[1][:5] == ("排名", "场馆", "总分", "等次", "奖补资金（元）")
    assert rows[2][:5] == (1, venues[0].name, 98, "优秀", 43931)
    assert rows[-1][4] == 100_000
    assert len(list(workbook["得分明细"].iter_rows())) == 1 + 6 * 4
    response = client.get(reverse("network_evaluation:pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "43931" in text


def test_system_form_refuses_weights_not_adding_up(client, network, hub_admin):
    client.force_login(hub_admin)
    data = {
        "year": 2025,
        "level": "branch",
        "total_points": "100",
        "excellent_from": "90",
        "good_from": "75",
        "pass_from": "60",
        "qualifying_line": "60",
        "reward_budget": "1000",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-code": "enrol",
        "indicators-0-name": "培训报名",
        "indicators-0-source": "enrolments",
        "indicators-0-weight": "80",
        "indicators-0-target": "100",
        "indicators-0-rule": "linear",
        "indicators-0-ORDER": "1",
    }
    response = client.post(reverse("network_evaluation_systems:add"), data)
    assert "各指标分值合计为 80 分，应等于满分 100 分。" in response.content.decode()
    assert not IndicatorSystem.objects.exists()
    data["indicators-0-weight"] = "100"
    response = client.post(reverse("network_evaluation_systems:add"), data)
    assert response.status_code == 302
    assert IndicatorSystem.objects.get().indicators.get().weight == 100


def test_manual_score_form_checks_the_range(client, network, hub_admin):
    from network.evaluation.models import ManualScore

    system = make_system()
    review = system.indicators.get(code="review")
    client.force_login(hub_admin)
    data = {"indicator": review.pk, "venue": network["pukou"].pk, "points": "31", "note": ""}
    response = client.post(reverse("network_evaluation_scores:add"), data)
    assert "“评审打分”的得分须在 0 到 30 分之间，31 分超出范围。" in response.content.decode()
    assert not ManualScore.objects.exists()
    data["points"] = "26.5"
    assert client.post(reverse("network_evaluation_scores:add"), data).status_code == 302
    score = ManualScore.objects.get()
    assert (score.points, score.entered_by) == (26.5, hub_admin)
