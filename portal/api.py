"""The project's own API: /api/v1/, django-ninja, described at /api/v1/openapi.json."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from media_pipeline.api import router as assets_router
from media_pipeline.upload_api import router as upload_router
from network.api import router as network_router
from search.api import router as search_router
from training.api import router as training_router
from training.api_auth import router as auth_router

api_v1 = NinjaAPI(
    title="数字文化馆 API",
    version="1.0.0",
    description="文化馆总分馆制平台的开放接口。",
    urls_namespace="api-v1",
)
api_v1.add_router("/", network_router)
api_v1.add_router("/", search_router)
api_v1.add_router("/", assets_router)
api_v1.add_router("/", upload_router)
api_v1.add_router("/", auth_router)
api_v1.add_router("/", training_router)


@api_v1.exception_handler(ValidationError)
def validation_error(request, exc):
    """Parameters of the wrong type: name them in Chinese instead of pydantic's English."""
    fields = sorted({str(error["loc"][-1]) for error in exc.errors if error.get("loc")})
    detail = _("参数格式不正确：%(fields)s。") % {"fields": "、".join(fields) or _("请求内容")}
    return api_v1.create_response(request, {"detail": detail}, status=422)
