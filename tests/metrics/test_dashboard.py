"""The dashboards' data functions on known aggregates (figures computed by hand), and whose
figures each user's scope covers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache

from metrics.dashboard import CHARTS
from metrics.dashboard.network_charts import NO_RANKING
from metrics.dashboard.scope import Scope, scope_for
from metrics.dashboard.usage_charts import key_figures, last_months
from metrics.models import ALL, MonthlyAreaMetric, MonthlyObjectMetric, MonthlyVenueMetric
from network.compliance import assess_venue, week_start
from network.evaluation.services import publish
from network.population import Township
from tests.factories import editor_of, make_user, moderator_of
from tests.network.evaluation_fixtures import computed_example
from tests.resources.factories import make_asset

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 15)
MARCH, FEBRUARY = date(2026, 3, 1), date(2026, 2, 1)


def venue_month(venue, month, event_type, count, total=0):
    MonthlyVenueMetric.objects.create(
        venue=venue, month=month, event_type=event_type, count=count, total=total
    )


def network_month(month, event_type, count, total=0):
    MonthlyAreaMetric.objects.create(
        month=month, event_type=event_type, district=ALL, level=ALL, count=count, total=total
    )


def rows(key, scope, today=TODAY):
    return CHARTS[key].rows(scope, today)


@pytest.fixture
def usage(network):
    """February and March: page views and plays at 醴陵 (main), 浦口 (its branch) and 攸县."""
    liling, pukou, youxian = network["liling"], network["pukou"], network["youxian"]
    venue_month(liling, MARCH, "page_view", 300)
    venue_month(pukou, MARCH, "page_view", 40)
    venue_month(pukou, FEBRUARY, "page_view", 25)
    venue_month(youxian, MARCH, "page_view", 7000)
    venue_month(pukou, MARCH, "asset_play", 6)
    venue_month(pukou, MARCH, "volunteer_hours", 3, Decimal("7.50"))
    venue_month(youxian, MARCH, "volunteer_hours", 2, Decimal("4.00"))
    # The network rollup also counts page views of no venue (the portal home): 7340 + 60.
    network_month(MARCH, "page_view", 7400)
    network_month(FEBRUARY, "page_view", 25)
    network_month(MARCH, "asset_play", 6)
    network_month(MARCH, "volunteer_hours", 5, Decimal("11.50"))
    return network


def test_scopes(network):
    assert scope_for(make_user("admin", superuser=True)).is_network
    assert scope_for(editor_of(network["hub"])).is_network
    assert scope_for(moderator_of(network["liling"])).venue_ids == {
        network["liling"].pk,
        network["pukou"].pk,
        network["shimen"].pk,
    }
    assert scope_for(editor_of(network["pukou"])).venue_ids == {network["pukou"].pk}
    assert scope_for(make_user("nobody")) is None


def test_last_months_cross_the_year():
    months = last_months(date(2026, 2, 10), count=4)
    assert months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_usage_trend_by_scope(usage):
    network_rows = rows("usage_trend", Scope(None))
    assert len(network_rows) == 12 and network_rows[0][0] == "2025-04"
    # month, page views, searches, plays, downloads
    assert network_rows[-2:] == [["2026-02", 25, 0, 0, 0], ["2026-03", 7400, 0, 6, 0]]

    liling = scope_for(moderator_of(usage["liling"]))
    assert rows("usage_trend", liling)[-2:] == [["2026-02", 25, 0, 0, 0], ["2026-03", 340, 0, 6, 0]]
    pukou = scope_for(editor_of(usage["pukou"]))
    assert rows("usage_trend", pukou)[-1] == ["2026-03", 40, 0, 6, 0]


def test_volunteer_hours_and_key_figures(usage):
    assert rows("volunteer_hours", Scope(None))[-1] == ["2026-03", Decimal("11.50"), 5]
    pukou = scope_for(editor_of(usage["pukou"]))
    assert rows("volunteer_hours", pukou)[-1] == ["2026-03", Decimal("7.50"), 3]
    figures = [(str(label), value) for label, value in key_figures(pukou, TODAY)]
    assert figures == [
        ("页面浏览", 40),
        ("资源播放", 6),
        ("培训报名", 0),
        ("服务时长（小时）", Decimal("7.50")),
    ]


def test_enrolments_by_venue_most_first(network):
    venue_month(network["pukou"], MARCH, "enrolment", 12)
    venue_month(network["pukou"], FEBRUARY, "enrolment", 3)
    venue_month(network["pukou"], MARCH, "attendance", 30)
    venue_month(network["youxian"], MARCH, "enrolment", 20)
    venue_month(network["youxian"], date(2025, 2, 1), "enrolment", 99)  # over a year ago
    assert rows("enrolments_by_venue", Scope(None)) == [
        ["攸县文化馆", 20, 0],
        ["醴陵市文化馆浦口分馆", 15, 30],
    ]
    assert rows("enrolments_by_venue", scope_for(editor_of(network["youxian"]))) == [
        ["攸县文化馆", 20, 0]
    ]


def test_top_assets_and_courses(network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    songs = make_asset(network["pukou"], title="花鼓戏选段")
    dance = make_asset(network["youxian"], title="攸县狮舞")
    for venue, key, event_type, count in [
        (network["pukou"], f"asset:{songs.pk}", "asset_play", 5),
        (network["pukou"], f"asset:{songs.pk}", "asset_download", 2),
        (network["youxian"], f"asset:{dance.pk}", "asset_play", 9),
        (network["youxian"], "asset:999999", "asset_play", 1),  # deleted since
    ]:
        MonthlyObjectMetric.objects.create(
            month=MARCH, venue=venue, object_key=key, event_type=event_type, count=count
        )
    assert rows("top_assets", Scope(None)) == [
        ["攸县狮舞", 9, 0],
        ["花鼓戏选段", 5, 2],
        ["（已删除）", 1, 0],
    ]
    assert rows("top_assets", scope_for(editor_of(network["pukou"]))) == [["花鼓戏选段", 5, 2]]
    assert rows("top_courses", Scope(None)) == []


def test_venues_by_level_and_status(network):
    network["huangfeng"].status = "warned"
    network["huangfeng"].save()
    by_level = {row[0]: row[1:] for row in rows("venues_by_level", Scope(None))}
    columns = [key for key, _label in CHARTS["venues_by_level"].columns[1:]]
    operating, warned = columns.index("operating"), columns.index("warned")
    assert by_level["中心馆"][operating] == 1
    assert by_level["总馆"][operating] == 2
    assert (by_level["分馆"][operating], by_level["分馆"][warned]) == (1, 1)
    assert by_level["服务点"][operating] == 2
    assert sum(map(sum, by_level.values())) == 7
    pukou = rows("venues_by_level", scope_for(editor_of(network["pukou"])))
    assert sum(sum(row[1:]) for row in pukou) == 1


def test_coverage_rows_of_the_scope_districts(network):
    Township.objects.create(
        district="醴陵市", name="浦口镇", population=30000, latitude=27.6, longitude=113.5
    )
    Township.objects.create(
        district="攸县", name="皇图岭镇", population=20000, latitude=27.1, longitude=113.3
    )
    network_rows = {row[0]: row for row in rows("coverage", Scope(None))}
    # district, population, outlets (branches and points), people per outlet, % in a radius
    assert network_rows["醴陵市"][:4] == ["醴陵市", 30000, 2, 15000]
    assert network_rows["攸县"][:4] == ["攸县", 20000, 1, 20000]
    assert network_rows["攸县"][5] == "按乡镇中心点计算"  # no population grid given
    liling = rows("coverage", scope_for(moderator_of(network["liling"])))
    assert [row[0] for row in liling] == ["醴陵市"]


def test_compliance_counts_last_week_per_district(network):
    tally = rows("compliance", Scope(None), today=date.today())
    assert {row[0]: row[1] + row[2] for row in tally} == {"醴陵市": 2, "攸县": 1, "天元区": 1}
    last_week = week_start(date.today()) - timedelta(days=7)  # the last complete week
    compliant = assess_venue(network["pukou"], last_week).compliant
    pukou = rows("compliance", scope_for(editor_of(network["pukou"])), today=date.today())
    assert pukou == [["醴陵市", int(compliant), int(not compliant)]]


def test_ranking_is_empty_until_an_evaluation_is_published(network):
    assert rows("ranking", Scope(None)) == []
    assert CHARTS["ranking"].as_json(Scope(None), TODAY)["empty"] == NO_RANKING


def test_ranking_shows_the_published_evaluation_within_the_scope(network):
    """The six-branch example of tests/network/test_evaluation.py, published by the hub."""
    hub_admin = make_user("hub-admin", superuser=True)
    venues, draft = computed_example(network, hub_admin)
    assert rows("ranking", Scope(None)) == []  # a draft is not shown
    publish(hub_admin, draft)
    cache.clear()  # the charts' rows are cached briefly
    network_rows = rows("ranking", Scope(None))
    assert [(row[0], row[2], row[3]) for row in network_rows] == [
        (venue.name, rank, "分馆") for rank, venue in enumerate(venues, start=1)
    ]
    assert network_rows[0][4] == "优秀" and network_rows[-1][4] == "不合格"
    own = rows("ranking", scope_for(editor_of(venues[0])))
    assert [row[0] for row in own] == [venues[0].name]
