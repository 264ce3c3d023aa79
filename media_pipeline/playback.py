"""Playback links of processed media, for the asset page, the API and the streaming views.

Every rendition is reached through one URL scheme, /stream/<asset>/<run>/<file> (the run is the
random folder of the current renditions, so a URL always names the same bytes). A public asset's
links are plain. A restricted asset's links (owner venue only, staff only, or a venue not in the
public network) carry an expiry and an HMAC signature: the link works until MEDIA_STREAM_URL_SECONDS
after the moment its part of the media is due to play (the start of a segment, the end of an MP4),
so a long film plays to its end while a copied link soon stops working.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.signing import Signer
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import urlencode

from network.plan import PUBLIC_STATUSES
from resources.vocab import Visibility

from .models import AssetProcessing, RenditionKind, Status
from .signals import PROCESSED_KINDS

SALT = "media_pipeline.stream"
# Renditions played from start to end: their links must last through the whole media.
TIMED_KINDS = {RenditionKind.MP4, RenditionKind.AUDIO}


def now():
    """Seconds since the epoch (a function, so tests can move the clock)."""
    return time.time()


def lifetime():
    return settings.MEDIA_STREAM_URL_SECONDS


def is_public(asset):
    """Anyone may see the asset (the catalogue's public(): public entry of a public venue)."""
    return asset.visibility == Visibility.PUBLIC and asset.owner.status in PUBLIC_STATUSES


# --- signatures ------------------------------------------------------------------------------


def _signature(name, expires):
    return Signer(salt=SALT).signature(f"{name}|{expires}")


def signed_query(name, valid_for):
    """Query string granting access to the stored file `name` for `valid_for` seconds."""
    expires = int(now() + valid_for) + 1
    return urlencode({"expires": expires, "signature": _signature(name, expires)})


def signature_expiry(name, query):
    """The expiry (epoch seconds) of a valid, unexpired signature in `query`, else None."""
    expires, signature = query.get("expires", ""), query.get("signature", "")
    if not (expires.isdigit() and signature):
        return None
    if not constant_time_compare(signature, _signature(name, int(expires))):
        return None
    return int(expires) if int(expires) > now() else None


# --- URLs ------------------------------------------------------------------------------------


def split_name(name):
    """(asset pk, run, relative path) of a rendition's storage name
    renditions/<pk>/<run>/<relative>."""
    _root, pk, run, relative = name.split("/", 3)
    return int(pk), run, relative


def stream_url(name, signed_for=None):
    """The site-relative URL of a stored rendition, signed for `signed_for` seconds if given."""
    pk, run, relative = split_name(name)
    url = reverse("media_stream:file", kwargs={"pk": pk, "run": run, "relative": relative})
    return f"{url}?{signed_query(name, signed_for)}" if signed_for is not None else url


def link(rendition, restricted, duration=None):
    """A rendition's URL; signed when restricted (through the media's end for MP4/M4A)."""
    if not restricted:
        return stream_url(rendition.path)
    extra = (rendition.duration or duration or 0) if rendition.kind in TIMED_KINDS else 0
    return stream_url(rendition.path, signed_for=lifetime() + extra)


# --- what a page or the API shows ------------------------------------------------------------


@dataclass
class Playback:
    status: str
    status_label: str
    progress: int = 0
    error: str = ""
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    page_count: int | None = None
    hls: str | None = None
    mp4: str | None = None
    audio: str | None = None
    poster: str | None = None
    waveform: str | None = None
    pdf_preview: str | None = None
    thumbnails: list = field(default_factory=list)
    signed: bool = False
    expires_in: int | None = None

    @property
    def ready(self):
        return self.status == Status.READY

    @property
    def shown(self):
        """Something for the page: a player or preview, or the state of processing."""
        return not self.ready or any((self.hls, self.mp4, self.audio, self.pdf_preview))


SINGLE_LINKS = {
    RenditionKind.HLS_MASTER: "hls",
    RenditionKind.MP4: "mp4",
    RenditionKind.AUDIO: "audio",
    RenditionKind.POSTER: "poster",
    RenditionKind.WAVEFORM: "waveform",
    RenditionKind.PDF_PREVIEW: "pdf_preview",
}


def processing_of(asset):
    try:
        return asset.processing
    except AssetProcessing.DoesNotExist:
        return None


def playback_for(asset):
    """Status, metadata and playback links of an asset the caller may see."""
    row = processing_of(asset)
    if row is None:
        # Images are not processed (Wagtail renders them); other kinds wait for their run.
        status = Status.PENDING if asset.kind in PROCESSED_KINDS else Status.READY
        return Playback(status=status, status_label=str(Status(status).label))
    result = Playback(
        status=row.status,
        status_label=row.get_status_display(),
        progress=row.progress,
        error=row.error if row.status == Status.FAILED else "",
        duration=row.duration,
        width=row.width,
        height=row.height,
        page_count=row.page_count,
    )
    if row.status != Status.READY:
        return result
    restricted = not is_public(asset)
    for rendition in row.renditions.all():
        url = link(rendition, restricted, row.duration)
        if rendition.kind == RenditionKind.THUMBNAIL:
            result.thumbnails.append(url)
        elif rendition.kind in SINGLE_LINKS:
            setattr(result, SINGLE_LINKS[rendition.kind], url)
    if restricted:
        result.signed, result.expires_in = True, lifetime()
    return result
