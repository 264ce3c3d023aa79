"""The project's own API: /api/v1/, django-ninja, described at /api/v1/openapi.json."""

from ninja import NinjaAPI

from network.api import router as network_router

api_v1 = NinjaAPI(
    title="数字文化馆 API",
    version="1.0.0",
    description="文化馆总分馆制平台的开放接口。",
    urls_namespace="api-v1",
)
api_v1.add_router("/", network_router)
