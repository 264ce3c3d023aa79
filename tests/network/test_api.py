"""The open API: /api/v1/venues (django-ninja) and Wagtail's /api/v2/pages/."""

import pytest

from network.models import Venue
from network.plan import Status
from portal.models import VenuePage

FIELDS = {
    "code", "name", "plaque_names", "level", "level_name", "parent_code", "district", "township",
    "address", "latitude", "longitude", "floor_area", "status", "status_name", "opening_hours",
    "weekly_open_hours", "weekly_free_hours", "url",
}  # fmt: skip


def codes(response):
    assert response.status_code == 200
    return sorted(v["code"] for v in response.json())


def test_list_has_every_public_venue_with_its_fields(client, network):
    venues = client.get("/api/v1/venues").json()
    assert sorted(v["code"] for v in venues) == sorted(v.code for v in network.values())
    liling = next(v for v in venues if v["code"] == "liling-main")
    assert set(liling) == FIELDS
    assert liling["name"] == "醴陵市文化馆"
    assert liling["plaque_names"] == ["醴陵市文化馆", "株洲市文化馆醴陵分馆"]
    assert (liling["level"], liling["level_name"]) == ("main", "总馆")
    assert liling["parent_code"] == "zhuzhou-hub"
    assert liling["district"] == "醴陵市"
    assert float(liling["floor_area"]) == 500
    assert liling["status"] == "operating"
    assert float(liling["weekly_open_hours"]) == float(liling["weekly_free_hours"]) == 56
    assert liling["opening_hours"][0] == {
        "weekday": 0,
        "weekday_name": "周一",
        "opens": "09:00",
        "closes": "17:00",
        "is_free": True,
    }
    assert liling["url"] == "http://testserver/zhuzhou-hub/liling-main/"
    assert client.get(liling["url"]).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("level=branch", ["liling-pukou", "youxian-huangfeng"]),
        ("district=醴陵市", ["liling-main", "liling-pukou", "liling-shimen"]),
        ("parent=zhuzhou-hub", ["hub-yuewu", "liling-main", "youxian-main"]),
        ("level=point&parent=liling-pukou", ["liling-shimen"]),
    ],
)
def test_filters(client, network, query, expected):
    assert codes(client.get(f"/api/v1/venues?{query}")) == expected


def test_an_unknown_level_is_a_validation_error(client, network):
    assert client.get("/api/v1/venues?level=castle").status_code == 422


def test_detail_and_unknown_code(client, network):
    detail = client.get("/api/v1/venues/liling-pukou").json()
    assert detail["name"] == "醴陵市文化馆浦口分馆"
    assert detail["parent_code"] == "liling-main"
    missing = client.get("/api/v1/venues/no-such-venue")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "未找到代码为“no-such-venue”的场馆。"}


def test_a_delisted_venue_is_not_served(client, network):
    Venue.objects.filter(code="liling-shimen").update(status=Status.DELISTED)
    assert "liling-shimen" not in codes(client.get("/api/v1/venues"))
    assert client.get("/api/v1/venues/liling-shimen").status_code == 404


def test_openapi_lists_both_paths(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/venues", "/api/v1/venues/{code}"} <= set(schema["paths"])


def test_wagtail_pages_api_lists_the_live_venue_pages(client, network):
    response = client.get("/api/v2/pages/?type=portal.VenuePage&limit=50")
    assert response.status_code == 200
    items = response.json()["items"]
    assert sorted(item["meta"]["slug"] for item in items) == sorted(
        v.code for v in network.values()
    )
    assert {item["title"] for item in items} == {v.name for v in network.values()}
    assert VenuePage.objects.live().count() == len(items)
