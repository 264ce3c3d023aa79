"""Admin coverage page (覆盖规划): map, charts and tables, the .xlsx export, population import."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from portal.admin_views import ForbiddenMixin

from . import population_grid_import, population_import
from .compliance_views import OverseerMixin, UploadForm
from .coverage import build_report
from .coverage_output import MAP_CELL_LIMIT, export_xlsx, map_data
from .hub_settings import NetworkSettings
from .plan import RESIDENTS_PER_VENUE, Level
from .services import venues_for_user

app_name = "network_coverage"


class CoverageView(OverseerMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "network/coverage/index.html"
    page_title = gettext_lazy("覆盖规划")
    header_icon = "site"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        report = build_report(today)
        settings = NetworkSettings.load(request_or_site=self.request)
        largest = max((d.per_outlet or 0 for d in report.districts), default=0)
        context.update(
            report=report,
            today=today,
            targets=[(t, t.status(today)) for t in report.targets],
            map=map_data(report, settings.map_tile_url, settings.map_attribution),
            band=RESIDENTS_PER_VENUE,
            chart_max=max(largest, RESIDENTS_PER_VENUE[1]) * 1.1,
            growth_max=max((n for _y, n in report.growth), default=0) or 1,
            map_cell_limit=MAP_CELL_LIMIT,
        )
        return context


class CoverageExportView(OverseerMixin, View):
    def get(self, request):
        today = timezone.localdate()
        response = HttpResponse(
            export_xlsx(build_report(today), today),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="coverage-{today:%Y%m%d}.xlsx"'
        return response


class HubOnlyMixin(ForbiddenMixin):
    """Population figures are the city's: only the hub's staff replace them."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_superuser or venues_for_user(user).filter(level=Level.HUB).exists()):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class ImportView(HubOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """An all-or-nothing table import: every bad row listed in the form, nothing saved."""

    template_name = "network/coverage/import.html"
    header_icon = "upload"
    form_class = UploadForm
    importer = None  # the import module: HEADERS, OPTIONAL and its import function
    explanation = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            headers=self.importer.HEADERS,
            optional=self.importer.OPTIONAL,
            explanation=self.explanation,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            result = self.run_import(form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect("network_coverage:index")


class PopulationImportView(ImportView):
    page_title = gettext_lazy("导入乡镇/街道人口")
    importer = population_import
    explanation = gettext_lazy(
        "经纬度为乡镇/街道中心点。同一区县、同名乡镇/街道的行更新已有数据。整个文件无误才会导入。"
    )

    def run_import(self, upload):
        return population_import.import_population(upload)

    def success_message(self, result):
        created, updated = result
        return _("已导入：新增 %(created)d 个、更新 %(updated)d 个乡镇/街道。") % {
            "created": created,
            "updated": updated,
        }


class GridImportView(ImportView):
    page_title = gettext_lazy("导入人口网格")
    importer = population_grid_import
    explanation = gettext_lazy(
        "每行一个网格单元，经纬度为网格中心点；乡镇/街道须已在人口数据中。"
        "文件中出现的区县，其原有网格整体替换；有网格的区县按网格计算服务半径内人口。"
        "整个文件无误才会导入。"
    )

    def run_import(self, upload):
        return population_grid_import.import_grid(upload)

    def success_message(self, result):
        return _("已导入人口网格：%(districts)s。") % {
            "districts": "、".join(
                _("%(district)s %(count)d 个网格") % {"district": d, "count": n}
                for d, n in sorted(result.items())
            )
        }


urlpatterns = [
    path("", CoverageView.as_view(), name="index"),
    path("export.xlsx", CoverageExportView.as_view(), name="export"),
    path("population/", PopulationImportView.as_view(), name="population"),
    path("grid/", GridImportView.as_view(), name="grid"),
]
