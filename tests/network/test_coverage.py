"""Coverage planning on a small hand-computed example, the population import and the export."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from network.coverage import build_report, distance_km
from network.coverage_output import outline
from network.models import Township, Venue
from network.population_import import import_population
from tests.factories import editor_of, moderator_of

TODAY = date(2026, 3, 1)


@pytest.fixture
def example(network):
    """醴陵市: A 60 000 (浦口 branch on it, radius 5 km), B 30 000 (11.1 km north, under the
    main centre with radius 2 km), C 10 000 (19.8 km east, nobody's radius). 攸县: D 45 000,
    with its branch but far from any venue."""

    def place(venue, lat, lon, radius, **fields):
        Venue.objects.filter(pk=venue.pk).update(
            latitude=lat, longitude=lon, service_radius_km=radius, **fields
        )

    place(network["pukou"], 27.0, 113.0, 5, township="浦口镇", opened_on=date(2017, 9, 1))
    place(network["liling"], 27.1, 113.0, 2)
    place(network["huangfeng"], 26.0, 113.5, 3, township="皇图岭镇", opened_on=date(2018, 5, 1))
    place(network["shimen"], 27.0, 113.01, 1, opened_on=date(2019, 1, 1))
    rows = [
        ("醴陵市", "浦口镇", 60_000, 27.0, 113.0),
        ("醴陵市", "东富镇", 30_000, 27.1, 113.0),
        ("醴陵市", "王仙镇", 10_000, 27.0, 113.2),
        ("攸县", "皇图岭镇", 45_000, 26.5, 113.5),
    ]
    for district, name, population, lat, lon in rows:
        Township.objects.create(
            district=district, name=name, population=population, latitude=lat, longitude=lon
        )
    return network


def test_distances():
    assert distance_km(27.0, 113.0, 27.1, 113.0) == pytest.approx(11.12, abs=0.01)
    assert distance_km(27.0, 113.0, 27.0, 113.2) == pytest.approx(19.82, abs=0.01)


def test_the_hand_computed_example(example):
    report = build_report(TODAY)
    rows = {d.district: d for d in report.districts}
    liling, youxian = rows["醴陵市"], rows["攸县"]
    # Outlets are branches and points: 浦口 and 石门村 in 醴陵市.
    assert (liling.population, liling.outlets, liling.per_outlet) == (100_000, 2, 50_000)
    assert (liling.assessment, liling.outlets_needed) == ("符合规划", 0)
    assert [t.name for t in liling.without_branch] == ["东富镇", "王仙镇"]
    assert liling.covered_population == 90_000 and liling.covered_share == 0.9
    assert (youxian.population, youxian.outlets, youxian.per_outlet) == (45_000, 1, 45_000)
    assert youxian.without_branch == [] and youxian.covered_population == 0
    # The hub's school counts in 天元区, which has no population data yet.
    assert rows["天元区"].outlets == 1 and rows["天元区"].assessment == "网点较密"

    townships = {r.township.name: r for r in report.townships}
    assert townships["浦口镇"].nearest == example["pukou"] and townships["浦口镇"].distance == 0
    assert townships["东富镇"].nearest == example["liling"]
    assert not townships["王仙镇"].covered and not townships["皇图岭镇"].covered
    assert report.population == 145_000 and report.covered_population == 90_000

    count, branches, radius = report.targets
    assert (count.current, count.goal, count.deadline) == (4, 50, date(2018, 12, 31))
    assert count.met_on is None and count.status(TODAY) == "已逾期未达成"
    assert (branches.current, branches.met_on) == (50.0, None)  # 2 of 4 townships
    assert radius.current == round(100 * 90_000 / 145_000, 1) == 62.1
    # Growth: venues without a 挂牌 date (the school) count from the start.
    assert report.growth == [(2017, 2), (2018, 3), (2019, 4)]


def test_a_district_short_of_outlets(example):
    Township.objects.filter(name="王仙镇").update(population=110_000)
    liling = next(d for d in build_report(TODAY).districts if d.district == "醴陵市")
    # 200 000 residents, 2 outlets: 100 000 each, 2 more needed to reach 50 000 each.
    assert (liling.per_outlet, liling.assessment, liling.outlets_needed) == (100_000, "网点不足", 2)


def test_targets_reached_with_dates(example, monkeypatch):
    monkeypatch.setattr(
        "network.coverage.NETWORK_TARGETS", ((date(2018, 12, 31), ("branch", "point"), 3),)
    )
    Township.objects.filter(district="醴陵市").exclude(name="浦口镇").delete()
    count, branches, _radius = build_report(TODAY).targets
    # The 3rd outlet by 挂牌 date: the school (undated, counted first), 浦口, 皇图岭.
    assert (count.met, count.met_on, count.status(TODAY)) == (True, date(2018, 5, 1), "已达成")
    assert (branches.current, branches.met_on) == (100.0, date(2018, 5, 1))


def test_the_coverage_page_and_its_map(client, example):
    client.force_login(moderator_of(example["hub"]))
    response = client.get("/admin/network/coverage/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "network/vendor/leaflet/leaflet.js" in page and 'id="coverage-map"' in page
    start = page.index('<script id="coverage-map-data" type="application/json">')
    data = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert data["tileUrl"] == ""  # no tile server: blank background, works offline
    names = {d["name"] for d in data["districts"]}
    assert {"醴陵市", "攸县"} <= names
    assert len(next(d for d in data["districts"] if d["name"] == "醴陵市")["outline"]) >= 3
    assert "东富镇、王仙镇" in page and "已逾期未达成" in page
    client.force_login(editor_of(example["pukou"]))
    assert client.get("/admin/network/coverage/").status_code == 403


def test_the_tile_url_is_a_setting(client, example):
    from network.hub_settings import NetworkSettings

    settings = NetworkSettings.load()
    settings.map_tile_url = "https://tiles.example.com/{z}/{x}/{y}.png"
    settings.save()
    client.force_login(moderator_of(example["hub"]))
    response = client.get("/admin/network/coverage/")
    assert response.context["map"]["tileUrl"] == "https://tiles.example.com/{z}/{x}/{y}.png"


def test_the_xlsx_export(client, example):
    from openpyxl import load_workbook

    client.force_login(moderator_of(example["liling"]))
    response = client.get("/admin/network/coverage/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["区县", "乡镇街道", "目标进度"]
    districts = {row[0]: row for row in book["区县"].iter_rows(min_row=2, values_only=True)}
    assert districts["醴陵市"][1:7] == (100_000, 2, 50_000, "符合规划", 0, "东富镇、王仙镇")
    assert districts["醴陵市"][7] == 90.0
    towns = {row[1]: row for row in book["乡镇街道"].iter_rows(min_row=2, values_only=True)}
    assert towns["东富镇"][3:6] == ("否", "是", "醴陵市文化馆")


def test_an_outline_surrounds_its_points():
    points = [(27.0, 113.0), (27.1, 113.0), (27.0, 113.2), (27.05, 113.05)]
    shape = outline(points)
    assert len(shape) == 3  # the inner point is not on the hull
    lats, lons = [p[0] for p in shape], [p[1] for p in shape]
    assert min(lats) < 27.0 and max(lats) > 27.1 and max(lons) > 113.2
    assert len(outline([(27.0, 113.0)])) == 4


def csv_upload(text):
    return SimpleUploadedFile("population.csv", text.encode("gb18030"), content_type="text/csv")


def test_importing_population(network):
    created, updated = import_population(
        csv_upload(
            "区县,乡镇/街道,常住人口,纬度,经度,统计年份\n"
            "醴陵市,浦口镇,52000,27.61,113.42,2020\n"
            "攸县,网岭镇,38000,27.02,113.30,\n"
        )
    )
    assert (created, updated) == (2, 0)
    assert Township.objects.get(name="浦口镇").latitude == Decimal("27.610000")
    created, updated = import_population(
        csv_upload("区县,乡镇/街道,常住人口,纬度,经度\n醴陵市,浦口镇,53000,27.61,113.42\n")
    )
    assert (created, updated) == (0, 1)
    assert Township.objects.get(name="浦口镇").population == 53_000


def test_bad_population_files_change_nothing(network):
    import_population(
        csv_upload("区县,乡镇/街道,常住人口,纬度,经度\n醴陵市,浦口镇,52000,27.6,113.4\n")
    )
    with pytest.raises(ValidationError) as caught:
        import_population(
            csv_upload(
                "区县,乡镇/街道,常住人口,纬度,经度\n"
                "醴陵市,浦口镇,60000,27.6,113.4\n"
                "火星区,某镇,1000,27,113\n"
                "醴陵市,东富镇,-5,27,113\n"
                "醴陵市,王仙镇,,27,113\n"
                "醴陵市,官庄镇,1000,127,113\n"
                "醴陵市,浦口镇,1,27,113\n"
            )
        )
    assert caught.value.messages == [
        "第 3 行：区县“火星区”不在总分馆体系的区县中。",
        "第 4 行：常住人口须为不小于 0 的整数。",
        "第 5 行：缺少常住人口。",
        "第 6 行：纬度 127 超出范围。",
        "第 7 行：与第 2 行重复。",
    ]
    with pytest.raises(ValidationError, match="表头缺少列：经度"):
        import_population(csv_upload("区县,乡镇/街道,常住人口,纬度\n醴陵市,浦口镇,1,27\n"))
    assert list(Township.objects.values_list("name", "population")) == [("浦口镇", 52_000)]


def test_only_the_hub_imports_population(client, network):
    client.force_login(moderator_of(network["liling"]))
    assert client.get("/admin/network/coverage/population/").status_code == 403
    client.force_login(moderator_of(network["hub"]))
    upload = csv_upload("区县,乡镇/街道,常住人口,纬度,经度\n醴陵市,浦口镇,52000,27.6,113.4\n")
    response = client.post("/admin/network/coverage/population/", {"file": upload})
    assert response.status_code == 302 and Township.objects.count() == 1


def test_the_demo_population_is_plausible():
    from network.demo import population, zhuzhou

    rows = population.township_rows()
    names = {(r["district"], r["name"]) for r in rows}
    for district in zhuzhou.DISTRICTS:
        for _suffix, _place, township, _radius in district["branches"]:
            assert (district["district"], township) in names
        total = sum(r["population"] for r in rows if r["district"] == district["district"])
        assert abs(total - district["population_served"]) <= 100 * len(rows)
    assert len(rows) == len(names) > sum(len(d["branches"]) for d in zhuzhou.DISTRICTS)
    assert all(25.5 < r["latitude"] < 28.5 and r["population"] > 0 for r in rows)
