"""The project's own API (/api/v1/, django-ninja, described at /api/v1/openapi.json) and
Wagtail's read API for pages, images and documents (/api/v2/)."""

from ninja import NinjaAPI
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from network.api import router as network_router

api_v1 = NinjaAPI(
    title="数字文化馆 API",
    version="1.0.0",
    description="文化馆总分馆制平台的开放接口。",
    urls_namespace="api-v1",
)
api_v1.add_router("/", network_router)

api_v2 = WagtailAPIRouter("wagtailapi")
api_v2.register_endpoint("pages", PagesAPIViewSet)
api_v2.register_endpoint("images", ImagesAPIViewSet)
api_v2.register_endpoint("documents", DocumentsAPIViewSet)
