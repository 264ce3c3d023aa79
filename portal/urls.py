from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search.views import search_page

from . import admin_guards
from .api import api_v1
from .api_v2 import api_v2
from .chooser import own_pages_chosen_multiple
from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Wagtail's own view would answer with any page's draft title (see portal/chooser.py).
    path(
        "admin/choose-page/chosen-multiple/",
        own_pages_chosen_multiple,
        name="wagtailadmin_choose_page_chosen_multiple",
    ),
    # Wagtail's views with the permission checks they lack (see portal/admin_guards.py); the
    # routes shadow Wagtail's, so reverse() of Wagtail's names still leads here.
    path(
        "admin/pages/workflow/confirm_cancellation/<int:page_id>/",
        admin_guards.confirm_workflow_cancellation,
        name="guarded_confirm_workflow_cancellation",
    ),
    path(
        "admin/reports/page-types-usage/",
        admin_guards.page_types_usage,
        name="guarded_page_types_usage",
    ),
    path(
        "admin/reports/page-types-usage/results/",
        admin_guards.page_types_usage_results,
        name="guarded_page_types_usage_results",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api_v1.urls),
    path("api/v2/", api_v2.urls),
    path("stream/", include("media_pipeline.stream_urls")),
    path("", include("resources.urls")),
    path("catalogue/", include("resources.catalogue_urls")),
    path("search/", search_page, name="search"),
    path("account/", include("training.account_urls")),
    path("courses/", include("training.urls")),
    path("volunteers/", include("volunteers.urls")),
    path("join/", include("network.admission_views")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
