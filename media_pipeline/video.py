"""Video: an HLS ladder, an MP4 fallback, a poster frame and thumbnails — one encode at a time.

Each rung is one ffmpeg process writing HLS segments to the work folder; the segments are then
uploaded and deleted, so memory holds one encoder and the disk one rung (plus the source).
"""

import re
import shutil

from django.utils.translation import gettext as _
from PIL import Image

from . import ffmpeg, profiles
from .errors import ProcessingError
from .ffmpeg import FfmpegError
from .models import RenditionKind

ENCODING_SHARE = 0.9  # of the progress bar; remuxing and stills take the rest
STREAM_INF = re.compile(r"^#EXT-X-STREAM-INF:(.*)$", re.MULTILINE)
ATTRIBUTE = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')
EXTINF = re.compile(r"^#EXTINF:([0-9.]+)", re.MULTILINE)


def scale_filter(short_side):
    """Scale so the picture's short side is `short_side`, keeping the aspect ratio (even sizes).
    Decided on the decoded frame, so it is right for rotated phone videos too."""
    landscape = "gte(iw,ih)"
    return f"scale=w='if({landscape},-2,{short_side})':h='if({landscape},{short_side},-2)'"


def video_filter(rung, frame_rate):
    return f"fps={frame_rate},{scale_filter(rung.short_side)},format={profiles.PIXEL_FORMAT}"


def video_codec_args(rung, frame_rate):
    gop = profiles.keyframe_interval(frame_rate)
    return [
        "-c:v", profiles.VIDEO_ENCODER,
        "-preset", profiles.x264_preset(),
        "-profile:v", rung.h264_profile,
        "-crf", str(rung.crf),
        "-maxrate", f"{rung.maxrate_kbps}k",
        "-bufsize", f"{rung.bufsize_kbps}k",
        "-g", str(gop),
        "-sc_threshold", "0",
        "-force_key_frames", f"expr:gte(t,n_forced*{profiles.KEYFRAME_SECONDS})",
    ]  # fmt: skip


def audio_codec_args(probe):
    if not probe.has_audio:
        return ["-an"]
    return [
        "-c:a", profiles.AUDIO_ENCODER,
        "-b:a", f"{profiles.AUDIO_BITRATE_KBPS}k",
        "-ac", str(profiles.AUDIO_CHANNELS),
    ]  # fmt: skip


def stream_maps(probe):
    maps = ["-map", f"0:{probe.video_stream}"]
    if probe.has_audio:
        maps += ["-map", f"0:{probe.audio_stream}"]
    # Phone videos carry GPS positions and device names: none of that is published.
    return maps + ["-map_metadata", "-1", "-map_chapters", "-1"]


def hls_variant_args(source, probe, rung, frame_rate, folder):
    """ffmpeg arguments encoding one rung to folder/index.m3u8 + folder/seg_NNNNN.ts; ffmpeg
    also writes folder/master.m3u8 naming the variant's bandwidth, resolution and codecs."""
    return [
        "-threads", ffmpeg.threads(), "-i", str(source),
        *stream_maps(probe),
        "-vf", video_filter(rung, frame_rate),
        *video_codec_args(rung, frame_rate),
        *audio_codec_args(probe),
        "-threads", ffmpeg.threads(),
        "-f", "hls",
        "-hls_time", str(profiles.SEGMENT_SECONDS),
        "-hls_playlist_type", "vod",
        "-hls_flags", "independent_segments",
        "-hls_segment_type", "mpegts",
        "-hls_segment_filename", str(folder / "seg_%05d.ts"),
        "-master_pl_name", "master.m3u8",
        str(folder / "index.m3u8"),
    ]  # fmt: skip


def mp4_remux_args(folder, output):
    """The rung's segments as one progressive MP4, index first (no re-encoding)."""
    return [
        "-i", str(folder / "index.m3u8"), "-map", "0", "-c", "copy",
        "-movflags", "+faststart", str(output),
    ]  # fmt: skip


def still_args(source, probe, at_seconds, short_side, output):
    return [
        "-ss", f"{at_seconds:.3f}", "-i", str(source),
        "-map", f"0:{probe.video_stream}", "-map_metadata", "-1",
        "-frames:v", "1", "-vf", scale_filter(short_side),
        "-q:v", str(profiles.JPEG_QUALITY), "-update", "1", str(output),
    ]  # fmt: skip


def encode(args, **progress):
    try:
        ffmpeg.run(args, **progress)
    except FfmpegError as error:
        raise ProcessingError(_("转码失败：%(detail)s") % {"detail": error}) from error


def read_variant(folder):
    """Bandwidth, resolution and codecs (from ffmpeg's one-variant master playlist) and the
    total duration of the variant's segments."""
    master = (folder / "master.m3u8").read_text()
    match = STREAM_INF.search(master)
    attributes = dict(ATTRIBUTE.findall(match.group(1))) if match else {}
    (folder / "master.m3u8").unlink()
    playlist = (folder / "index.m3u8").read_text()
    width, _, height = attributes.get("RESOLUTION", "x").partition("x")
    return {
        "attributes": attributes,
        "width": int(width) if width else None,
        "height": int(height) if height else None,
        "bitrate": int(attributes["BANDWIDTH"]) if "BANDWIDTH" in attributes else None,
        "duration": round(sum(float(value) for value in EXTINF.findall(playlist)), 3),
    }


def master_playlist(variants, frame_rate):
    """The master playlist over the rungs, lowest bandwidth first."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:6", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for name, variant in sorted(variants, key=lambda item: item[1]["bitrate"] or 0):
        attributes = dict(variant["attributes"], **{"FRAME-RATE": f"{float(frame_rate):.3f}"})
        listed = ",".join(f"{key}={value}" for key, value in attributes.items())
        lines += [f"#EXT-X-STREAM-INF:{listed}", f"{name}/index.m3u8"]
    return "\n".join(lines) + "\n"


def check_complete(encoded_seconds, probe):
    if encoded_seconds < probe.duration * profiles.MIN_COVERAGE:
        raise ProcessingError(
            _(
                "文件不完整：只能读出 %(got).1f 秒，而文件标明的时长是 %(expected).1f 秒，可能上传中断或文件被截断。"
            )
            % {"got": encoded_seconds, "expected": probe.duration}
        )


def process_video(run, source, probe):
    """Encode, check and store every rendition of a video; returns the rendition rows' fields."""
    if not probe.has_video:
        raise ProcessingError(_("文件中没有视频画面；如果这是音频文件，请把类型改为“音频”后重试。"))
    if not (probe.duration and probe.width and probe.height):
        raise ProcessingError(_("无法读出视频的时长或画面尺寸，文件可能已损坏。"))
    rungs = profiles.ladder_for(probe.width, probe.height, run.renditions_wanted)
    frame_rate = profiles.output_frame_rate(probe.frame_rate)
    weights = [rung.short_side**2 for rung in rungs]  # encoding time grows with the pixels
    renditions, variants, done = [], [], 0
    for rung, weight in zip(rungs, weights, strict=True):
        start, done = done, done + weight
        folder = run.work_dir / rung.name
        folder.mkdir()
        encode(
            hls_variant_args(source, probe, rung, frame_rate, folder),
            duration=probe.duration,
            on_progress=run.span(
                ENCODING_SHARE * start / sum(weights), ENCODING_SHARE * done / sum(weights)
            ),
        )
        variant = read_variant(folder)
        check_complete(variant["duration"], probe)
        if rung is rungs[-1]:
            renditions.append(_fallback_mp4(run, folder, variant, rung))
        size = run.upload_tree(folder, f"{rung.name}/")
        shutil.rmtree(folder)
        variants.append((rung.name, variant))
        renditions.append(
            _rendition(RenditionKind.HLS_VARIANT, rung.name, run.name(f"{rung.name}/index.m3u8"))
            | {key: variant[key] for key in ("width", "height", "bitrate", "duration")}
            | {"size": size}
        )
    master = run.work_dir / "master.m3u8"
    master.write_text(master_playlist(variants, frame_rate))
    size = run.upload(master, "master.m3u8")
    renditions.append(
        _rendition(RenditionKind.HLS_MASTER, "master", run.name("master.m3u8"), size=size)
        | {"duration": max(variant["duration"] for _, variant in variants)}
    )
    run.progress(ENCODING_SHARE + 0.04)
    renditions += _stills(run, source, probe, rungs[-1])
    return renditions


def _fallback_mp4(run, folder, variant, rung):
    output = run.work_dir / "video.mp4"
    encode(mp4_remux_args(folder, output))
    size = run.upload(output, "video.mp4")
    output.unlink()
    bitrate = round(size * 8 / variant["duration"]) if variant["duration"] else None
    return _rendition(
        RenditionKind.MP4,
        rung.name,
        run.name("video.mp4"),
        width=variant["width"],
        height=variant["height"],
        bitrate=bitrate,
        size=size,
        duration=variant["duration"],
    )


def _stills(run, source, probe, top_rung):
    """The poster (at the top rung's size) and the small thumbnails, as JPEG."""
    wanted = [(RenditionKind.POSTER, "poster", "poster.jpg", profiles.POSTER_AT, top_rung)]
    for number, at in enumerate(profiles.THUMBNAILS_AT, start=1):
        relative = f"thumbnails/{number}.jpg"
        wanted.append((RenditionKind.THUMBNAIL, str(number), relative, at, None))
    renditions = []
    for kind, name, relative, at, rung in wanted:
        output = run.work_dir / relative
        output.parent.mkdir(exist_ok=True)
        short_side = rung.short_side if rung else profiles.THUMBNAIL_SHORT_SIDE
        encode(still_args(source, probe, probe.duration * at, short_side, output))
        if not output.exists() or output.stat().st_size == 0:
            raise ProcessingError(_("无法从视频中截取画面，文件可能已损坏。"))
        with Image.open(output) as image:
            width, height = image.size
        size = run.upload(output, relative)
        renditions.append(
            _rendition(kind, name, run.name(relative), width=width, height=height, size=size)
        )
    return renditions


def _rendition(kind, name, path, **fields):
    return {"kind": kind, "name": name, "path": path, **fields}
