"""Audio: an AAC rendition in MP4 (.m4a, plays everywhere with seeking) and a waveform image."""

from django.utils.translation import gettext as _
from PIL import Image

from . import ffmpeg, profiles
from .errors import ProcessingError
from .models import RenditionKind
from .probe import probe as probe_file
from .video import encode

ENCODING_SHARE = 0.8


def m4a_args(source, probe, output):
    return [
        "-threads", ffmpeg.threads(), "-i", str(source),
        "-map", f"0:{probe.audio_stream}", "-vn", "-map_metadata", "-1",
        "-c:a", profiles.AUDIO_ENCODER,
        "-b:a", f"{profiles.AUDIO_BITRATE_KBPS}k",
        "-ac", str(profiles.AUDIO_CHANNELS),
        "-movflags", "+faststart", str(output),
    ]  # fmt: skip


def waveform_args(source, probe, output):
    width, height = profiles.WAVEFORM_SIZE
    graph = (
        f"[0:{probe.audio_stream}]aresample={profiles.WAVEFORM_SAMPLE_RATE},"
        "aformat=sample_fmts=s16:channel_layouts=mono,"
        f"showwavespic=s={width}x{height}:colors={profiles.WAVEFORM_COLOUR}[wave]"
    )
    return [
        "-i", str(source), "-filter_complex", graph, "-map", "[wave]",
        "-frames:v", "1", "-update", "1", str(output),
    ]  # fmt: skip


def process_audio(run, source, probe):
    if not probe.has_audio:
        raise ProcessingError(_("文件中没有音频内容。"))
    output = run.work_dir / "audio.m4a"
    encode(
        m4a_args(source, probe, output),
        duration=probe.duration,
        on_progress=run.span(0, ENCODING_SHARE),
    )
    # The encoded length is the true one (a VBR MP3's header may only estimate it).
    encoded = probe_file(output)
    if not encoded.duration:
        raise ProcessingError(_("音频文件中没有可播放的内容，文件可能已损坏。"))
    run.save_metadata(duration=encoded.duration)
    size = run.upload(output, "audio.m4a")
    renditions = [
        {
            "kind": RenditionKind.AUDIO,
            "name": "aac",
            "path": run.name("audio.m4a"),
            "bitrate": encoded.bitrate,
            "size": size,
            "duration": encoded.duration,
        }
    ]
    run.progress(ENCODING_SHARE)
    picture = run.work_dir / "waveform.png"
    encode(waveform_args(source, probe, picture))
    with Image.open(picture) as image:
        width, height = image.size
    size = run.upload(picture, "waveform.png")
    renditions.append(
        {
            "kind": RenditionKind.WAVEFORM,
            "name": "waveform",
            "path": run.name("waveform.png"),
            "width": width,
            "height": height,
            "size": size,
        }
    )
    return renditions
