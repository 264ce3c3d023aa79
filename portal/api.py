"""The project's own API: /api/v1/, django-ninja, described at /api/v1/openapi.json."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from media_pipeline.api import router as assets_router
from media_pipeline.upload_api import router as upload_router
from network.api import router as network_router
from search.api import router as search_router
from training.api import router as training_router
from training.api_auth import router as auth_router
from volunteers.api import router as volunteers_router

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
api_v1.add_router("/", volunteers_router)


@api_v1.exception_handler(ValidationError)
def validation_error(request, exc):
    """Parameters of the wrong type: name them in Chinese instead of pydantic's English. The
    per-field `errors` are those a form's 422 documents (training.api_auth.FormErrorOut)."""
    fields = sorted({str(error["loc"][-1]) for error in exc.errors if error.get("loc")})
    detail = _("参数格式不正确：%(fields)s。") % {"fields": "、".join(fields) or _("请求内容")}
    errors = {field: [_("缺少此项或格式不正确。")] for field in fields}
    return api_v1.create_response(request, {"detail": detail, "errors": errors}, status=422)


# django-ninja's own messages, raised before our code runs (authentication, body parsing,
# throttling), in the API's language.
NINJA_MESSAGES = {
    "Unauthorized": lambda: _("请先登录。"),
    "Forbidden": lambda: _("没有权限执行此操作。"),
    "Cannot parse request body": lambda: _("请求内容不是有效的 JSON。"),
    "Too many requests.": lambda: _("请求过于频繁，请稍后再试。"),
}


@api_v1.exception_handler(HttpError)
def http_error(request, exc):
    message = str(exc)
    for english, chinese in NINJA_MESSAGES.items():
        if message.startswith(english):
            message = chinese()
            break
    return api_v1.create_response(request, {"detail": message}, status=exc.status_code)


@api_v1.exception_handler(Http404)
def not_found(request, exc):
    return api_v1.create_response(request, {"detail": _("找不到该资源。")}, status=404)
