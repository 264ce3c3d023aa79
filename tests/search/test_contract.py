"""The same behaviour from every search backend: the embedded database backend always (on SQLite
and on PostgreSQL, by DATABASE_URL), Elasticsearch when ELASTICSEARCH_URL is set."""

import os

import pytest
from django.test import override_settings

from search import backends
from search.rebuild import rebuild
from search.services import search, suggest
from tests.factories import editor_of

pytestmark = pytest.mark.django_db

ES_MISSING = "ELASTICSEARCH_URL 未设置：Elasticsearch 契约用例未运行（其映射和生成的查询已在 test_elasticsearch_backend 中按数据测试）"

BACKENDS = [
    pytest.param("database", id="database"),
    pytest.param(
        "elasticsearch",
        id="elasticsearch",
        marks=pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason=ES_MISSING),
    ),
]


@pytest.fixture(params=BACKENDS)
def backend(request, small_catalogue):
    with override_settings(SEARCH_BACKEND=request.param):
        backends._load.cache_clear()
        rebuild(progress=False)  # the catalogue, indexed into this backend
        yield backends.get_backend()
        if hasattr(backends.get_backend(), "drop_generation"):
            from search.models import IndexState

            backends.get_backend().drop_generation(IndexState.current().active)
    backends._load.cache_clear()


def _titles(q, **kwargs):
    return [r.title for r in search(q, page_size=50, **kwargs).results]


CASES = [
    # (query, titles that must be in the results, titles that must not)
    ("书法", {"少儿书法培训班", "成人书法提高班", "石峰"}, {"儿童舞蹈启蒙"}),
    ("少儿书法", {"少儿书法培训班"}, {"成人书法提高班"}),
    ("shufa", {"少儿书法培训班", "成人书法提高班"}, {"儿童舞蹈启蒙"}),
    ("sf", {"少儿书法培训班", "石峰"}, set()),
    ("書法", {"少儿书法培训班"}, set()),
    ("少儿shufa", {"少儿书法培训班"}, {"成人书法提高班"}),
    ("儿童", {"儿童舞蹈启蒙", "少儿书法培训班"}, set()),  # 少儿=儿童 synonyms
    ("釉下五彩", {"醴陵釉下五彩瓷烧制技艺"}, set()),
    ("书法家", {"石峰"}, set()),
]


@pytest.mark.parametrize(("q", "present", "absent"), CASES)
def test_matching(backend, q, present, absent):
    titles = set(_titles(q))
    assert present <= titles, (q, titles)
    assert not absent & titles, (q, titles)


def test_accidental_characters_rank_below_real_words(backend):
    titles = _titles("书法")
    assert titles.index("图书法规讲座") > titles.index("成人书法提高班")
    assert titles.index("图书法规讲座") > titles.index("少儿书法培训班")


def test_facets_and_filters(backend):
    page = search("书法", filters={"district": "攸县"})
    assert [r.title for r in page.results] == ["成人书法提高班"]
    assert page.facets["district"]["醴陵市"] >= 2  # disjunctive: other districts still counted
    assert page.facets["type"]["course"] == 1


def test_scope(backend, network):
    hidden = {"馆员内部书法研修", "醴陵馆内部书法备课"}
    assert not hidden & set(_titles("书法"))
    assert hidden <= set(_titles("书法", user=editor_of(network["liling"])))


def test_suggestions(backend):
    assert "少儿书法培训班" in [s["text"] for s in suggest("shaoer")]
    assert not [s for s in suggest("馆员") if "内部" in s["text"]]


def test_sort_by_distance(backend, network):
    liling = network["liling"]
    point = (float(liling.latitude or 27.65), float(liling.longitude or 113.5))
    page = search("书法", sort="distance", point=point)
    assert page.count >= 2
