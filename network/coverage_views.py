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

from .compliance_views import OverseerMixin, UploadForm
from .coverage import build_report
from .coverage_output import export_xlsx, map_data
from .hub_settings import NetworkSettings
from .plan import RESIDENTS_PER_VENUE, Level
from .population_import import HEADERS, OPTIONAL, import_population
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


class PopulationImportView(HubOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "network/coverage/import.html"
    page_title = gettext_lazy("导入乡镇/街道人口")
    header_icon = "upload"
    form_class = UploadForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(headers=HEADERS, optional=OPTIONAL, **kwargs)

    def form_valid(self, form):
        try:
            created, updated = import_population(form.cleaned_data["file"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("已导入：新增 %(created)d 个、更新 %(updated)d 个乡镇/街道。")
            % {"created": created, "updated": updated},
        )
        return redirect("network_coverage:index")


urlpatterns = [
    path("", CoverageView.as_view(), name="index"),
    path("export.xlsx", CoverageExportView.as_view(), name="export"),
    path("population/", PopulationImportView.as_view(), name="population"),
]
