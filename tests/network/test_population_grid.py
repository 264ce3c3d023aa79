"""Coverage by population grid: the import (good and bad files), the covered share by grid on a
hand-computed example against the share by township centroid, the fallback, and the page."""

import io
import json
import math
import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from network.coverage import build_report, distance_km
from network.coverage_grid import Cell, covered_flags
from network.demo import population, population_grid
from network.models import PopulationCell, Township, Venue
from network.population_grid_import import import_grid
from tests.factories import editor_of, moderator_of

TODAY = date(2026, 3, 1)
HEADER = "区县,纬度,经度,人口,乡镇/街道"
# 醴陵市's grid, hand-checked against 浦口 (27.0, 113.0, radius 5 km) and the main centre
# (27.1, 113.0, radius 2 km):
LILING_GRID = [
    "醴陵市,27.0,113.0,1000,浦口镇",  # 0 km from 浦口: covered
    "醴陵市,27.04,113.0,2000,浦口镇",  # 4.45 km from 浦口: covered
    "醴陵市,27.05,113.0,3000,",  # 5.56 km from 浦口, 5.56 km from the centre: not covered
    "醴陵市,27.0,113.05,4000,浦口镇",  # 4.95 km east of 浦口: covered
    "醴陵市,27.09,113.0,5000,",  # 1.11 km from the centre: covered
]


def csv_file(*lines, name="grid.csv"):
    return SimpleUploadedFile(name, "\n".join((HEADER, *lines)).encode(), "text/csv")


@pytest.fixture
def example(network):
    """Venues with a radius only where placed; townships: 醴陵市 浦口镇 60 000 (covered by its
    centroid) and 王仙镇 10 000 (not), 攸县 皇图岭镇 45 000 (not)."""
    Venue.objects.update(latitude=None, longitude=None, service_radius_km=None)
    for venue, lat, lon, radius in (
        (network["pukou"], 27.0, 113.0, 5),
        (network["liling"], 27.1, 113.0, 2),
        (network["huangfeng"], 26.0, 113.5, 3),
    ):
        Venue.objects.filter(pk=venue.pk).update(
            latitude=lat, longitude=lon, service_radius_km=radius
        )
    for district, name, people, lat, lon in (
        ("醴陵市", "浦口镇", 60_000, 27.0, 113.0),
        ("醴陵市", "王仙镇", 10_000, 27.0, 113.2),
        ("攸县", "皇图岭镇", 45_000, 26.5, 113.5),
    ):
        Township.objects.create(
            district=district, name=name, population=people, latitude=lat, longitude=lon
        )
    return network


def districts():
    report = build_report(TODAY)
    return report, {d.district: d for d in report.districts}


def test_the_hand_computed_distances():
    assert distance_km(27.0, 113.0, 27.04, 113.0) == pytest.approx(4.45, abs=0.01)
    assert distance_km(27.0, 113.0, 27.05, 113.0) == pytest.approx(5.56, abs=0.01)
    assert distance_km(27.1, 113.0, 27.05, 113.0) == pytest.approx(5.56, abs=0.01)
    assert distance_km(27.0, 113.0, 27.0, 113.05) == pytest.approx(4.95, abs=0.01)
    assert distance_km(27.1, 113.0, 27.09, 113.0) == pytest.approx(1.11, abs=0.01)


def test_by_centroid_without_a_grid(example):
    report, rows = districts()
    liling = rows["醴陵市"]
    assert liling.method == "centroid" and liling.method_label == "按乡镇中心点计算"
    assert (liling.covered_population, liling.coverage_base) == (60_000, 70_000)
    assert report.method_label == "按乡镇中心点计算" and report.cells == []


def test_by_grid_once_imported_and_back_to_centroids_without_it(example):
    assert import_grid(csv_file(*LILING_GRID)) == {"醴陵市": 5}
    tagged = PopulationCell.objects.filter(township__name="浦口镇")
    assert sorted(tagged.values_list("population", flat=True)) == [1000, 2000, 4000]

    report, rows = districts()
    liling, youxian = rows["醴陵市"], rows["攸县"]
    assert liling.method == "grid" and liling.method_label == "按人口网格计算"
    # 1 000 + 2 000 + 4 000 + 5 000 of 15 000 cell residents; by centroid it was 60 000 of 70 000.
    assert (liling.covered_population, liling.coverage_base) == (12_000, 15_000)
    assert liling.covered_share == 0.8
    assert [covered for _cell, covered in liling.cells] == [True, True, False, True, True]
    # The per-outlet figures still use the township population.
    assert (liling.population, liling.per_outlet) == (70_000, 35_000)
    # 攸县 has no grid: by centroid, nobody within a radius.
    assert (youxian.method, youxian.covered_population, youxian.coverage_base) == (
        "centroid",
        0,
        45_000,
    )
    assert report.method == "mixed" and report.covered_share == 12_000 / 60_000
    assert report.targets[-1].current == 20.0

    PopulationCell.objects.all().delete()
    report, rows = districts()
    assert rows["醴陵市"].method == "centroid" and rows["醴陵市"].covered_share == 60_000 / 70_000


def test_a_new_file_replaces_only_the_grids_of_its_districts(example):
    import_grid(csv_file(*LILING_GRID))
    assert import_grid(csv_file("攸县,26.0,113.5,800,皇图岭镇", "攸县,26.5,113.5,200,")) == {
        "攸县": 2
    }
    assert import_grid(csv_file("醴陵市,27.0,113.0,9000,")) == {"醴陵市": 1}
    cells = PopulationCell.objects.order_by("district", "population")
    assert [(c.district, c.population) for c in cells] == [
        ("攸县", 200),
        ("攸县", 800),
        ("醴陵市", 9000),
    ]
    report, rows = districts()
    assert report.method == "grid" and rows["攸县"].covered_population == 800


def test_an_xlsx_grid(example):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["乡镇/街道", "区县", "人口", "纬度", "经度"])  # any column order
    sheet.append(["浦口镇", "醴陵市", 1500, 27.0, 113.0])
    sheet.append([None, "醴陵市", 500, 27.3, 113.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert import_grid(SimpleUploadedFile("grid.xlsx", buffer.getvalue())) == {"醴陵市": 2}
    assert districts()[1]["醴陵市"].covered_share == 0.75


def test_bad_rows_are_listed_and_nothing_is_changed(example):
    import_grid(csv_file(*LILING_GRID))
    before = list(PopulationCell.objects.values_list("pk", "population"))
    bad = csv_file(
        "醴陵市,27.0,113.0,-5,",
        "荷塘区,27.0,113.0,100,",
        "醴陵市,27.0,113.1,100,东富镇",
        "醴陵市,95,113.0,100,",
        "醴陵市,27.2,113.0,,",
        "醴陵市,27.3,113.0,100,",
        "醴陵市,27.3,113.0,200,",
        "攸县,26.5,113.5,300,",
    )
    with pytest.raises(ValidationError) as caught:
        import_grid(bad)
    assert caught.value.messages == [
        "第 2 行：人口须为不小于 0 的整数。",
        "第 3 行：区县“荷塘区”不在总分馆体系的区县中。",
        "第 4 行：乡镇/街道“东富镇”不在醴陵市的人口数据中，请先导入乡镇/街道人口。",
        "第 5 行：纬度 95 超出范围。",
        "第 6 行：缺少人口。",
        "第 8 行：与第 7 行是同一网格（区县与中心坐标相同）。",
    ]
    assert list(PopulationCell.objects.values_list("pk", "population")) == before


def test_a_wrong_header_and_many_bad_rows(example):
    with pytest.raises(ValidationError) as caught:
        import_grid(SimpleUploadedFile("grid.csv", "区县,纬度,经度\n醴陵市,27,113".encode()))
    assert caught.value.messages[0].startswith("表头缺少列：人口。")
    lines = [f"醴陵市,27.{i:02d},113.0,-1," for i in range(60)]
    with pytest.raises(ValidationError) as caught:
        import_grid(csv_file(*lines))
    assert len(caught.value.messages) == 51
    assert caught.value.messages[-1] == "另有 10 行有误未列出。"
    assert not PopulationCell.objects.exists()


def test_bucketing_agrees_with_checking_every_pair():
    rng = random.Random(8)
    # Near the equator and far north, where a degree of longitude is much shorter.
    cells = [
        Cell("x", rng.uniform(*rng.choice([(-5, 5), (55, 70)])), rng.uniform(0, 15), 1)
        for _ in range(2000)
    ]
    circles = []
    for _ in range(40):
        cell = rng.choice(cells)
        circles.append((cell.latitude + rng.uniform(-1, 1), cell.longitude, rng.uniform(1, 150)))
    expected = [
        any(distance_km(c.latitude, c.longitude, lat, lon) <= r for lat, lon, r in circles)
        for c in cells
    ]
    assert covered_flags(cells, circles) == expected
    assert 200 < sum(expected) < 1800  # cells both in and out of the circles


def test_the_demo_grid_matches_the_demo_townships():
    townships = population.township_rows()
    rows = population_grid.grid_rows(townships)
    assert 1000 < len(rows) < 5000
    for township in townships:
        cells = [
            r
            for r in rows
            if (r["district"], r["township"]) == (township["district"], township["name"])
        ]
        assert sum(c["population"] for c in cells) == township["population"]
        assert all(
            distance_km(c["latitude"], c["longitude"], township["latitude"], township["longitude"])
            <= population_grid.CELL_REACH_KM
            for c in cells
        )
    assert len({(r["latitude"], r["longitude"]) for r in rows}) == len(rows)


def map_json(page):
    start = page.index('<script id="coverage-map-data" type="application/json">')
    return json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])


def test_the_page_says_how_and_draws_the_cells(client, example, monkeypatch):
    import_grid(csv_file(*LILING_GRID))
    client.force_login(moderator_of(example["hub"]))
    page = client.get("/admin/network/coverage/").content.decode()
    assert "按人口网格计算" in page and "人口网格共 5 个单元" in page
    data = map_json(page)
    assert data["method"] == "mixed" and data["cellCount"] == 5
    assert data["cells"][2] == [27.05, 113.0, 3000, 0]
    monkeypatch.setattr("network.coverage_views.MAP_CELL_LIMIT", 4)
    monkeypatch.setattr("network.coverage_output.MAP_CELL_LIMIT", 4)
    page = client.get("/admin/network/coverage/").content.decode()
    assert map_json(page)["cells"] == [] and "网格单元过多" in page

    export = load_workbook(io.BytesIO(client.get("/admin/network/coverage/export.xlsx").content))
    sheet = export["区县"]
    header = [c.value for c in sheet[1]]
    methods = {
        row[0]: row[header.index("计算方式")] for row in sheet.iter_rows(2, values_only=True)
    }
    assert methods["醴陵市"] == "按人口网格计算" and methods["攸县"] == "按乡镇中心点计算"


def test_only_the_hub_imports_a_grid(client, example):
    client.force_login(editor_of(example["liling"]))
    assert client.get("/admin/network/coverage/grid/").status_code == 403
    client.force_login(moderator_of(example["hub"]))
    assert "导入人口网格" in client.get("/admin/network/coverage/grid/").content.decode()
    response = client.post("/admin/network/coverage/grid/", {"file": csv_file(*LILING_GRID)})
    assert response.status_code == 302 and PopulationCell.objects.count() == 5
    response = client.post(
        "/admin/network/coverage/grid/", {"file": csv_file("醴陵市,27.0,113.0,-1,")}
    )
    assert "第 2 行：人口须为不小于 0 的整数。" in response.content.decode()
    assert PopulationCell.objects.count() == 5
    assert math.isclose(districts()[1]["醴陵市"].covered_share, 0.8)
