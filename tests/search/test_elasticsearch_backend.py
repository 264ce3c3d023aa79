"""The Elasticsearch backend. Mappings and request bodies are checked as data (no cluster
needed); the live part indexes the same documents here and in the database backend and compares
their answers, and runs only when ELASTICSEARCH_URL names a cluster."""

import os
import re
import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import NotFoundError

from search import analysis
from search.backends import elasticsearch as elasticsearch_backend
from search.backends.base import FACETS, PUBLIC, Scope, SearchRequest, disjunctive_facets
from search.backends.elasticsearch import (
    BOOSTS,
    ElasticsearchBackend,
    build_mapping,
    search_body,
    suggest_search,
    to_source,
)
from search.query import parse

SYNONYMS = {"少儿": ["儿童", "青少年"], "儿童": ["少儿", "青少年"], "青少年": ["少儿", "儿童"]}
ALL_CLASSES = ["a^10", "b^4", "c^1", "d^0.3"]
LIVE_URL = os.environ.get("ELASTICSEARCH_URL", "")
live = pytest.mark.skipif(
    not LIVE_URL, reason="ELASTICSEARCH_URL 未设置：Elasticsearch 契约用例未运行"
)


@pytest.fixture(autouse=True)
def shipped_dictionary(monkeypatch):
    """The hub's own words live in the database; these tests need only the shipped dictionary."""
    monkeypatch.setattr(analysis, "_extra_words", lambda: [])


def request(text, **kwargs):
    return SearchRequest(parse(text, SYNONYMS), **kwargs)


def find(tree, key):
    """Every value stored under `key` anywhere in a request body."""
    found = []
    if isinstance(tree, dict):
        for name, value in tree.items():
            if name == key:
                found.append(value)
            found.extend(find(value, key))
    elif isinstance(tree, list):
        for item in tree:
            found.extend(find(item, key))
    return found


def row(object_id, title, body="", *, venue=("liling", "醴陵市"), place=None, **fields):
    """A document as search.indexing.document_row writes it."""
    tokens = analysis.analyse(title, body)
    normalized = analysis.normalize(title)
    title_words = analysis.words(normalized, for_search=False)
    code, district = venue
    lat, lng = place or (None, None)
    return {
        "content_type_id": fields.pop("content_type_id", 1),
        "object_id": object_id,
        "kind": fields.pop("kind", "course"),
        "title": title,
        "url": f"/items/{object_id}/",
        "body": body,
        "venue_code": code,
        "venue_name": f"{district}文化馆",
        "district": district,
        "latitude": lat,
        "longitude": lng,
        "art_form": fields.pop("art_form", ""),
        "audience": fields.pop("audience", ""),
        "fee_type": fields.pop("fee_type", ""),
        "date": fields.pop("date", None),
        "visibility": fields.pop("visibility", "public"),
        "suggest_text": normalized,
        "suggest_pinyin": "".join(analysis.pinyin(w) or w for w in title_words),
        "suggest_initials": "".join(analysis.initials(w) or w[:1] for w in title_words),
        "a": tokens.a,
        "b": tokens.b,
        "c": tokens.c,
        "d": tokens.d,
    }


# --- the mapping -----------------------------------------------------------------------------


def test_mapping_types_every_document_field():
    mapping = build_mapping().to_dict()
    properties = mapping["properties"]
    assert mapping["dynamic"] is False
    for field in [*FACETS.values(), "visibility", "suggest_text", "suggest_pinyin"]:
        assert properties[field] == {"type": "keyword"}
    assert properties["location"] == {"type": "geo_point"}
    assert properties["date"] == {"type": "date"}
    for field in "abcd":
        assert properties[field] == {
            "type": "text",
            "analyzer": "whitespace",
            "index_options": "positions",
        }
    # Title and body are shown, not searched: their words are in a–d already.
    assert properties["title"] == properties["body"] == {"type": "text", "index": False}
    source = to_source(row(1, "少儿书法班", "周六上午", place=(27.66, 113.5)))
    assert set(source) <= set(properties), "dynamic mapping is off: a field must be mapped"
    assert source["location"] == {"lat": 27.66, "lon": 113.5}
    assert "location" not in to_source(row(2, "无地点"))


def test_a_native_analyzer_also_indexes_title_and_body():
    properties = build_mapping("smartcn").to_dict()["properties"]
    assert properties["title"] == properties["body"] == {"type": "text", "analyzer": "smartcn"}
    assert properties["a"]["analyzer"] == "whitespace"
    body = search_body(request("书法"), analyzer="ik_smart")
    matches = find(body, "match")
    assert {"title", "body"} == {field for match in matches for field in match}
    assert all(m[f]["query"] == "书法" and m[f]["operator"] == "and" for m in matches for f in m)
    with pytest.raises(ImproperlyConfigured):
        ElasticsearchBackend(urls="http://127.0.0.1:9200", analyzer="standard")


def test_settings_give_urls_prefix_and_index_names(settings):
    settings.ELASTICSEARCH_URL = "http://es1:9200, http://es2:9200"
    settings.ELASTICSEARCH_INDEX_PREFIX = "hall_"
    backend = ElasticsearchBackend()
    assert backend.urls == ["http://es1:9200", "http://es2:9200"]
    assert backend.alias == "hall_search"
    assert backend.index_name(3) == "hall_search_g3"


# --- the request body ------------------------------------------------------------------------


def test_two_words_must_both_match_and_bring_their_synonyms():
    body = search_body(request("少儿书法"))
    children, calligraphy = body["query"]["bool"]["must"]
    words = {m["query"] for m in find(children, "multi_match")}
    # 少年 is the dictionary word inside 青少年: a weaker alternative for texts that split it.
    assert words == {"少儿", "儿童", "青少年", "少年"}
    assert all(m["fields"] == ALL_CLASSES for m in find(body, "multi_match"))
    assert all(m["type"] == "most_fields" for m in find(body, "multi_match"))
    # 青少年 is also found inside longer words, as adjacent bigrams.
    assert find(children, "match_phrase") == [{"c": {"query": "青少 少年", "boost": 1.0}}]
    assert [m["query"] for m in find(calligraphy, "multi_match")] == ["书法"]
    assert "shufa" not in str(body), "homophones belong to the relaxed tier only"


def test_initials_are_a_prefix_on_the_initials_class_only():
    body = search_body(request("sf"))
    assert find(body, "prefix") == [{"d": {"value": "sf", "boost": 0.3}}]


def test_a_long_word_is_also_a_phrase_of_bigrams():
    body = search_body(request("醴陵釉下五彩瓷"))
    phrase = {"query": "醴陵 陵釉 釉下 下五 五彩 彩瓷", "boost": 1.0}
    assert find(body, "match_phrase") == [{"c": phrase}]


def test_relaxed_tier_needs_one_word_and_adds_homophones():
    strict = search_body(request("书发 瓷"))
    relaxed = search_body(request("书发 瓷"), relaxed=True)
    assert len(strict["query"]["bool"]["must"]) == 2
    query = relaxed["query"]["bool"]
    assert "must" not in query and query["minimum_should_match"] == 1
    assert len(query["should"]) == 2
    assert "shufa" in {m["query"] for m in find(relaxed, "multi_match")}
    assert "shufa" not in {m["query"] for m in find(strict, "multi_match")}
    # A single ideograph is a prefix in every class, boosted like the class weights.
    prefixes = {f: p[f] for p in find(relaxed, "prefix") for f in p}
    assert prefixes == {c: {"value": "瓷", "boost": boost} for c, boost in BOOSTS.items()}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (PUBLIC, [{"terms": {"visibility": ["public"]}}]),
        (Scope(staff=True), [{"terms": {"visibility": ["public", "staff"]}}]),
        (
            Scope(staff=True, venue_codes=("liling", "pukou")),
            [
                {
                    "bool": {
                        "should": [
                            {"terms": {"visibility": ["public", "staff"]}},
                            {"terms": {"venue_code": ["liling", "pukou"]}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
            ],
        ),
        (Scope(everything=True), []),
    ],
)
def test_scope_is_a_filter(scope, expected):
    for relaxed in (False, True):
        body = search_body(request("书法", scope=scope), relaxed=relaxed)
        assert body["query"]["bool"].get("filter", []) == expected


def holds(clause, doc):
    """Evaluate the filter clauses the backend generates against one document."""
    ((query_type, params),) = clause.items()
    if query_type == "match_all":
        return True
    if query_type == "term":
        ((field, value),) = params.items()
        return doc[field] == value
    if query_type == "bool" and set(params) <= {"filter"}:
        return all(holds(c, doc) for c in params.get("filter", []))
    raise AssertionError(f"unexpected filter clause {clause}")


@pytest.mark.parametrize(
    "filters",
    [{}, {"district": "醴陵市"}, {"district": "醴陵市", "type": "course", "fee": "free"}],
)
def test_filters_count_facets_disjunctively(filters):
    places = [("liling", "醴陵市"), ("youxian", "攸县"), ("pukou", "浦口区")]
    docs = [
        row(i, "书法", venue=places[i % 3], kind=kind, fee_type=fee, art_form=art)
        for i, (kind, fee, art) in enumerate(
            [
                ("course", "free", "书法"),
                ("course", "paid", "书法"),
                ("event", "free", ""),
                ("course", "free", "国画"),
                ("teacher", "", "书法"),
                ("course", "free", ""),
                ("event", "paid", "国画"),
            ]
        )
    ]
    body = search_body(request("书法", filters=filters))
    counted = {
        name: dict(
            Counter(
                doc[agg["aggs"]["values"]["terms"]["field"]]
                for doc in docs
                if holds(agg["filter"], doc) and doc[agg["aggs"]["values"]["terms"]["field"]]
            )
        )
        for name, agg in body["aggs"].items()
    }
    post_filter = body.get("post_filter", {"match_all": {}})
    total = sum(holds(post_filter, doc) for doc in docs)
    rows = [(tuple(doc[field] for field in FACETS.values()), 1) for doc in docs]
    assert (total, counted) == disjunctive_facets(rows, filters)
    assert not find(body["query"], "term"), "filters must not narrow the facet counts"


def test_sorts_paging_and_totals():
    relevance = search_body(request("书法", offset=40, limit=20))
    assert relevance["sort"][0] == "_score"
    assert (relevance["from"], relevance["size"], relevance["track_total_hits"]) == (40, 20, True)
    deep = search_body(request("书法", offset=9990, limit=20))
    assert (deep["from"], deep["size"]) == (9990, 10), "the cluster refuses hits past 10000"
    assert search_body(request("书法", offset=20000))["size"] == 0
    newest = search_body(request("书法", sort="date"))
    assert newest["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert newest["track_scores"] is True
    nearest = search_body(request("书法", sort="distance", point=(27.66, 113.49)))
    geo = nearest["sort"][0]["_geo_distance"]
    assert geo["location"] == {"lat": 27.66, "lon": 113.49} and geo["order"] == "asc"


TOKEN = re.compile(rf"^[{analysis.CJK}a-z0-9 ]+$")


@pytest.mark.parametrize(
    "text",
    [
        '书法" OR *:* {"script": 1}',
        "title:(a OR b) AND body:/.*/~2",
        "<script>alert(1)</script> 书法\\",
        "ｓｆ？＊",
    ],
)
def test_user_input_only_reaches_queries_as_tokens(text):
    for relaxed in (False, True):
        body = search_body(request(text), relaxed=relaxed)
        for syntax in ("query_string", "simple_query_string", "regexp", "wildcard", "script"):
            assert not find(body["query"], syntax)
        values = [m["query"] for m in find(body, "multi_match")]
        values += [p[f]["value"] for p in find(body, "prefix") for f in p]
        values += [p[f]["query"] for p in find(body, "match_phrase") for f in p]
        assert values and all(TOKEN.match(v) for v in values), values


def test_suggestions_query_the_right_prefix_fields():
    def prefixes(prefix):
        body = suggest_search(prefix, PUBLIC).to_dict()
        return [(f, p[f]["boost"]) for p in find(body, "prefix") for f in p]

    assert prefixes("书法") == [("suggest_text", 1)]
    assert prefixes("shu") == [("suggest_pinyin", 2), ("suggest_initials", 1)]
    assert prefixes("sf") == [("suggest_initials", 1)]
    body = suggest_search("sf", Scope(staff=True), limit=5).to_dict()
    assert body["query"]["bool"]["filter"] == [{"terms": {"visibility": ["public", "staff"]}}]
    assert body["size"] == 5 and body["collapse"]["field"] == "suggest_text"


# --- tiering and reading responses, against a recorded cluster --------------------------------


class RecordedCluster:
    """Answers searches with prepared response bodies and keeps the requests."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.requests = []

    def search(self, index, body, **params):
        self.requests.append((index, body, params))
        return type("Answer", (), {"body": self.responses.pop(0)})()


def answer(hits=(), total=0, kinds=None):
    buckets = [{"key": k, "doc_count": n} for k, n in (kinds or {}).items()]
    return {
        "hits": {"total": {"value": total}, "hits": list(hits)},
        "aggregations": {"type": {"doc_count": total, "values": {"buckets": buckets}}},
    }


def backend_with(*responses):
    backend = ElasticsearchBackend(urls="http://127.0.0.1:9200", prefix="t_")
    backend.__dict__["client"] = RecordedCluster(*responses)
    return backend


def test_nothing_strict_runs_the_relaxed_tier():
    source = to_source(row(7, "少儿书法班", date=datetime(2026, 5, 1, 9, tzinfo=UTC)))
    source["date"] = "2026-05-01T09:00:00+00:00"
    backend = backend_with(answer(), answer([{"_source": source, "_score": 2.5}], 1, {"course": 1}))
    result = backend.search(request("书发", filters={}), generation=3)
    strict, relaxed = backend.client.requests
    assert strict[0] == relaxed[0] == ["t_search_g3"]
    assert strict[2] == {"ignore_unavailable": True}
    assert "must" in strict[1]["query"]["bool"] and "should" in relaxed[1]["query"]["bool"]
    assert result.relaxed and result.count == 1 and result.facets["type"] == {"course": 1}
    (hit,) = result.hits
    assert hit.score == 2.5 and hit.fields["object_id"] == 7
    assert hit.fields["date"] == datetime(2026, 5, 1, 9, tzinfo=UTC)


def test_filters_that_empty_the_page_do_not_relax():
    backend = backend_with(answer(kinds={"course": 3, "": 2}))
    result = backend.search(request("书法", filters={"type": "event"}), generation=1)
    assert len(backend.client.requests) == 1
    assert not result.relaxed and result.count == 0
    assert result.facets["type"] == {"course": 3}, "a blank value is not a facet choice"


def test_writes_and_deletes_reach_every_generation_by_document_id(monkeypatch):
    sent, prepared = [], []
    monkeypatch.setattr(
        elasticsearch_backend, "bulk", lambda client, actions, **kw: sent.append((actions, kw))
    )
    backend = ElasticsearchBackend(urls="http://127.0.0.1:9200", prefix="t_")
    monkeypatch.setattr(backend, "ensure_index", prepared.append)
    backend.write([1, 2], [row(5, "书法", content_type_id=9, place=(27.6, 113.5))])
    backend.delete([2], 9, [5, 6])
    (written, write_options), (deleted, delete_options) = sent
    assert prepared == [1, 2], "an index exists, with our mapping, before it is written to"
    assert [(a["_index"], a["_id"]) for a in written] == [
        ("t_search_g1", "9-5"),
        ("t_search_g2", "9-5"),
    ]
    assert written[0]["_source"]["location"] == {"lat": 27.6, "lon": 113.5}
    assert write_options == {"refresh": "wait_for"}
    assert [(a["_op_type"], a["_index"], a["_id"]) for a in deleted] == [
        ("delete", "t_search_g2", "9-5"),
        ("delete", "t_search_g2", "9-6"),
    ]
    assert delete_options["ignore_status"] == (404,), "deleting what is gone is not an error"


class AliasedIndices:
    def __init__(self, *current):
        self.current, self.actions = current, None

    def get_alias(self, name):
        if not self.current:
            raise NotFoundError(f"alias [{name}] missing", None, {})
        return {index: {"aliases": {name: {}}} for index in self.current}

    def update_aliases(self, actions):
        self.actions = actions


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ((), [{"add": {"index": "t_search_g2", "alias": "t_search"}}]),
        (
            ("t_search_g1", "t_search_g2"),
            [
                {"remove": {"index": "t_search_g1", "alias": "t_search"}},
                {"add": {"index": "t_search_g2", "alias": "t_search"}},
            ],
        ),
    ],
)
def test_activate_moves_the_alias_in_one_request(monkeypatch, current, expected):
    backend = ElasticsearchBackend(urls="http://127.0.0.1:9200", prefix="t_")
    monkeypatch.setattr(backend, "ensure_index", lambda generation: None)
    indices = AliasedIndices(*current)
    backend.__dict__["client"] = type("Cluster", (), {"indices": indices})()
    backend.activate(2)
    assert indices.actions == expected


# --- live: the same documents here and in the database backend -------------------------------


@pytest.fixture
def both_backends(db):
    from django.contrib.contenttypes.models import ContentType

    from search.backends.database import DatabaseBackend
    from search.models import SearchDocument

    content_type_id = ContentType.objects.get_for_model(SearchDocument).pk
    when = datetime(2026, 3, 1, tzinfo=UTC)
    docs = [
        row(
            1,
            "少儿书法启蒙班",
            "每周六上午，毛笔基础。",
            place=(27.66, 113.50),
            art_form="书法",
            audience="少儿",
            fee_type="free",
            date=when,
        ),
        row(
            2,
            "儿童国画兴趣班",
            "水墨花鸟。",
            venue=("youxian", "攸县"),
            place=(27.00, 113.34),
            art_form="美术",
            audience="少儿",
            fee_type="paid",
        ),
        row(
            3,
            "醴陵釉下五彩瓷烧制技艺",
            "国家级非物质文化遗产。",
            kind="heritage",
            place=(27.65, 113.49),
        ),
        row(
            4,
            "成人书法提高班",
            "楷书与行书。",
            venue=("pukou", "浦口区"),
            place=(32.06, 118.63),
            art_form="书法",
            fee_type="paid",
            date=when.replace(month=5),
        ),
        row(5, "书法教研资料", "内部培训讲义。", kind="asset", visibility="staff"),
        row(6, "石门书法馆藏目录", "", venue=("shimen", "石门县"), visibility="owner"),
    ]
    for doc in docs:
        doc["content_type_id"] = content_type_id
    database = DatabaseBackend()
    database.write([1], docs)
    elastic = ElasticsearchBackend(urls=LIVE_URL, prefix=f"test{uuid.uuid4().hex[:10]}_")
    elastic.write([1], docs)
    yield database, elastic, content_type_id
    for generation in (1, 2):
        elastic.drop_generation(generation)


LIVE_REQUESTS = [
    dict(text="书法"),
    dict(text="少儿书法"),
    dict(text="儿童书法"),
    dict(text="sf"),
    dict(text="shufa"),
    dict(text="醴陵釉下五彩瓷"),
    dict(text="书发"),
    dict(text="瓷"),
    dict(text="书法", filters={"district": "醴陵市"}),
    dict(text="书法", filters={"fee": "paid", "type": "course"}),
    dict(text="书法", filters={"district": "湘潭县"}),
    dict(text="书法", scope=Scope(staff=True)),
    dict(text="书法", scope=Scope(staff=True, venue_codes=("shimen",))),
    dict(text="书法", scope=Scope(everything=True)),
]


@live
@pytest.mark.parametrize("spec", LIVE_REQUESTS, ids=[str(s) for s in LIVE_REQUESTS])
def test_live_answers_match_the_database_backend(both_backends, spec):
    database, elastic, _ = both_backends
    spec = dict(spec)
    search_request = request(spec.pop("text"), **spec)
    expected = database.search(search_request, 1)
    found = elastic.search(search_request, 1)
    assert found.count == expected.count
    assert found.relaxed == expected.relaxed
    assert found.facets == expected.facets
    ids = {h.fields["object_id"] for h in found.hits}
    assert ids == {h.fields["object_id"] for h in expected.hits}


@live
def test_live_sorts_follow_dates_and_distance(both_backends):
    _, elastic, _ = both_backends
    newest = elastic.search(request("书法", sort="date"), 1)
    assert [h.fields["object_id"] for h in newest.hits][:2] == [4, 1]
    everything = Scope(everything=True)
    nearest = elastic.search(
        request("书法", scope=everything, sort="distance", point=(32, 118.6)), 1
    )
    order = [h.fields["object_id"] for h in nearest.hits]
    assert order[:2] == [4, 1]
    assert set(order[2:]) == {5, 6}, "documents without a place come last"


@live
@pytest.mark.parametrize("prefix", ["书法", "少儿", "shao", "sf", "etg", "cr"])
def test_live_suggestions_match_the_database_backend(both_backends, prefix):
    database, elastic, _ = both_backends
    for scope in (PUBLIC, Scope(everything=True)):
        assert set(elastic.suggest(prefix, scope, 1)) == set(database.suggest(prefix, scope, 1))


@live
def test_live_generations_alias_and_deletes(both_backends):
    _, elastic, content_type_id = both_backends
    elastic.write([2], [row(9, "湘剧折子戏专场", kind="event", content_type_id=content_type_id)])
    elastic.activate(2)
    assert list(elastic.client.indices.get_alias(name=elastic.alias)) == [elastic.index_name(2)]
    assert elastic.search(request("湘剧"), 2).count == 1
    assert elastic.search(request("湘剧"), 1).count == 0
    elastic.delete([1, 2], content_type_id, [1, 9])
    assert elastic.search(request("湘剧"), 2).count == 0
    assert 1 not in {h.fields["object_id"] for h in elastic.search(request("书法"), 1).hits}
    elastic.drop_generation(1)
    assert not elastic.client.indices.exists(index=elastic.index_name(1))
    assert elastic.search(request("书法"), 1).count == 0, "a dropped generation finds nothing"
