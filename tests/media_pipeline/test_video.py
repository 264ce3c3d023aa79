"""Video end to end on local storage: the HLS ladder, the MP4 fallback, the stills."""

import re

import av
import pytest

from media_pipeline.models import RenditionKind, Status
from media_pipeline.probe import probe
from media_pipeline.processing import process

from . import media

pytestmark = pytest.mark.django_db


def renditions_by_kind(row):
    found = {}
    for rendition in row.renditions.all():
        found.setdefault(rendition.kind, []).append(rendition)
    return found


def master_variants(text):
    """(attributes, uri) of each variant of a master playlist."""
    lines = text.splitlines()
    variants = []
    for index, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = dict(re.findall(r'([A-Z-]+)=("[^"]*"|[^,]*)', line.split(":", 1)[1]))
            variants.append((attributes, lines[index + 1]))
    return variants


@pytest.fixture
def hd(owner, local_storage, clips):
    asset = media.store(owner, clips["hd"], "video")
    return asset, process(asset)


def test_a_720p_source_gets_the_ladder_an_mp4_a_poster_and_thumbnails(hd, tmp_path):
    asset, row = hd
    assert row.status == Status.READY, row.error
    assert row.progress == 100
    assert (row.width, row.height, row.frame_rate) == (1280, 720, 30.0)
    assert (row.video_codec, row.audio_codec) == ("h264", "aac")
    assert row.duration == pytest.approx(10, abs=0.1)

    kinds = renditions_by_kind(row)
    master = kinds[RenditionKind.HLS_MASTER][0]
    assert master.path.startswith(f"renditions/{asset.pk}/")
    text = media.fetch(master.path, tmp_path).read_text()
    assert "#EXT-X-INDEPENDENT-SEGMENTS" in text
    variants = master_variants(text)
    assert [uri for _, uri in variants] == ["360p/index.m3u8", "720p/index.m3u8"]
    assert [attributes["RESOLUTION"] for attributes, _ in variants] == ["640x360", "1280x720"]
    for attributes, _ in variants:
        codecs = attributes["CODECS"].strip('"').split(",")
        assert codecs[0].startswith("avc1.") and codecs[1] == "mp4a.40.2"
        assert attributes["FRAME-RATE"] == "30.000"
    bandwidths = [int(attributes["BANDWIDTH"]) for attributes, _ in variants]
    assert bandwidths == sorted(bandwidths)

    prefix = master.path.rsplit("/", 1)[0]
    for variant in kinds[RenditionKind.HLS_VARIANT]:
        folder = media.fetch_tree(f"{prefix}/{variant.name}/", tmp_path)
        playlist = (folder / "index.m3u8").read_text()
        assert "#EXT-X-PLAYLIST-TYPE:VOD" in playlist and "#EXT-X-ENDLIST" in playlist
        found = probe(folder / "index.m3u8")
        assert (found.width, found.height) == (variant.width, variant.height)
        assert (found.video_codec, found.audio_codec) == ("h264", "aac")
        assert variant.duration == pytest.approx(10, abs=0.2)
        segments = sorted(folder.glob("seg_*.ts"))
        assert len(segments) == 3  # 4 s + 4 s + 2 s
        assert variant.size == sum(path.stat().st_size for path in folder.iterdir())

    (mp4,) = kinds[RenditionKind.MP4]
    assert mp4.name == "720p"
    local = media.fetch(mp4.path, tmp_path)
    found = probe(local)
    assert (found.width, found.height, found.video_codec, found.audio_codec) == (
        1280,
        720,
        "h264",
        "aac",
    )
    assert found.duration == pytest.approx(10, abs=0.2)
    boxes = media.top_level_boxes(local)
    assert boxes.index("moov") < boxes.index("mdat")  # faststart

    (poster,) = kinds[RenditionKind.POSTER]
    data = media.fetch(poster.path, tmp_path).read_bytes()
    assert media.image_size(data) == ("JPEG", (1280, 720))
    thumbnails = kinds[RenditionKind.THUMBNAIL]
    assert len(thumbnails) == 3
    for thumbnail in thumbnails:
        data = media.fetch(thumbnail.path, tmp_path).read_bytes()
        assert media.image_size(data) == ("JPEG", (320, 180))


def test_segments_are_independent_seekable_and_aligned(hd, tmp_path):
    asset, row = hd
    variant = row.renditions.get(kind=RenditionKind.HLS_VARIANT, name="720p")
    folder = media.fetch_tree(variant.path.rsplit("/", 1)[0] + "/", tmp_path)

    middle = folder / "seg_00001.ts"
    found = probe(middle)
    assert (found.video_codec, found.width, found.height) == ("h264", 1280, 720)
    with av.open(str(middle)) as container:
        first = next(container.decode(video=0))
        assert first.key_frame  # independent segment: it starts with a keyframe

    with av.open(str(folder / "index.m3u8")) as container:
        stream = container.streams.video[0]
        start = float(stream.start_time * stream.time_base) if stream.start_time else 0.0
        container.seek(int((start + 5.5) / stream.time_base), stream=stream)
        frame = next(container.decode(stream))
        assert 3.9 <= frame.time - start <= 5.6

    for variant in row.renditions.filter(kind=RenditionKind.HLS_VARIANT):
        folder = media.fetch_tree(variant.path.rsplit("/", 1)[0] + "/", tmp_path / variant.name)
        times = media.keyframe_times(folder / "index.m3u8")
        gaps = [round(b - a, 2) for a, b in zip(times, times[1:], strict=False)]
        assert gaps and set(gaps) == {2.0}, gaps  # every rung: a keyframe each 2 s, aligned


def test_a_360p_source_is_never_upscaled_and_keeps_its_25_fps(
    owner, local_storage, clips, tmp_path
):
    row = process(media.store(owner, clips["small"], "video"))
    assert row.status == Status.READY, row.error
    kinds = renditions_by_kind(row)
    assert [variant.name for variant in kinds[RenditionKind.HLS_VARIANT]] == ["360p"]
    text = media.fetch(kinds[RenditionKind.HLS_MASTER][0].path, tmp_path).read_text()
    assert [(attributes["RESOLUTION"], uri) for attributes, uri in master_variants(text)] == [
        ("640x360", "360p/index.m3u8")
    ]
    assert "720p" not in text
    (mp4,) = kinds[RenditionKind.MP4]
    found = probe(media.fetch(mp4.path, tmp_path))
    assert (found.width, found.height, found.frame_rate) == (640, 360, 25)
    (poster,) = kinds[RenditionKind.POSTER]
    assert (poster.width, poster.height) == (640, 360)


def test_a_tiny_60_fps_source_gets_one_rung_at_its_own_size_capped_at_30_fps(
    owner, local_storage, clips, tmp_path
):
    row = process(media.store(owner, clips["fast"], "video"))
    assert row.status == Status.READY, row.error
    assert row.frame_rate == 60
    (variant,) = row.renditions.filter(kind=RenditionKind.HLS_VARIANT)
    assert (variant.name, variant.width, variant.height) == ("180p", 320, 180)
    folder = media.fetch_tree(variant.path.rsplit("/", 1)[0] + "/", tmp_path)
    assert probe(folder / "index.m3u8").frame_rate == 30


def test_the_editor_can_keep_fewer_renditions(owner, local_storage, clips, tmp_path):
    asset = media.store(owner, clips["hd"], "video")
    asset.processing.renditions_wanted = ["360p"]
    asset.processing.save()
    row = process(asset)
    assert row.status == Status.READY, row.error
    assert [r.name for r in row.renditions.filter(kind=RenditionKind.HLS_VARIANT)] == ["360p"]
    assert row.renditions.get(kind=RenditionKind.MP4).height == 360
