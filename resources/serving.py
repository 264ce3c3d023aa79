"""Serving MediaAsset files: permission first, then a presigned redirect (S3) or a ranged stream.

Django 5.2's FileResponse has no Range support, so single byte ranges (RFC 9110 §14) are handled
here (`ranged_response`, also used by media_pipeline's streaming). Multi-range requests are
answered with the whole file, which the RFC allows.
"""

import os
import re

from django.dispatch import Signal
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from .models import MediaAsset
from .storage import is_s3, presigned_url
from .vocab import AssetKind

# A usage event: sent once per authorised download of an original (action "download", by
# asset_file below: its first request, see starts_transfer) and once per play (action "play":
# an HLS master playlist, or the first request of a progressive MP4/M4A, by
# media_pipeline.streaming), after the response is built.
# Keyword arguments: instance (the MediaAsset), request, action, venue_id (the owner venue's
# pk), at (aware datetime), session (anonymous_session(request)). Receivers run inside the
# request: they must be cheap (queue or buffer the event; no slow writes). The metrics issue
# records usage events by connecting to this signal.
asset_served = Signal()

RANGE_RE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)
FIRST_RANGE_RE = re.compile(r"^\s*bytes\s*=\s*0\s*-\s*(\d*)\s*$", re.IGNORECASE)
CHUNK_SIZE = 64 * 1024
INLINE_KINDS = {AssetKind.IMAGE, AssetKind.AUDIO, AssetKind.VIDEO}


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header, size):
    """(start, end) inclusive for a satisfiable single range; None to ignore the header (absent,
    malformed or multi-range → whole file); RangeNotSatisfiable when no byte can be served."""
    if not header:
        return None
    match = RANGE_RE.match(header)
    if not match:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":  # suffix range: the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - length), size - 1
    start = int(first)
    if last and int(last) < start:
        return None  # invalid range-spec: ignore the header
    if start >= size:
        raise RangeNotSatisfiable
    end = int(last) if last else size - 1
    return start, min(end, size - 1)


class RangedFile:
    """A read-only view of [start, start + length) of an open file, for FileResponse.

    It has no name/tell/seek on purpose, so FileResponse does not compute its own Content-Length.
    """

    def __init__(self, file, start, length):
        self._file = file
        self._remaining = length
        file.seek(start)

    def read(self, size=-1):
        if self._remaining <= 0:
            return b""
        if size is None or size < 0 or size > self._remaining:
            size = self._remaining
        data = self._file.read(size)
        self._remaining -= len(data)
        return data

    def close(self):
        self._file.close()


def _etag(asset):
    return f'"{asset.sha256}"' if asset.sha256 else None


def _if_range_matches(request, etag):
    if_range = request.headers.get("If-Range")
    # Only strong ETag validators are honoured; anything else means "send the whole file".
    return if_range is None or (etag is not None and if_range.strip() == etag)


def download_filename(asset):
    extension = os.path.splitext(asset.file.name)[1]
    return f"{asset.title}{extension}"


def ranged_response(request, storage, name, *, content_type, etag=None):
    """The stored file `name`: 200 whole or 206 with one range; 416 when the range cannot be
    served. Raises FileNotFoundError when the file is missing."""
    size = storage.size(name)
    try:
        byte_range = parse_range(request.headers.get("Range"), size)
    except RangeNotSatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    if byte_range is not None and not _if_range_matches(request, etag):
        byte_range = None

    start, end = byte_range or (0, size - 1)
    length = max(0, end - start + 1)
    handle = storage.open(name, "rb")
    response = FileResponse(
        RangedFile(handle, start, length),
        status=206 if byte_range else 200,
        content_type=content_type,
    )
    response["Content-Length"] = str(length)
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    if etag:
        response["ETag"] = etag
    return response


def stream_file(request, asset):
    """The asset's original, ranged (see ranged_response), as an inline view or a download."""
    field_file = asset.file
    response = ranged_response(
        request,
        field_file.storage,
        field_file.name,
        content_type=asset.content_type or "application/octet-stream",
        etag=_etag(asset),
    )
    if response.status_code == 416:
        return response
    response["Content-Disposition"] = content_disposition_header(
        asset.kind not in INLINE_KINDS, download_filename(asset)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


def anonymous_session(request):
    """Who is using an asset, without saying who: an HMAC (keyed by SECRET_KEY) of the session
    cookie, or, for a visitor without one, of the address and browser on that day. Never
    creates a session."""
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if not key:
        day = timezone.localdate().isoformat()
        meta = request.META
        key = f"{meta.get('REMOTE_ADDR', '')}|{meta.get('HTTP_USER_AGENT', '')}|{day}"
    return salted_hmac("resources.serving.usage", key).hexdigest()[:32]


def starts_transfer(request):
    """A GET that starts reading a file: no Range, or "bytes=0-…" other than a two-byte probe
    ("bytes=0-1", Safari's). Seeks and resumed downloads are the same use, not a new one."""
    if request.method != "GET":
        return False
    header = request.headers.get("Range")
    if not header:
        return True
    first = FIRST_RANGE_RE.match(header)
    return bool(first) and (first.group(1) == "" or int(first.group(1)) > 1)


def send_usage(request, asset, action):
    """Send the asset_served usage event (contract above)."""
    asset_served.send(
        sender=MediaAsset,
        instance=asset,
        request=request,
        action=action,
        venue_id=asset.owner_id,
        at=timezone.now(),
        session=anonymous_session(request),
    )


@require_safe
def asset_file(request, pk):
    # Existence of an asset the user may not see is never revealed: the same 404 as a wrong id.
    asset = MediaAsset.objects.visible_to(request.user).filter(pk=pk).first()
    if asset is None or not asset.file:
        raise Http404

    storage = asset.file.storage
    if is_s3(storage):
        response = HttpResponseRedirect(
            presigned_url(
                storage,
                asset.file.name,
                filename=download_filename(asset),
                content_type=asset.content_type or None,
                inline=asset.kind in INLINE_KINDS,
            )
        )
    else:
        response = stream_file(request, asset)

    # The answer depends on who asks, and a presigned URL must not outlive its expiry in a cache.
    patch_cache_control(response, private=True, no_store=True)
    patch_vary_headers(response, ["Cookie"])
    if response.status_code in (200, 206, 302) and starts_transfer(request):
        send_usage(request, asset, "download")
    return response
