"""The contract every search backend meets; tests/search/test_contract.py runs it against each."""

from dataclasses import dataclass, field

from ..query import ParsedQuery

# Facet name → document field. The API's filter parameters use the same names.
FACETS = {
    "type": "kind",
    "art_form": "art_form",
    "district": "district",
    "venue": "venue_code",
    "audience": "audience",
    "fee": "fee_type",
}
SORTS = ("relevance", "date", "distance")
# Fields a backend returns for each hit.
HIT_FIELDS = (
    "kind",
    "content_type_id",
    "object_id",
    "title",
    "url",
    "body",
    "venue_code",
    "venue_name",
    "district",
    "art_form",
    "date",
)


@dataclass(frozen=True)
class Scope:
    """Who is searching: everyone sees public documents; network staff also staff-only ones;
    a venue's staff also their venues' own; `everything` is for superusers."""

    staff: bool = False
    venue_codes: tuple = ()
    everything: bool = False

    @property
    def public_only(self):
        return not (self.staff or self.venue_codes or self.everything)


PUBLIC = Scope()


@dataclass
class SearchRequest:
    query: ParsedQuery
    filters: dict = field(default_factory=dict)  # facet name → value
    scope: Scope = PUBLIC
    sort: str = "relevance"
    point: tuple | None = None  # (latitude, longitude) for sort="distance"
    offset: int = 0
    limit: int = 20
    facets: bool = True


@dataclass
class Hit:
    fields: dict
    score: float


@dataclass
class SearchResult:
    count: int = 0
    hits: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)  # facet name → {value: count}
    relaxed: bool = False  # no entry matched every word; these match some of them


class SearchBackend:
    """Stores documents (dicts of SearchDocument's fields plus the analysed a–d streams) in
    generations and answers queries. A rebuild writes a new generation, then switches."""

    name = ""

    def write(self, generations, documents):
        raise NotImplementedError

    def delete(self, generations, content_type_id, object_ids):
        raise NotImplementedError

    def drop_generation(self, generation):
        raise NotImplementedError

    def activate(self, generation):
        """Make this generation answer queries. IndexState records it; a search engine may
        also switch an alias."""

    def search(self, request, generation):
        raise NotImplementedError

    def suggest(self, prefix, scope, generation, limit=8):
        raise NotImplementedError


def disjunctive_facets(rows, filters):
    """Facet counts from (facet values tuple, count) rows: each facet counts the documents that
    match every *other* filter, so choosing a district still shows the other districts' counts."""
    names = list(FACETS)
    facets = {name: {} for name in names}
    total = 0
    for values, count in rows:
        values = dict(zip(names, values, strict=True))
        failing = [n for n in names if n in filters and str(values[n] or "") != str(filters[n])]
        if not failing:
            total += count
        for name in names:
            if failing and failing != [name]:
                continue
            value = values[name]
            if value:
                facets[name][value] = facets[name].get(value, 0) + count
    return total, facets
