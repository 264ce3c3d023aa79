"""The Elasticsearch backend: the same documents and query semantics as the database backend.

Documents carry the token streams a–d that search.analysis already cut, indexed with the
whitespace analyzer, so both backends match the same tokens; the class weights become boosts.
Each generation is its own index (<prefix>search_g<N>); the alias <prefix>search follows the
active one. Facet filters are a post_filter, and each facet's aggregation applies every *other*
filter, which gives the disjunctive counts of `disjunctive_facets`. User input only ever reaches
term, match and prefix queries as tokens, never a query-string syntax."""

import os
from datetime import datetime
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elasticsearch import BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.dsl import A, Date, GeoPoint, Index, Keyword, Long, Mapping, Q, Search, Text
from elasticsearch.helpers import bulk

from ..query import All, Any, Phrase, Term
from .base import FACETS, HIT_FIELDS, Hit, SearchBackend, SearchResult

# The database backend's bm25 weights of the classes a (title) … d (initials), as boosts.
BOOSTS = {"a": 10.0, "b": 4.0, "c": 1.0, "d": 0.3}
# Plugin analyzers also index the raw title and body; they only add recall, so they weigh less.
NATIVE_ANALYZERS = ("smartcn", "ik_smart")
NATIVE_BOOSTS = {"title": 2.0, "body": 0.5}
FACET_SIZE = 200
SUGGEST_FIELDS = ("suggest_text", "suggest_pinyin", "suggest_initials")
MAX_WINDOW = 10_000  # index.max_result_window: deeper pages are refused by the cluster
TIMEOUT = 5  # seconds, connect and read: a page waits for search, so fail fast


def setting(name, default):
    return getattr(settings, name, os.environ.get(name, default))


def build_mapping(analyzer="whitespace"):
    mapping = Mapping()
    mapping.meta("dynamic", False)
    # Suggestions are prefix queries on whole keywords.
    for field in (*FACETS.values(), "visibility", *SUGGEST_FIELDS):
        mapping.field(field, Keyword())
    for field in ("content_type_id", "object_id"):
        mapping.field(field, Long())
    mapping.field("date", Date())
    mapping.field("location", GeoPoint())
    for field in ("url", "venue_name"):
        mapping.field(field, Keyword(index=False, doc_values=False))
    native = analyzer in NATIVE_ANALYZERS
    for field in NATIVE_BOOSTS:
        mapping.field(field, Text(analyzer=analyzer) if native else Text(index=False))
    for field in BOOSTS:
        # Positions: phrase queries on the bigrams (c) need adjacency.
        mapping.field(field, Text(analyzer="whitespace", index_options="positions"))
    return mapping


# --- query generation (pure: request in, request body out) ------------------------------------


def _any(queries):
    return queries[0] if len(queries) == 1 else Q("bool", should=queries, minimum_should_match=1)


def _per_class(query_type, classes, **params):
    return _any([Q(query_type, **{c: {**params, "boost": BOOSTS[c]}}) for c in classes])


def node_query(node):
    if isinstance(node, Term):
        classes = node.classes or "".join(BOOSTS)
        if node.prefix:
            return _per_class("prefix", classes, value=node.token)
        # most_fields sums the classes, as bm25() sums its weighted columns.
        boosted = [f"{c}^{BOOSTS[c]:g}" for c in classes]
        return Q("multi_match", query=node.token, fields=boosted, type="most_fields")
    if isinstance(node, Phrase):
        return _per_class("match_phrase", node.classes, query=" ".join(node.tokens))
    if isinstance(node, All):
        return Q("bool", must=[node_query(part) for part in node.parts])
    if isinstance(node, Any):
        return _any([node_query(part) for part in node.parts])
    raise TypeError(node)


def concept_query(concept, relaxed=False, native=False):
    nodes = concept.alternatives + (concept.fallback if relaxed else ())
    queries = [node_query(node) for node in nodes]
    if native:
        queries += [
            Q("match", **{f: {"query": concept.text, "operator": "and", "boost": boost}})
            for f, boost in NATIVE_BOOSTS.items()
        ]
    return _any(queries)


def scope_filters(scope):
    if scope.everything:
        return []
    allowed = [Q("terms", visibility=["public", "staff"] if scope.staff else ["public"])]
    if scope.venue_codes:
        allowed.append(Q("terms", venue_code=list(scope.venue_codes)))
    return [_any(allowed)]


def facet_filters(filters, skip=None):
    return [Q("term", **{FACETS[name]: value}) for name, value in filters.items() if name != skip]


def sort_clauses(request):
    newest = {"date": {"order": "desc", "missing": "_last"}}
    tie = ({"content_type_id": "asc"}, {"object_id": "asc"})
    if request.sort == "date":
        return [newest, "_score", *tie]
    if request.sort == "distance" and request.point:
        lat, lon = request.point
        # Documents without a place sort last: their distance counts as infinite.
        near = {"location": {"lat": lat, "lon": lon}, "order": "asc", "unit": "km"}
        return [{"_geo_distance": near}, "_score", *tie]
    return ["_score", newest, *tie]


def build_search(request, relaxed=False, analyzer="whitespace"):
    """Strict: every concept must match; relaxed: any of them, with the homophone fallbacks."""
    native = analyzer in NATIVE_ANALYZERS
    concepts = [concept_query(c, relaxed, native) for c in request.query.concepts]
    combined = {"should": concepts, "minimum_should_match": 1} if relaxed else {"must": concepts}
    search = Search().query(Q("bool", filter=scope_filters(request.scope), **combined))
    filters = facet_filters(request.filters)
    if filters:
        search = search.post_filter(Q("bool", filter=filters))
    if request.facets:
        for name, field in FACETS.items():
            others = facet_filters(request.filters, skip=name)
            narrowed = Q("bool", filter=others) if others else Q("match_all")
            search.aggs.bucket(name, A("filter", filter=narrowed)).bucket(
                "values", A("terms", field=field, size=FACET_SIZE)
            )
    # A page past the window is empty (still counted) rather than an error.
    start = min(request.offset, MAX_WINDOW)
    size = max(0, min(request.limit, MAX_WINDOW - start))
    return (
        search.sort(*sort_clauses(request))
        .source(list(HIT_FIELDS))
        .extra(from_=start, size=size, track_total_hits=True, track_scores=True)
    )


def search_body(request, relaxed=False, analyzer="whitespace"):
    return build_search(request, relaxed, analyzer).to_dict()


def suggest_search(prefix, scope, limit=8):
    """Titles whose text, pinyin or initials start with the prefix; pinyin matches rank first."""
    fields = ["suggest_text"]
    if prefix.isascii():
        has_vowel = any(ch in "aeiouv" for ch in prefix)
        fields = ["suggest_pinyin", "suggest_initials"] if has_vowel else ["suggest_initials"]
    ranked = [
        Q("prefix", **{f: {"value": prefix, "boost": len(fields) - i}})
        for i, f in enumerate(fields)
    ]
    query = Q("bool", must=[Q("dis_max", queries=ranked)], filter=scope_filters(scope))
    # One hit per title, and under it one per kind: (title, kind) pairs without duplicates.
    per_kind = {
        "name": "kinds",
        "collapse": {"field": "kind"},
        "size": 10,
        "_source": ["title", "kind"],
    }
    return (
        Search()
        .query(query)
        .sort("_score", "suggest_text")
        .source(["title", "kind"])
        .extra(size=limit, collapse={"field": "suggest_text", "inner_hits": per_kind})
    )


# --- reading responses -----------------------------------------------------------------------


def hit_fields(source):
    fields = {name: source.get(name, "") for name in HIT_FIELDS}
    fields["date"] = datetime.fromisoformat(source["date"]) if source.get("date") else None
    return fields


def facet_counts(aggregations):
    return {
        name: {
            bucket["key"]: bucket["doc_count"]
            for bucket in aggregations.get(name, {}).get("values", {}).get("buckets", [])
            if bucket["key"]  # blank values are not a facet choice
        }
        for name in FACETS
    }


def to_source(doc):
    source = {key: value for key, value in doc.items() if key not in ("latitude", "longitude")}
    if doc.get("latitude") is not None and doc.get("longitude") is not None:
        source["location"] = {"lat": float(doc["latitude"]), "lon": float(doc["longitude"])}
    return source


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, urls=None, prefix=None, analyzer=None):
        urls = urls or setting("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
        if isinstance(urls, str):
            urls = urls.split(",")
        self.urls = [url.strip() for url in urls if url.strip()]
        self.prefix = (
            setting("ELASTICSEARCH_INDEX_PREFIX", "culturehall_") if prefix is None else prefix
        )
        self.analyzer = analyzer or setting("ELASTICSEARCH_ANALYZER", "whitespace")
        if self.analyzer not in ("whitespace", *NATIVE_ANALYZERS):
            raise ImproperlyConfigured(
                f"ELASTICSEARCH_ANALYZER must be whitespace, smartcn or ik_smart, "
                f"not {self.analyzer!r}"
            )

    @cached_property
    def client(self):
        return Elasticsearch(
            self.urls, request_timeout=TIMEOUT, retry_on_timeout=True, max_retries=2
        )

    @property
    def alias(self):
        return f"{self.prefix}search"

    def index_name(self, generation):
        return f"{self.alias}_g{generation}"

    def ensure_index(self, generation):
        """Create the generation's index with our mapping before anything is written to it
        (Elasticsearch would otherwise guess a mapping). The first index also gets the alias."""
        index = Index(self.index_name(generation), using=self.client)
        if index.exists():
            return
        index.settings(number_of_shards=1)  # one shard: term statistics, and so scores, are exact
        index.mapping(build_mapping(self.analyzer))
        if not self.client.indices.exists_alias(name=self.alias):
            index.aliases(**{self.alias: {}})
        try:
            index.create()
        except BadRequestError as error:
            if error.message != "resource_already_exists_exception":  # another worker was first
                raise

    # --- writing ---------------------------------------------------------------------------

    def write(self, generations, documents):
        if not documents:
            return
        for generation in generations:
            self.ensure_index(generation)
        actions = [
            {
                "_index": self.index_name(g),
                "_id": f"{doc['content_type_id']}-{doc['object_id']}",
                "_source": to_source(doc),
            }
            for g in generations
            for doc in documents
        ]
        # wait_for: once written, a search finds it, as with the database backend.
        bulk(self.client, actions, refresh="wait_for")

    def delete(self, generations, content_type_id, object_ids):
        actions = [
            {"_op_type": "delete", "_index": self.index_name(g), "_id": f"{content_type_id}-{pk}"}
            for g in generations
            for pk in object_ids
        ]
        if actions:
            bulk(self.client, actions, refresh="wait_for", ignore_status=(404,))

    def drop_generation(self, generation):
        self.client.options(ignore_status=404).indices.delete(index=self.index_name(generation))

    def activate(self, generation):
        """Point the alias at this generation, and away from every other, in one atomic step."""
        self.ensure_index(generation)
        target = self.index_name(generation)
        try:
            current = list(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            current = []
        actions = [
            {"remove": {"index": name, "alias": self.alias}} for name in current if name != target
        ]
        actions.append({"add": {"index": target, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)

    # --- querying --------------------------------------------------------------------------

    def _execute(self, search, generation):
        # A generation nothing was written to yet has no index: that is an empty result.
        search = search.using(self.client).index(self.index_name(generation))
        return search.params(ignore_unavailable=True).execute().to_dict()

    def _run(self, request, generation, relaxed):
        response = self._execute(build_search(request, relaxed, self.analyzer), generation)
        hits = response["hits"]
        facets = facet_counts(response.get("aggregations", {})) if request.facets else {}
        return SearchResult(
            count=hits["total"]["value"],
            hits=[
                Hit(hit_fields(h["_source"]), float(h.get("_score") or 0.0)) for h in hits["hits"]
            ],
            facets=facets,
        )

    def search(self, request, generation):
        if request.query.is_empty:
            return SearchResult()
        result = self._run(request, generation, relaxed=False)
        # Facets count the strict matches before filters: if any exist, the filters emptied the
        # page, and relaxing the words would only confuse.
        if result.count or any(result.facets.values()):
            return result
        relaxed = self._run(request, generation, relaxed=True)
        relaxed.relaxed = True
        return relaxed

    def suggest(self, prefix, scope, generation, limit=8):
        response = self._execute(suggest_search(prefix, scope, limit), generation)
        pairs = []
        for hit in response["hits"]["hits"]:
            for inner in hit["inner_hits"]["kinds"]["hits"]["hits"]:
                pairs.append((inner["_source"]["title"], inner["_source"]["kind"]))
        return list(dict.fromkeys(pairs))[:limit]
