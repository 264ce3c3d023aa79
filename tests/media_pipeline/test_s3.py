"""The S3 path over HTTP against moto's server: renditions land in the bucket next to the
original, with types players accept, and a deleted asset leaves no object behind."""

from functools import partial

import pytest

from media_pipeline import video
from media_pipeline.errors import ProcessingError
from media_pipeline.models import RenditionKind, Status
from media_pipeline.probe import probe
from media_pipeline.processing import process

from . import media

pytestmark = pytest.mark.django_db


def stored_type(bucket, key):
    head = bucket.endpoint.client.head_object(Bucket=bucket.name, Key=key)
    return head["ContentType"]


def test_renditions_in_the_bucket_and_none_left_after_deleting_the_asset(
    owner, s3_storage, clips, tmp_path, django_capture_on_commit_callbacks
):
    asset = media.store(owner, clips["small"], "video")
    row = process(asset)
    assert row.status == Status.READY, row.error

    keys = s3_storage.object_keys()
    renditions = [key for key in keys if key != asset.file.name]
    assert renditions and all(key.startswith(row.output_prefix) for key in renditions)
    assert set(row.renditions.values_list("path", flat=True)) <= set(keys)
    assert f"{row.output_prefix}360p/seg_00000.ts" in keys

    master = row.renditions.get(kind=RenditionKind.HLS_MASTER)
    assert s3_storage.get(master.path).decode().count("#EXT-X-STREAM-INF") == 1
    content_type = partial(stored_type, s3_storage)
    assert content_type(master.path) == "application/vnd.apple.mpegurl"
    assert content_type(f"{row.output_prefix}360p/seg_00000.ts") == "video/mp2t"
    assert content_type(row.renditions.get(kind=RenditionKind.MP4).path) == "video/mp4"

    mp4 = tmp_path / "video.mp4"
    mp4.write_bytes(s3_storage.get(row.renditions.get(kind=RenditionKind.MP4).path))
    assert (probe(mp4).width, probe(mp4).height) == (640, 360)

    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert s3_storage.object_keys() == []


def test_a_failure_after_uploads_leaves_only_the_original_in_the_bucket(
    owner, s3_storage, clips, monkeypatch
):
    def broken_stills(run, *args):
        assert len(s3_storage.object_keys()) > 1  # the rung and the MP4 are uploaded
        raise ProcessingError("无法从视频中截取画面，文件可能已损坏。")

    monkeypatch.setattr(video, "_stills", broken_stills)
    asset = media.store(owner, clips["small"], "video")
    row = process(asset)
    assert row.status == Status.FAILED
    assert s3_storage.object_keys() == [asset.file.name]
