"""Wagtail's own search (admin pages, images, documents, snippets) with Chinese words.

Wagtail's database backends tokenise on spaces and punctuation (SQLite FTS5 unicode61,
PostgreSQL's default parser), so a Chinese title is one long token and 书法 never matches
县文化馆举办书法培训课程. These subclasses let Wagtail write its index entry as usual, then
rewrite that entry's text as space-separated words and bigrams (`segment_for_index`); queries
are cut into words the same way before Wagtail compiles them.

Use it with WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.wagtail_backend"}}.
"""

from collections import defaultdict
from functools import cache

from django.utils.encoding import force_str
from modelsearch.backends import database
from modelsearch.index import AutocompleteField
from modelsearch.query import And, Boost, Not, Or, Phrase, PlainText
from modelsearch.utils import get_content_type_pk

from .analysis import bigrams, is_cjk, normalize, runs, segment_for_index, words

# --- queries ------------------------------------------------------------------------------


def _query_words(text):
    """Words of a typed query; the text itself when it has none (Wagtail then decides)."""
    return " ".join(words(normalize(text), for_search=False)) or text


def _phrase_tokens(text):
    """A phrase as index tokens in order: ideograph runs as their bigrams, which the index
    keeps adjacent, whereas search-mode words interleave sub-words (培训 培训班)."""
    tokens = []
    for run in runs(normalize(text)):
        tokens.extend(bigrams(run) if is_cjk(run) else [run])
    return " ".join(tokens) or text


def segment_query(query):
    """The query with its text cut into words; operators, boosts and structure unchanged.

    Wagtail's admin page search hands over parsed PlainText/Phrase objects, not strings, so
    those are cut too. Fuzzy compares raw text by similarity and MatchAll has no text.
    """
    match query:
        case str():
            return _query_words(query)
        case PlainText():
            return PlainText(_query_words(query.query_string), query.operator, query.boost)
        case Phrase():
            return Phrase(_phrase_tokens(query.query_string))
        case And() | Or():
            return type(query)([segment_query(sub) for sub in query.subqueries])
        case Not():
            return Not(segment_query(query.subquery))
        case Boost():
            return Boost(segment_query(query.subquery), query.boost)
    return query


class QuerySegmentation:
    """Backend mixin: search() and autocomplete() both pass through `_search`."""

    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        return super()._search(
            query_compiler_class, segment_query(query), model_or_queryset, **kwargs
        )


# --- indexing -----------------------------------------------------------------------------


class SQLiteSegmentation:
    """Mixin for SQLiteIndex: the entry columns are plain text and the FTS5 table follows
    them through the update trigger."""

    def add_items(self, model, objs):
        objs = list(objs)
        super().add_items(model, objs)
        if not objs or not model.get_search_fields():
            return  # Wagtail wrote nothing, and must not be re-segmented
        written = self.entries.filter(
            content_type_id=get_content_type_pk(model),
            object_id__in={force_str(obj.pk) for obj in objs},
        )
        entries = list(written.only("title", "body", "autocomplete"))
        for entry in entries:
            entry.title = segment_for_index(entry.title)
            entry.body = segment_for_index(entry.body)
            entry.autocomplete = segment_for_index(entry.autocomplete)
            entry.title_norm = 1.0  # marks the entry for the title-length refresh below
        self.entries.bulk_update(entries, ["title", "body", "autocomplete", "title_norm"])
        self._refresh_title_norms()


def _to_tsvector(config, weighted_texts):
    """SQL and params of a weighted tsvector, as Wagtail builds it: one setweight per weight."""
    parts, params = [], []
    for weight, texts in sorted(weighted_texts.items()):
        if config:
            parts.append("setweight(to_tsvector(%s::regconfig, %s::text), %s)")
            params.append(config)
        else:  # Wagtail's default: the server's default_text_search_config
            parts.append("setweight(to_tsvector(%s::text), %s)")
        params.extend([" ".join(texts), weight])
    return " || ".join(parts) or "''::tsvector", params


class PostgresSegmentation:
    """Mixin for PostgresIndex: the title, body and autocomplete tsvectors are recomputed
    from segmented text, each indexed value keeping the weight Wagtail gives its field's
    boost. title_text/body_text stay as typed: they serve trigram (Fuzzy) similarity."""

    def add_items(self, model, objs):
        objs = list(objs)
        super().add_items(model, objs)
        if not objs or not model.get_search_fields():
            return
        rows_sql, params = [], []
        for obj in objs:
            texts = self._weighted_texts(obj)
            row_sql, row_params = ["%s"], [force_str(obj.pk)]
            for kind, config in (
                ("title", self.backend.config),
                ("body", self.backend.config),
                ("autocomplete", self.backend.autocomplete_config),
            ):
                sql, vector_params = _to_tsvector(config, texts[kind])
                row_sql.append(sql)
                row_params.extend(vector_params)
            rows_sql.append(f"({', '.join(row_sql)})")
            params.extend(row_params)
        table = self.write_connection.ops.quote_name(self.entries.model._meta.db_table)
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS entry SET title = v.title, body = v.body, "  # nosec B608: quoted table name, generated placeholders; values are parameters
                "autocomplete = v.autocomplete, title_norm = 1.0 "
                f"FROM (VALUES {', '.join(rows_sql)}) AS v(object_id, title, body, autocomplete) "
                "WHERE entry.content_type_id = %s AND entry.object_id = v.object_id",
                [*params, get_content_type_pk(model)],
            )
        self._refresh_title_norms()

    def _weighted_texts(self, obj):
        """{kind: {weight: [segmented text]}}, kinds split the way Wagtail splits them."""
        # Imported here, as modelsearch imports its vendor modules: only PostgreSQL needs it.
        from modelsearch.backends.database.postgres.postgres import ObjectIndexer

        indexer = ObjectIndexer(obj, self.backend)
        texts = {kind: defaultdict(list) for kind in ("title", "body", "autocomplete")}
        for field in indexer.search_fields:
            for current, weight, value in indexer.prepare_field(obj, field):
                if isinstance(current, AutocompleteField):
                    kind = "autocomplete"
                else:
                    kind = "title" if current.field_name == "title" else "body"
                segmented = segment_for_index(value)
                if segmented:
                    texts[kind][weight].append(segmented)
        return texts


# --- entry point --------------------------------------------------------------------------

# Keyed by the class modelsearch picks for the connection; the SQLite module cannot even be
# imported on PostgreSQL (its FTS model does not exist there), hence names, not classes.
INDEX_SEGMENTATION = {
    "SQLiteSearchBackend": SQLiteSegmentation,
    "PostgresSearchBackend": PostgresSegmentation,
}


@cache
def _backend_class():
    base = type(database.SearchBackend({}))
    index_mixin = INDEX_SEGMENTATION.get(base.__name__)
    if index_mixin is None:
        return base  # MySQL or the no-FTS fallback: left as Wagtail has them
    index_class = type(f"Segmented{base.index_class.__name__}", (index_mixin, base.index_class), {})
    return type(
        f"Segmented{base.__name__}", (QuerySegmentation, base), {"index_class": index_class}
    )


def SearchBackend(params):  # the name Wagtail's backend loader looks up
    """Wagtail's database backend for this connection's vendor, with Chinese segmentation."""
    return _backend_class()(params)
