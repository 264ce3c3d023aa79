"""The admin home page's panel: this month's key figures and the usage trend, in the user's
scope, with links to the dashboard and the large screen."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from ..aggregate import aggregated_through
from .registry import CHARTS
from .scope import scope_for
from .usage_charts import key_figures

PANEL_CHART = "usage_trend"


class MetricsPanel(Component):
    name = "metrics_dashboard"
    template_name = "metrics/dashboard/panel.html"
    order = 90

    def __init__(self, scope):
        self.scope = scope

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        chart = CHARTS[PANEL_CHART]
        return {
            "figures": key_figures(self.scope, today),
            "chart": chart,
            "rows": chart.rows(self.scope, today),
            "charts_json": [chart.as_json(self.scope, today)],
            "data_through": aggregated_through(),
        }

    class Media:
        js = ["metrics/vendor/echarts.min.js", "metrics/dashboard.js"]
        css = {"all": ["metrics/dashboard.css"]}


def add_panel(request, panels):
    scope = scope_for(request.user)
    if scope is not None:
        panels.append(MetricsPanel(scope))
