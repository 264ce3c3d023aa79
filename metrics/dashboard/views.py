"""The dashboard page (admin), the large screen (数据大屏), its JSON for the auto-refresh and
each chart's .xlsx. Every view shows only the user's scope (scope.py)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.admin_views import ForbiddenMixin

from .. import rules
from ..aggregate import aggregated_through
from .registry import CHARTS
from .scope import scope_for
from .usage_charts import key_figures
from .xlsx import chart_workbook

app_name = "metrics_dashboard"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScopedMixin(ForbiddenMixin):
    """Only for venue staff and the hub; self.scope is what they may see."""

    def dispatch(self, request, *args, **kwargs):
        self.scope = scope_for(request.user)
        if self.scope is None:
            denied = PermissionDenied(_("您不是任何场馆的工作人员，不能查看统计看板。"))
            return permission_denied(request, denied)
        self.today = timezone.localdate()
        return super().dispatch(request, *args, **kwargs)

    def charts(self):
        """[(chart, rows, its JSON)] of every chart, in registry order."""
        result = []
        for chart in CHARTS.values():
            rows = chart.rows(self.scope, self.today)
            result.append((chart, rows, chart.as_json(self.scope, self.today)))
        return result

    def dashboard_context(self):
        charts = self.charts()
        return {
            "charts": charts,
            "charts_json": [data for _c, _r, data in charts],
            "figures": key_figures(self.scope, self.today),
            "data_through": aggregated_through(),
            "scope_label": self.scope_label(),
        }

    def scope_label(self):
        if self.scope.is_network:
            return _("全市")
        names = list(self.scope.venues().order_by("name").values_list("name", flat=True)[:3])
        more = len(self.scope.venue_ids) - len(names)
        label = "、".join(names)
        return (
            _("%(names)s 等 %(count)s 个场馆")
            % {
                "names": label,
                "count": len(self.scope.venue_ids),
            }
            if more > 0
            else label
        )


class DashboardView(ScopedMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "metrics/dashboard/index.html"
    page_title = _("统计看板")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.dashboard_context(), **kwargs)


class ScreenView(ScopedMixin, TemplateView):
    template_name = "metrics/dashboard/screen.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **self.dashboard_context(),
            refresh_seconds=rules.SCREEN_REFRESH_SECONDS,
            refresh_minutes=max(1, rules.SCREEN_REFRESH_SECONDS // 60),
            site_name=settings.WAGTAIL_SITE_NAME,
            data_url=reverse("metrics_dashboard:data"),
            **kwargs,
        )


class DataView(ScopedMixin, View):
    """Every chart's rows as JSON: what the large screen reloads."""

    def get(self, request):
        through = aggregated_through()
        return JsonResponse(
            {
                "charts": [data for _c, _r, data in self.charts()],
                "figures": [
                    [str(label), float(value)]
                    for label, value in key_figures(self.scope, self.today)
                ],
                "data_through": through.isoformat() if through else None,
            }
        )


class ChartXlsxView(ScopedMixin, View):
    def get(self, request, key):
        chart = CHARTS.get(key)
        if chart is None:
            raise Http404(_("没有这个图表。"))
        response = HttpResponse(
            chart_workbook(chart, chart.rows(self.scope, self.today)), content_type=XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="{key}-{self.today:%Y%m%d}.xlsx"'
        return response


urlpatterns = [
    path("", DashboardView.as_view(), name="index"),
    path("screen/", ScreenView.as_view(), name="screen"),
    path("data.json", DataView.as_view(), name="data"),
    path("<slug:key>.xlsx", ChartXlsxView.as_view(), name="xlsx"),
]
