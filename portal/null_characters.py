"""A NUL character (%00) in a URL's path or query is refused with a 400 before any view runs:
PostgreSQL cannot hold it in text, so every filter or lookup it reached was an error 500.
(Django's form fields already refuse it in posted data: ProhibitNullCharactersValidator.)"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


def _has_null(request):
    return "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
    )


class RefuseNullCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _has_null(request):
            return self.get_response(request)
        message = _("网址中含有无效的空字符（%00）。")
        if request.path.startswith("/api/"):
            # Each API's own error shape: ours says `detail`, Wagtail's (/api/v2/) `message`.
            key = "message" if request.path.startswith("/api/v2/") else "detail"
            return JsonResponse(
                {key: message}, status=400, json_dumps_params={"ensure_ascii": False}
            )
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
