"""What a media file contains: ffprobe when the system has it, else PyAV — the same answer.

Both read the same libavformat fields (the container's duration and bit rate, the first real
video and audio streams), so results agree whichever is used. Cover art in audio files
(an "attached picture" video stream) is not video.
"""

import json
import subprocess  # nosec B404: runs ffprobe only, argument lists and no shell
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from .errors import ProcessingError
from .ffmpeg import ffprobe_binary

PROBE_TIMEOUT = 120  # seconds; a probe reads headers only, a hang means a hostile file


@dataclass(frozen=True)
class ProbeResult:
    duration: float | None = None  # seconds
    bitrate: int | None = None  # bit/s of the whole file
    width: int | None = None
    height: int | None = None
    frame_rate: Fraction | None = None  # average frames per second
    video_codec: str = ""
    audio_codec: str = ""
    video_stream: int | None = None  # stream index in the file, for ffmpeg's -map
    audio_stream: int | None = None

    @property
    def has_video(self):
        return self.video_stream is not None

    @property
    def has_audio(self):
        return self.audio_stream is not None


def unreadable():
    return ProcessingError(
        _("无法识别的媒体文件：文件可能已损坏、不完整（被截断），或者根本不是音视频文件。")
    )


def probe(path):
    """ProbeResult of a local file; ProcessingError (in Chinese) when it is not media."""
    result = _with_ffprobe(path) if ffprobe_binary() else _with_pyav(path)
    if not result.has_video and not result.has_audio:
        raise ProcessingError(_("文件中没有可用的音频或视频内容。"))
    return result


def _seconds(value):
    try:
        seconds = round(float(value), 3)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _rate(*candidates):
    for value in candidates:
        try:
            rate = Fraction(str(value)) if value is not None else None
        except (ValueError, ZeroDivisionError):
            continue
        if rate:
            return rate
    return None


def _with_ffprobe(path):
    command = [ffprobe_binary(), "-v", "error", "-print_format", "json"]
    command += ["-show_format", "-show_streams", str(path)]
    try:
        completed = subprocess.run(  # nosec B603: argument list (no shell); the binary is ffprobe_binary()
            command, capture_output=True, timeout=PROBE_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise unreadable() from exc
    if completed.returncode != 0:
        raise unreadable()
    try:
        data = json.loads(completed.stdout)
    except ValueError as exc:
        raise unreadable() from exc
    return from_ffprobe_json(data)


def from_ffprobe_json(data):
    """ProbeResult from ffprobe's `-show_format -show_streams` JSON."""
    container = data.get("format") or {}
    fields = {
        "duration": _seconds(container.get("duration")),
        "bitrate": _positive_int(container.get("bit_rate")),
    }
    for stream in data.get("streams", []):
        kind = stream.get("codec_type")
        if kind == "video" and "video_stream" not in fields:
            if (stream.get("disposition") or {}).get("attached_pic"):
                continue
            fields.update(
                video_stream=stream["index"],
                video_codec=stream.get("codec_name", ""),
                width=_positive_int(stream.get("width")),
                height=_positive_int(stream.get("height")),
                frame_rate=_rate(stream.get("avg_frame_rate"), stream.get("r_frame_rate")),
            )
        elif kind == "audio" and "audio_stream" not in fields:
            fields.update(audio_stream=stream["index"], audio_codec=stream.get("codec_name", ""))
    return ProbeResult(**fields)


def _with_pyav(path):
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            return _from_container(container)
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise unreadable() from exc


def _from_container(container):
    import av

    duration = container.duration / av.time_base if container.duration else None
    fields = {"duration": _seconds(duration), "bitrate": _positive_int(container.bit_rate)}
    for stream in container.streams:
        context = stream.codec_context
        codec = context.codec.canonical_name if context is not None else ""
        if stream.type == "video" and "video_stream" not in fields:
            if stream.disposition & av.stream.Disposition.attached_pic:
                continue
            fields.update(
                video_stream=stream.index,
                video_codec=codec,
                width=_positive_int(context.width if context is not None else None),
                height=_positive_int(context.height if context is not None else None),
                frame_rate=_rate(stream.average_rate, stream.base_rate),
            )
        elif stream.type == "audio" and "audio_stream" not in fields:
            fields.update(audio_stream=stream.index, audio_codec=codec)
    return ProbeResult(**fields)
