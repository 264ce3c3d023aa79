"""Small media made on the spot with ffmpeg's test sources (the located ffmpeg), and helpers to
look at what the pipeline stored."""

import io
from pathlib import Path

import av
from django.core.files.storage import default_storage
from PIL import Image

from media_pipeline import ffmpeg
from tests.resources.factories import make_asset

CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".mp3": "audio/mpeg",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
}


def make_clip(path, *, seconds, size="640x360", rate=30, audio=True, faststart=False):
    """An H.264/AAC MP4 of a moving test pattern and a sine tone."""
    args = ["-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    args += ["-c:a", "aac", "-shortest"] if audio else []
    args += ["-movflags", "+faststart"] if faststart else []
    ffmpeg.run([*args, str(path)])
    return Path(path)


def make_tone(path, *, seconds):
    ffmpeg.run(
        ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}"]
        + ["-c:a", "libmp3lame", "-b:a", "96k", str(path)]
    )
    return Path(path)


def make_pdf(path, *, pages):
    """A PDF of `pages` A4-ish pages at 72 dpi (595×842 points), drawn with Pillow."""
    sheets = [Image.new("RGB", (595, 842), (255, 255 - 20 * n, 255)) for n in range(pages)]
    sheets[0].save(path, "PDF", save_all=True, append_images=sheets[1:], resolution=72)
    return Path(path)


def make_photo(path, *, size):
    """A JPEG of a gradient, drawn with Pillow."""
    Image.linear_gradient("L").resize(size).convert("RGB").save(path, "JPEG")
    return Path(path)


def store(owner, path, kind, **fields):
    """A MediaAsset whose file is `path`'s bytes (stored in the default storage)."""
    path = Path(path)
    return make_asset(
        owner,
        content=path.read_bytes(),
        filename=path.name,
        kind=kind,
        content_type=CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
        **fields,
    )


def stored_files(prefix="renditions"):
    """Every file name in the default storage under `prefix`, sorted."""
    try:
        folders, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    names = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        names += stored_files(f"{prefix}/{folder}")
    return sorted(names)


def fetch(name, tmp_path):
    """A local copy of a stored file, for probing with PyAV or Pillow."""
    target = Path(tmp_path) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    with default_storage.open(name, "rb") as source:
        target.write_bytes(source.read())
    return target


def fetch_tree(prefix, tmp_path):
    """Local copies of every stored file under `prefix` (an HLS variant with its segments)."""
    for name in stored_files(prefix.rstrip("/")):
        fetch(name, tmp_path)
    return Path(tmp_path) / prefix


def image_size(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


def keyframe_times(path):
    """Presentation times (seconds) of the video keyframes of a file or playlist."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [
            float(packet.pts * packet.time_base)
            for packet in container.demux(stream)
            if packet.is_keyframe and packet.pts is not None
        ]


def top_level_boxes(path):
    """The order of an MP4's top-level boxes (e.g. moov before mdat for faststart)."""
    boxes, data = [], Path(path).read_bytes()
    offset = 0
    while offset + 8 <= len(data):
        size = int.from_bytes(data[offset : offset + 4], "big")
        boxes.append(data[offset + 4 : offset + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[offset + 8 : offset + 16], "big")
        if size < 8:
            break
        offset += size
    return boxes
