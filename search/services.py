"""The one search: what the public page, the API and the admin call."""

import hashlib
import math
from dataclasses import dataclass, field
from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import analysis, sources
from .backends import get_backend
from .backends.base import FACETS, PUBLIC, SORTS, Scope, SearchRequest
from .models import IndexState, ZeroResultQuery, synonym_map
from .query import parse

MAX_PAGE_SIZE = 50
SNIPPET_CHARS = 80


@dataclass
class Result:
    type: str
    type_label: str
    id: int
    title: str
    url: str
    venue: str
    venue_code: str
    district: str
    snippet: str
    score: float
    art_form: str = ""
    date: object = None


@dataclass
class SearchPage:
    query: str
    count: int = 0
    results: list = field(default_factory=list)
    facets: dict = field(default_factory=dict)
    page: int = 1
    page_size: int = 20
    relaxed: bool = False
    message: str = ""
    invalid: bool = False  # the query itself was unusable (empty, too long, only symbols)

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.page_size))


def query_context():
    """(synonyms, vocabulary) for the parser: the hub's synonyms and the words a pinyin or
    initials query may stand for (dictionary, art forms, synonym words)."""
    synonyms = synonym_map()
    return synonyms, analysis.vocabulary([*_art_form_names(), *synonyms])


def _art_form_names():
    """The hub's art forms, cached a minute: queries and every suggestion keystroke use them."""
    from resources.models import ArtForm

    return cache.get_or_set(
        "search:art-forms", lambda: list(ArtForm.objects.values_list("name", flat=True)), 60
    )


def scope_for(user):
    """The documents a user may find: mirrors the catalogue's `visible_to`."""
    from network.services import venues_for_user

    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    if user.is_superuser:
        return Scope(everything=True)
    codes = tuple(venues_for_user(user).values_list("code", flat=True))
    return Scope(staff=bool(codes), venue_codes=codes) if codes else PUBLIC


def clean_filters(raw):
    """Known facet filters with a non-empty value; unknown names are ignored."""
    return {name: str(raw[name]).strip()[:100] for name in FACETS if raw.get(name)}


def search(q, *, filters=None, user=None, sort="relevance", point=None, page=1, page_size=20):
    page_size = max(1, min(int(page_size or 20), MAX_PAGE_SIZE))
    page = max(1, int(page or 1))
    analysis.maybe_refresh()
    parsed = parse(q, *query_context())
    result_page = SearchPage(query=(q or "").strip(), page=page, page_size=page_size)
    if parsed.error:
        result_page.message, result_page.invalid = parsed.error, True
        return result_page
    if sort not in SORTS or (sort == "distance" and not point):
        sort = "relevance"
    request = SearchRequest(
        parsed,
        filters=clean_filters(filters or {}),
        scope=scope_for(user),
        sort=sort,
        point=point,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    found = _cached_search(request, IndexState.current())
    if not found.count and not request.filters and request.scope.public_only:
        log_zero_result(parsed.text)
    highlights = parsed.highlights()
    result_page.count = found.count
    result_page.relaxed = found.relaxed
    result_page.facets = found.facets
    result_page.results = [_result(hit, highlights, parsed) for hit in found.hits]
    if found.relaxed and found.count:
        result_page.message = _("没有完全匹配的结果，以下是相近的结果。")
    elif not found.count:
        result_page.message = _("没有找到与「%(q)s」相关的内容。") % {"q": parsed.text}
    return result_page


def _cached_search(request, state):
    """Popular queries repeat: their results are kept briefly (SEARCH_RESULT_CACHE_SECONDS),
    keyed by the index version, so any change to the index is seen at once."""
    seconds = getattr(settings, "SEARCH_RESULT_CACHE_SECONDS", 0)
    if not seconds:
        return get_backend().search(request, state.active)
    key = (
        "search:result:"
        + hashlib.sha256(
            repr((get_backend().name, state.active, state.version, request)).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = get_backend().search(request, state.active)
        cache.set(key, found, seconds)
    return found


def _result(hit, highlights, parsed):
    f = hit.fields
    return Result(
        type=f["kind"],
        type_label=str(sources.kind_label(f["kind"])),
        id=f["object_id"],
        title=f["title"],
        url=f["url"],
        venue=f["venue_name"],
        venue_code=f["venue_code"],
        district=f["district"],
        snippet=snippet(f["body"] or f["title"], highlights, parsed),
        score=round(hit.score, 4),
        art_form=f["art_form"],
        date=_local(f["date"]),
    )


def _local(value):
    """Backends hand dates back as aware or naive-UTC datetimes, or ISO strings (raw SQLite)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return timezone.localtime(value)


def _marks(text, highlights, parsed):
    """The substrings of text to mark: the query's words and synonyms, and the words whose
    pinyin or initials the query typed."""
    normalized = analysis.normalize(text)
    marks = {h for h in highlights if h and h in normalized}
    latin = {c.text for c in parsed.concepts if not analysis.is_cjk(c.text)}
    if latin:
        for word in analysis.words(normalized):
            if analysis.pinyin(word) in latin or analysis.initials(word) in latin:
                marks.add(word)
    return normalized, sorted(marks, key=len, reverse=True)


def snippet(text, highlights, parsed, width=SNIPPET_CHARS):
    """A window of the text around the first match, HTML-escaped, matches in <mark>."""
    text = " ".join((text or "").split())
    normalized, marks = _marks(text, highlights, parsed)
    if len(normalized) != len(text):  # NFKC changed lengths: mark nothing rather than misplace
        normalized, marks = text, [m for m in marks if m in text]
    first = min((normalized.find(m) for m in marks), default=0)
    start = max(0, first - width // 4)
    window = slice(start, start + width)
    piece, lowered = text[window], normalized[window]
    spans, i = [], 0
    while i < len(piece):
        match = next((m for m in marks if lowered.startswith(m, i)), None)
        if match:
            spans.append(f"<mark>{escape(piece[i : i + len(match)])}</mark>")
            i += len(match)
        else:
            spans.append(escape(piece[i]))
            i += 1
    prefix = "…" if start else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(spans) + suffix)  # nosec B308 B703: every piece of text is escape()d above


def log_zero_result(text):
    text = text[:100]
    updated = ZeroResultQuery.objects.filter(query=text).update(count=F("count") + 1)
    if not updated:
        ZeroResultQuery.objects.get_or_create(query=text)


def suggest(q, user=None, limit=8):
    """Titles, teacher names and art forms for what has been typed so far (pinyin-aware)."""
    text = analysis.normalize((q or "").strip())[:50]
    prefix = "".join(analysis.runs(text))
    if not prefix:
        return []
    titles = get_backend().suggest(prefix, scope_for(user), IndexState.current().active, limit)
    suggestions = [
        {"text": title, "type": kind, "type_label": str(sources.kind_label(kind))}
        for title, kind in titles
    ]
    return _art_forms(prefix) + suggestions[: max(0, limit - 1)]


def _art_forms(prefix):
    for name in _art_form_names():
        keys = (name, analysis.pinyin(name), analysis.initials(name))
        if any(key.startswith(prefix) for key in keys if key):
            return [{"text": name, "type": "art_form", "type_label": _("艺术门类")}]
    return []


def facet_options(facets, filters=None):
    """{facet: [{value, label, count, selected}]} with readable labels, largest first."""
    from network.models import Venue
    from network.plan import Audience, FeeType

    filters = filters or {}
    codes = list(facets.get("venue", {}))
    labels = {
        "type": {k: str(sources.kind_label(k)) for k in facets.get("type", {})},
        "venue": dict(Venue.objects.filter(code__in=codes).values_list("code", "name")),
        "audience": {k: str(v) for k, v in Audience.choices},
        "fee": {k: str(v) for k, v in FeeType.choices},
    }
    return {
        name: [
            {
                "value": value,
                "label": labels.get(name, {}).get(value, value),
                "count": count,
                "selected": filters.get(name) == value,
            }
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        ]
        for name, counts in facets.items()
    }


FACET_TITLES = {
    "type": gettext_lazy("类型"),
    "art_form": gettext_lazy("艺术门类"),
    "district": gettext_lazy("区县"),
    "venue": gettext_lazy("场馆"),
    "audience": gettext_lazy("适合人群"),
    "fee": gettext_lazy("收费"),
}
