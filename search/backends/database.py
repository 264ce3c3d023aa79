"""The embedded backend: the index lives in the project's own database.

SQLite: an external-content FTS5 table over SearchDocument's analysed columns, ranked with
bm25(). PostgreSQL: a generated tsvector column with a GIN index, ranked with ts_rank(). Both
rank in SQL; only the page of hits and the facet counts come back to Python."""

from django.db import connection, transaction

from .. import query as query_module
from ..models import SearchDocument
from .base import FACETS, HIT_FIELDS, Hit, SearchBackend, SearchResult, disjunctive_facets

TABLE = SearchDocument._meta.db_table
FTS_TABLE = "search_fts"
# Weight of the classes a (title), b (body), c (bigrams), d (initials).
FTS5_WEIGHTS = "10.0, 4.0, 1.0, 0.3"
# ts_rank's weights are given in the order D, C, B, A.
PG_WEIGHTS = "{0.03, 0.1, 0.4, 1.0}"
# Facets group by one integer per combination of values (SearchDocument.facet_key).
FACET_VALUES = ", ".join(f"MIN(d.{column})" for column in FACETS.values())


class DatabaseBackend(SearchBackend):
    name = "database"

    @property
    def vendor(self):
        return connection.vendor

    # --- writing ---------------------------------------------------------------------------

    def write(self, generations, documents):
        if not documents:
            return
        with transaction.atomic():
            by_type = {}
            for doc in documents:
                by_type.setdefault(doc["content_type_id"], []).append(doc["object_id"])
            for content_type_id, object_ids in by_type.items():
                self.delete(generations, content_type_id, object_ids)
            SearchDocument.objects.bulk_create(
                [SearchDocument(generation=g, **doc) for g in generations for doc in documents],
                batch_size=500,
            )

    def delete(self, generations, content_type_id, object_ids):
        SearchDocument.objects.filter(
            generation__in=generations, content_type_id=content_type_id, object_id__in=object_ids
        ).delete()

    def drop_generation(self, generation):
        SearchDocument.objects.filter(generation=generation).delete()

    # --- querying --------------------------------------------------------------------------

    def _match(self, parsed, operator, with_fallback):
        """(FROM/WHERE sql, score sql, params) selecting the documents that match."""
        if self.vendor == "postgresql":
            tsquery = query_module.to_tsquery(parsed, operator, with_fallback)
            return (
                f"FROM {TABLE} d WHERE d.tsv @@ %s::tsquery",
                f"ts_rank('{PG_WEIGHTS}', d.tsv, %s::tsquery)",
                [tsquery],
                [tsquery],
            )
        fts = query_module.to_fts5(parsed, operator, with_fallback)
        return (
            f"FROM {FTS_TABLE} JOIN {TABLE} d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s",
            f"-bm25({FTS_TABLE}, {FTS5_WEIGHTS})",
            [fts],
            [],
        )

    @staticmethod
    def _scope(scope, generation):
        sql, params = " AND d.generation = %s", [generation]
        if scope.everything:
            return sql, params
        allowed, allowed_params = ["d.visibility = 'public'"], []
        if scope.staff:
            allowed.append("d.visibility = 'staff'")
        if scope.venue_codes:
            marks = ", ".join(["%s"] * len(scope.venue_codes))
            allowed.append(f"d.venue_code IN ({marks})")
            allowed_params.extend(scope.venue_codes)
        return sql + " AND (" + " OR ".join(allowed) + ")", params + allowed_params

    @staticmethod
    def _filters(filters):
        sql, params = "", []
        for name, value in filters.items():
            sql += f" AND d.{FACETS[name]} = %s"
            params.append(value)
        return sql, params

    def _order(self, request):
        if request.sort == "date":
            return " ORDER BY d.date IS NULL, d.date DESC, score DESC, d.id", []
        if request.sort == "distance" and request.point:
            lat, lng = request.point
            # Degrees of longitude shrink with latitude; cos(27°) ≈ 0.89 suits south China.
            return (
                " ORDER BY d.latitude IS NULL, "
                "(d.latitude - %s) * (d.latitude - %s) + "
                "(d.longitude - %s) * (d.longitude - %s) * 0.79, score DESC, d.id",
                [lat, lat, lng, lng],
            )
        return " ORDER BY score DESC, d.date IS NULL, d.date DESC, d.id", []

    def _run(self, request, generation, operator, with_fallback):
        body, score, match_params, score_params = self._match(
            request.query, operator, with_fallback
        )
        scope_sql, scope_params = self._scope(request.scope, generation)
        filter_sql, filter_params = self._filters(request.filters)
        where = body + scope_sql
        with connection.cursor() as cursor:
            if request.facets:
                cursor.execute(
                    f"SELECT {FACET_VALUES}, COUNT(*) {where} GROUP BY d.facet_key",
                    match_params + scope_params,
                )
                rows = [(tuple(row[:-1]), row[-1]) for row in cursor.fetchall()]
                count, facets = disjunctive_facets(rows, request.filters)
            else:
                cursor.execute(
                    f"SELECT COUNT(*) {where}{filter_sql}",
                    match_params + scope_params + filter_params,
                )
                count, facets = cursor.fetchone()[0], {}
            if not count:
                return SearchResult(0, [], facets)
            order_sql, order_params = self._order(request)
            # Rank first, then read the wide rows of the page only.
            cursor.execute(
                f"SELECT d.id, {score} AS score {where}{filter_sql}{order_sql} LIMIT %s OFFSET %s",
                score_params
                + match_params
                + scope_params
                + filter_params
                + order_params
                + [request.limit, request.offset],
            )
            ranked = cursor.fetchall()
            hits = self._hits(cursor, ranked)
        return SearchResult(count, hits, facets)

    @staticmethod
    def _hits(cursor, ranked):
        if not ranked:
            return []
        columns = ", ".join(HIT_FIELDS)
        marks = ", ".join(["%s"] * len(ranked))
        cursor.execute(
            f"SELECT id, {columns} FROM {TABLE} WHERE id IN ({marks})",  # nosec B608: constant names
            [pk for pk, _ in ranked],
        )
        rows = {row[0]: dict(zip(HIT_FIELDS, row[1:], strict=True)) for row in cursor.fetchall()}
        return [Hit(rows[pk], float(score)) for pk, score in ranked if pk in rows]

    def search(self, request, generation):
        if request.query.is_empty:
            return SearchResult()
        result = self._run(request, generation, "AND", with_fallback=False)
        # Facets count the strict matches before filters: if any exist, the filters emptied the
        # page, and relaxing the words would only confuse.
        if result.count or any(result.facets.values()):
            return result
        relaxed = self._run(request, generation, "OR", with_fallback=True)
        relaxed.relaxed = True
        return relaxed

    def suggest(self, prefix, scope, generation, limit=8):
        """Titles starting with the prefix, or whose pinyin or initials start with it."""
        column = "suggest_text"
        if prefix.isascii():
            column = "suggest_initials" if not any(ch in "aeiouv" for ch in prefix) else None
        columns = [column] if column else ["suggest_pinyin", "suggest_initials"]
        scope_sql, scope_params = self._scope(scope, generation)
        titles = []
        with connection.cursor() as cursor:
            for col in columns:
                cursor.execute(
                    f"SELECT DISTINCT d.title, d.kind FROM {TABLE} d "  # nosec B608: constant names; values are parameters
                    f"WHERE d.{col} >= %s AND d.{col} < %s{scope_sql} "
                    f"ORDER BY d.title LIMIT %s",
                    [prefix, prefix + "\uffff"] + scope_params + [limit],
                )
                titles.extend(cursor.fetchall())
        return list(dict.fromkeys(titles))[:limit]
