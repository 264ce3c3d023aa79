"""Encoding settings of the media pipeline, in one place.

Video becomes an HLS ladder of H.264/AAC renditions plus one progressive MP4:

- Rungs are named by the picture's short side (the height of a landscape video, the width of a
  portrait one), so phone videos filmed upright get the same quality as landscape ones.
- Never upscaled: a source gets the rungs whose size is at most its own short side. A source
  smaller than the lowest rung gets one rung at its own size (with the lowest rung's settings).
  So a 480p or 576p source gets 360p only: the next rung would be an upscale.
- An editor may keep fewer rungs (AssetProcessing.renditions_wanted); if none of the chosen
  rungs fit the source, the largest one that fits is made instead.
- Quality is constant (CRF) but peaks are capped (maxrate, with a VBV buffer of twice that),
  so simple pictures cost little and busy ones never exceed what a slow line can stream.
- A keyframe every KEYFRAME_SECONDS, forced by time and never at scene cuts, and the frame rate
  made constant: every rung then has its keyframes, and so its segment boundaries, at the same
  instants, and a player can switch rungs at any segment.
- The source's frame rate is kept when it is at most MAX_FRAME_RATE, else capped to it.
- The MP4 fallback is the highest rung made, remuxed from its segments (no second encode),
  with the index at the front ("faststart") so it plays while downloading.

Images become WebP renditions, and AVIF ones where Pillow can write AVIF, at a few widths:
never upscaled, so an image narrower than the smallest width gets one rendition at its own
width. Their quality is Wagtail's (WAGTAILIMAGES_WEBP_QUALITY, WAGTAILIMAGES_AVIF_QUALITY).

The x264 speed preset is a deployment choice (CPU budget), settings.MEDIA_X264_PRESET.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from PIL import features


@dataclass(frozen=True)
class Rung:
    name: str  # e.g. "720p"; also the rendition's folder name
    short_side: int  # pixels
    maxrate_kbps: int  # peak video bit rate
    crf: int  # x264 constant quality, lower is better
    h264_profile: str

    @property
    def bufsize_kbps(self):
        return 2 * self.maxrate_kbps


LADDER = (
    Rung("360p", 360, maxrate_kbps=500, crf=23, h264_profile="main"),
    Rung("720p", 720, maxrate_kbps=2500, crf=23, h264_profile="high"),
    Rung("1080p", 1080, maxrate_kbps=4500, crf=23, h264_profile="high"),
)
RUNG_NAMES = tuple(rung.name for rung in LADDER)

VIDEO_ENCODER = "libx264"
PIXEL_FORMAT = "yuv420p"  # 8-bit 4:2:0: what every phone decodes in hardware
KEYFRAME_SECONDS = 2
MAX_FRAME_RATE = 30
SEGMENT_SECONDS = 4  # HLS segments (VOD playlists, MPEG-TS, independent segments)

AUDIO_ENCODER = "aac"
AUDIO_BITRATE_KBPS = 128
AUDIO_CHANNELS = 2  # surround sources are downmixed; phones play stereo

POSTER_AT = 0.10  # fraction of the duration
THUMBNAILS_AT = (0.25, 0.50, 0.75)
THUMBNAIL_SHORT_SIDE = 180
JPEG_QUALITY = 3  # ffmpeg's mjpeg scale, 2 (best) to 31

WAVEFORM_SIZE = (1200, 240)  # pixels
WAVEFORM_COLOUR = "#3b6ea5"
# showwavespic holds the whole track in memory until it draws: decimating to 4 kHz mono
# 16-bit first bounds that to about 29 MB per hour of audio.
WAVEFORM_SAMPLE_RATE = 4000

PDF_PREVIEW_LONG_SIDE = 1200  # pixels of the first-page preview's longer side

IMAGE_WIDTHS = (480, 960, 1600)  # pixels: phone, tablet or narrow column, full-width page
IMAGE_FORMATS = ("webp", "avif")  # Wagtail's format-* names, also Pillow's feature names

# A rendition must cover this share of the probed duration, or the source is incomplete
# (a truncated upload whose header still claims the full length).
MIN_COVERAGE = 0.9


def x264_preset():
    return settings.MEDIA_X264_PRESET


def even(value):
    return max(2, int(value) - int(value) % 2)


def ladder_for(width, height, wanted=()):
    """The rungs to make for a source of width×height, limited to `wanted` names if given."""
    short_side = min(width, height)
    fitting = [rung for rung in LADDER if rung.short_side <= short_side]
    if not fitting:
        lowest = LADDER[0]
        size = even(short_side)
        return [Rung(f"{size}p", size, lowest.maxrate_kbps, lowest.crf, lowest.h264_profile)]
    if not wanted:
        return fitting
    chosen = [rung for rung in fitting if rung.name in wanted]
    return chosen or fitting[-1:]


def image_widths_for(width):
    """The rendition widths of an image `width` pixels wide (never wider than it)."""
    return [size for size in IMAGE_WIDTHS if size <= width] or [width]


def image_formats():
    """The image formats this Pillow can write (AVIF needs a Pillow built with libavif)."""
    return [name for name in IMAGE_FORMATS if features.check(name)]


def output_frame_rate(source_rate):
    """The source's frame rate, capped at MAX_FRAME_RATE (also when the source's is unknown)."""
    cap = Fraction(MAX_FRAME_RATE)
    if not source_rate or source_rate > cap:
        return cap
    return source_rate


def keyframe_interval(frame_rate):
    """Frames between keyframes: KEYFRAME_SECONDS at the output frame rate."""
    return max(1, round(frame_rate * KEYFRAME_SECONDS))
