"""When the media store (S3) cannot be reached: recognising it, answering 503 in Chinese, and
putting background work back for later instead of failing it for good (docs/operations.md,
"Faults").

botocore gives up within settings.S3_CLIENT_CONFIG's timeouts; what it raises then is a
connection or timeout error, or a 5xx ClientError once its retries are used up.
"""

import logging
from datetime import timedelta

from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

# Background work sent back because the store was unreachable runs again after this long
# (when the task backend can defer; otherwise the periodic resume/cleanup commands requeue it).
RETRY_DELAY = timedelta(minutes=1)
RETRY_AFTER_SECONDS = 60  # what a 503 tells the client


class StorageUnavailable(OSError):
    """The store did not answer; an OSError, so code that expects unreadable files (Wagtail's
    image tag shows its "not found" placeholder) treats it as one."""


def is_storage_unavailable(exc):
    """True if `exc`, or an exception it was raised from, says the store is unreachable."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, StorageUnavailable | BotoConnectionError | HTTPClientError):
            return True
        if isinstance(exc, ClientError):
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
            if status >= 500:
                return True
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return False


class MediaS3Storage(S3Storage):
    """django-storages' S3 backend whose reads raise StorageUnavailable (an OSError) when the
    store is unreachable, so a public page whose image cannot be fetched still renders."""

    def _open(self, name, mode="rb"):
        try:
            return super()._open(name, mode)
        except Exception as exc:
            if is_storage_unavailable(exc):
                raise StorageUnavailable(unavailable_message()) from exc
            raise


def unavailable_message():
    return _("媒体存储服务暂时无法连接，文件没有保存，请稍后重试。")


class StorageUnavailableMiddleware:
    """A request that failed because the store is unreachable answers 503 with a Chinese
    message (JSON for the API and the admin's upload scripts) instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_storage_unavailable(exception):
            return None
        logger.warning(
            "media storage unreachable during %s %s: %r", request.method, request.path, exception
        )
        message = unavailable_message()
        wants_json = request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")
        if wants_json or request.headers.get("X-Requested-With") == "XMLHttpRequest":
            response = JsonResponse(
                {"detail": message, "success": False, "error_message": message}, status=503
            )
        else:
            response = HttpResponse(
                f'<!doctype html><html lang="zh-hans"><meta charset="utf-8">'
                f"<title>{escape(_('服务暂时不可用'))}</title><p>{escape(message)}</p></html>",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def enqueue_later(task, *args):
    """Run `task` again after RETRY_DELAY where the task backend can defer (the database
    worker); elsewhere leave it to the periodic requeue. True if enqueued."""
    if not task.get_backend().supports_defer:
        return False
    task.using(run_after=timezone.now() + RETRY_DELAY).enqueue(*args)
    return True
