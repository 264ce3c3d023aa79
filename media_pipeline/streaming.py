"""Streaming processed media: /stream/<asset>/<run>/<file> (playlists, segments, MP4/M4A, stills).

Who gets a file: the holder of a valid signed link (playback.signed_query), or a visitor who may
see the asset (the catalogue's visible_to) while <run> holds its current renditions. Anyone else
gets 404, as for a missing asset, or 403 if they came with a bad or expired signature (which
reveals nothing: it is the answer whether the asset exists or not).

How it is served:
- public asset, local disk: every file as stored (ranged, cacheable); the stored playlists'
  relative URIs lead back here;
- public asset, S3: the master as stored; a variant playlist per request, its segments as
  presigned bucket URLs; other files by a redirect to a presigned URL;
- restricted asset: every playlist per request, its URIs signed for a short time (local: links
  to this view; S3: presigned bucket URLs); other files ranged (local) or redirected (S3).

A play (the master playlist, or the first request of an MP4/M4A) sends resources.serving's
asset_served signal with action "play" once the response is ready; nothing is written here.
"""

import hashlib
import posixpath
import re
from dataclasses import dataclass
from functools import partial

from botocore.exceptions import ClientError
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from resources.models import MediaAsset
from resources.serving import ranged_response, send_usage, starts_transfer
from resources.storage import is_s3, presigned_url

from . import playback, playlists, store
from .models import Status

RUN = re.compile(r"^[0-9a-f]{12}$")
RELATIVE = re.compile(r"^(?:[A-Za-z0-9_-]+/)?[A-Za-z0-9_-]+\.(m3u8|ts|mp4|m4a|jpg|png|webp|avif)$")
CONTENT_TYPES = {
    "m3u8": "application/vnd.apple.mpegurl",
    "ts": "video/mp2t",
    "mp4": "video/mp4",
    "m4a": "audio/mp4",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "avif": "image/avif",
}
MASTER = "master.m3u8"
PUBLIC_MAX_AGE = 3600  # seconds shared caches may keep a public asset's files
STORED_PLAYLIST_SECONDS = 3600  # files under a run's prefix never change


@dataclass
class Access:
    name: str  # storage name of the file
    restricted: bool  # links handed out must be signed
    valid_for: float  # seconds a presigned redirect may last
    asset: MediaAsset | None  # loaded when access came from the visitor, not a signature


def _access(request, pk, run, relative):
    """Access to one file, or None for a bad or expired signature; Http404 when the visitor
    may not see the asset (or these are not its current renditions)."""
    name = f"{store.asset_prefix(pk)}{run}/{relative}"
    expiry = playback.signature_expiry(name, request.GET)
    if expiry is not None:
        return Access(name, True, expiry - playback.now(), None)
    # Unsigned, or a signature no longer valid: whoever may see the asset still gets in.
    asset = (
        MediaAsset.objects.visible_to(request.user)
        .filter(
            pk=pk,
            processing__status=Status.READY,
            processing__output_prefix=f"{store.asset_prefix(pk)}{run}/",
        )
        .select_related("owner", "processing")
        .first()
    )
    if asset is None:
        if "signature" in request.GET:
            return None
        raise Http404
    duration = asset.processing.duration or 0
    return Access(name, not playback.is_public(asset), playback.lifetime() + duration, asset)


@require_safe
def rendition_file(request, pk, run, relative):
    match = RELATIVE.match(relative)
    if not (RUN.match(run) and match):
        raise Http404
    access = _access(request, pk, run, relative)
    if access is None:
        return HttpResponseForbidden(_("播放链接已过期或无效，请刷新页面后重试。"))
    storage = store.media_storage()
    content_type = CONTENT_TYPES[match.group(1)]
    try:
        if relative.endswith(".m3u8"):
            response = _playlist(request, access, storage)
        elif is_s3(storage):
            response = HttpResponseRedirect(
                presigned_url(
                    storage,
                    access.name,
                    content_type=content_type,
                    expire=max(1, int(access.valid_for)),
                )
            )
        else:
            response = _ranged(request, access, storage, content_type)
    except FileNotFoundError:
        raise Http404 from None
    _cache_headers(response, access)
    if request.method == "GET" and response.status_code in (200, 206, 302):
        _record_play(request, pk, relative, access)
    return response


def _ranged(request, access, storage, content_type):
    etag = f'"{hashlib.sha256(access.name.encode()).hexdigest()[:32]}"'
    response = ranged_response(request, storage, access.name, content_type=content_type, etag=etag)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _playlist(request, access, storage):
    if not access.restricted and not is_s3(storage):
        return _ranged(request, access, storage, CONTENT_TYPES["m3u8"])  # as stored
    is_master = posixpath.basename(access.name) == MASTER
    text = _stored_text(storage, access.name)
    # A public master's relative URIs lead back here; everything else gets its own links.
    if access.restricted or not is_master:
        uri_for = partial(_variant_uri if is_master else _segment_uri, storage)
        text = playlists.rewrite(text, access.name, uri_for)
    return HttpResponse(text, content_type=CONTENT_TYPES["m3u8"])


def _variant_uri(storage, name, start):
    return playback.stream_url(name, signed_for=playback.lifetime())


def _segment_uri(storage, name, start):
    """A segment's link, valid until the lifetime after the segment is due to play."""
    seconds = playback.lifetime() + int(start)
    if is_s3(storage):
        return presigned_url(storage, name, content_type=CONTENT_TYPES["ts"], expire=seconds)
    return playback.stream_url(name, signed_for=seconds)


def _stored_text(storage, name):
    def read():
        try:
            with storage.open(name, "rb") as handle:
                return handle.read().decode("utf-8")
        except ClientError as error:  # S3: a run deleted since the link was signed
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                raise FileNotFoundError(name) from error
            raise

    return cache.get_or_set(f"media-playlist:{name}", read, STORED_PLAYLIST_SECONDS)


def _cache_headers(response, access):
    if not access.restricted and response.streaming:  # a public file, as stored
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return
    # Generated playlists and redirects carry links that must not outlive their expiry in a
    # cache; a restricted asset's files must not reach another visitor.
    patch_cache_control(response, private=True, no_store=True)
    if access.asset is not None and access.restricted:
        patch_vary_headers(response, ["Cookie"])


def _record_play(request, pk, relative, access):
    """A play: the master playlist, or the first request of an MP4/M4A."""
    progressive = relative.endswith((".mp4", ".m4a"))
    if relative != MASTER and not (progressive and starts_transfer(request)):
        return
    asset = access.asset or MediaAsset.objects.filter(pk=pk).first()
    if asset is not None:
        send_usage(request, asset, "play")
