"""GET /api/v1/search and /api/v1/search/suggest: shape, facets, filters and bad input."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/search"


def _titles(body):
    return [r["title"] for r in body["results"]]


def test_search_returns_typed_highlighted_results_with_facets(client, small_catalogue):
    response = client.get(URL, {"q": "书法"})
    assert response.status_code == 200
    body = response.json()
    titles = _titles(body)
    assert titles[:2] == ["少儿书法培训班", "成人书法提高班"] or set(titles[:2]) == {
        "少儿书法培训班",
        "成人书法提高班",
    }
    first = body["results"][0]
    assert set(first) >= {"type", "id", "title", "url", "venue", "district", "snippet", "score"}
    assert first["type"] == "course" and first["url"].startswith("/catalogue/courses/")
    assert "<mark>书法</mark>" in first["snippet"]
    types = {f["value"]: f["count"] for f in body["facets"]["type"]}
    assert types["course"] >= 2 and types.get("teacher") == 1
    districts = {f["label"] for f in body["facets"]["district"]}
    assert {"醴陵市", "攸县"} <= districts
    # Owner-only, staff-only and draft entries stay out of public results.
    assert not {"馆员内部书法研修", "醴陵馆内部书法备课", "书法草稿课程"} & set(titles)


def test_filters_combine_with_the_query_and_facets_stay_disjunctive(client, small_catalogue):
    body = client.get(URL, {"q": "书法", "district": "攸县"}).json()
    assert _titles(body) == ["成人书法提高班"]
    assert body["count"] == 1
    # The district facet still offers the other districts, with their counts.
    districts = {f["value"]: f for f in body["facets"]["district"]}
    assert districts["攸县"]["selected"] and districts["醴陵市"]["count"] >= 2
    body = client.get(URL, {"q": "书法", "audience": "children", "fee": "free"}).json()
    assert _titles(body) == ["少儿书法培训班"]
    body = client.get(URL, {"q": "书法", "type": "teacher"}).json()
    assert _titles(body) == ["石峰"]


def test_pinyin_initials_traditional_and_mixed_queries(client, small_catalogue):
    for q in ("shufa", "書法", "少儿shufa", "sf"):
        titles = _titles(client.get(URL, {"q": q}).json())
        assert "少儿书法培训班" in titles, q
    assert _titles(client.get(URL, {"q": "少儿shufa"}).json())[0] == "少儿书法培训班"


def test_synonyms_expand_the_query(client, small_catalogue):
    # 少儿=儿童=青少年 is seeded by the migration.
    titles = _titles(client.get(URL, {"q": "少儿舞蹈"}).json())
    assert titles[0] == "儿童舞蹈启蒙"


def test_sort_by_date_and_by_distance(client, small_catalogue, network):
    body = client.get(URL, {"q": "书法", "sort": "date"}).json()
    dates = [r["date"] for r in body["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True)
    response = client.get(URL, {"q": "书法", "sort": "distance"})
    assert response.status_code == 400 and "lat" in response.json()["detail"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "请输入"),
        ({"q": "书" * 101}, "过长"),
        ({"q": "!!! ** ( ) OR AND NOT \" ' ; --"}, "OR"),  # words are searched, symbols dropped
        ({"q": "@@@ ### ***"}, "只有符号"),
        ({"q": "书法", "page_size": "500"}, "每页条数"),
        ({"q": "书法", "page": "0"}, "页码"),
        ({"q": "书法", "sort": "random"}, "排序方式"),
        ({"q": "书法", "lat": "95", "lng": "113"}, "坐标超出范围"),
    ],
)
def test_bad_queries_get_a_clear_chinese_answer(client, small_catalogue, params, message):
    response = client.get(URL, params)
    if message == "OR":
        # Operators are plain words to us: no syntax reaches the backend, no error.
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_wrongly_typed_parameters_are_named_in_chinese(client, small_catalogue):
    response = client.get(URL, {"q": "书法", "page": "abc"})
    assert response.status_code == 422
    assert "参数格式不正确" in response.json()["detail"] and "page" in response.json()["detail"]


def test_suggestions_are_pinyin_aware_and_public_only(client, small_catalogue):
    def texts(q):
        response = client.get(URL + "/suggest", {"q": q})
        assert response.status_code == 200
        return [s["text"] for s in response.json()]

    assert "少儿书法培训班" in texts("少儿")
    assert "少儿书法培训班" in texts("shaoer")
    assert "少儿书法培训班" in texts("sesf")
    assert "书法" in texts("shu")  # the art form
    assert "石峰" in texts("shif")
    for q in ("馆员", "guanyuan", "醴陵馆内部", "lilingguan"):
        assert not any("内部" in t for t in texts(q)), q
    assert texts("") == [] and texts("!!!") == []


def test_openapi_describes_search(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/search" in schema["paths"]
    assert "/api/v1/search/suggest" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "type", "art_form", "district", "venue", "audience", "fee", "page"} <= params


def test_dates_are_local_and_carry_their_offset(client, small_catalogue):
    results = client.get(URL, {"q": "少儿书法"}).json()["results"]
    # The course starts on 2026-03-01 in Shanghai: midnight local time, not 16:00 the day before.
    assert results[0]["date"].startswith("2026-03-01T00:00:00+08:00")
