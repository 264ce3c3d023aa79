"""The dashboards' charts: each is one definition — a data function, a chart type and its
columns — registered with @chart. Views, tables, the .xlsx export and the large screen all
read the same rows, so a chart and its table can never disagree.

A data function takes (scope, today) and returns a list of dicts keyed by the column keys,
read from aggregate tables and service functions only (never the raw events)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .. import rules

# How ECharts draws a chart (metrics/static/metrics/dashboard.js knows each of them).
KINDS = ("bar", "stacked_bar", "hbar", "line", "pie")


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    kind: str
    columns: tuple  # ((key, label), …): the first is the category, the rest the figures
    data: object  # (scope, today) -> [dict]
    empty: str = _("暂无数据")
    note: str = ""  # what the figures are, shown under the chart
    plotted: tuple = field(default=())  # column keys drawn (default: every figure column)

    @property
    def series(self):
        return self.plotted or tuple(key for key, _label in self.columns[1:])

    def rows(self, scope, today):
        """[[cell, …]] in column order, cached briefly per scope (the large screen polls)."""
        cache_key = f"metrics:chart:{self.key}:{scope.key()}:{today.isoformat()}"
        rows = cache.get(cache_key)
        if rows is None:
            keys = [key for key, _label in self.columns]
            rows = [[_cell(row.get(key)) for key in keys] for row in self.data(scope, today)]
            cache.set(cache_key, rows, rules.DASHBOARD_CACHE_SECONDS)
        return rows

    def as_json(self, scope, today):
        return {
            "key": self.key,
            "title": str(self.title),
            "kind": self.kind,
            "columns": [[key, str(label)] for key, label in self.columns],
            "series": list(self.series),
            "rows": [[_plain(cell) for cell in row] for row in self.rows(scope, today)],
            "empty": str(self.empty),
        }


CHARTS = {}


def chart(key, title, kind, columns, **options):
    """Register the decorated data function as a chart."""
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")

    def register(function):
        CHARTS[key] = Chart(key, title, kind, tuple(columns), function, **options)
        return function

    return register


def _cell(value):
    """Numbers stay numbers (the .xlsx sums them); anything else becomes its text."""
    if value is None or isinstance(value, int | float | Decimal):
        return value
    return str(value)


def _plain(cell):
    return float(cell) if isinstance(cell, Decimal) else cell
