"""Queueing, re-running, resuming and cleaning up: processing follows the assets."""

from datetime import timedelta
from functools import partial
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from media_pipeline import processing, store
from media_pipeline.models import AssetProcessing, AssetRendition, Status
from media_pipeline.processing import process
from media_pipeline.tasks import process_asset, queue_processing, resume_stale

from . import media

pytestmark = pytest.mark.django_db


def processing_enqueued(callbacks):
    """The asset ids whose processing a list of on-commit callbacks would enqueue."""
    return [
        callback.args[0]
        for callback in callbacks
        if isinstance(callback, partial) and callback.func == process_asset.enqueue
    ]


def relative_files(row):
    """The stored files of the current renditions, relative to the run's prefix."""
    prefix = row.output_prefix
    return sorted(name.removeprefix(prefix) for name in media.stored_files(prefix.rstrip("/")))


def test_reprocessing_replaces_the_renditions_cleanly(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    asset = media.store(owner, clips["small"], "video")
    first = process(asset)
    first_files = relative_files(first)
    first_prefix = first.output_prefix
    assert "master.m3u8" in first_files and "360p/seg_00000.ts" in first_files
    with django_capture_on_commit_callbacks(execute=True):
        second = process(asset)
    assert second.status == Status.READY
    assert second.output_prefix != first_prefix
    assert relative_files(second) == first_files
    assert media.stored_files() == [second.output_prefix + name for name in first_files]
    assert AssetRendition.objects.filter(processing=second).count() == 7
    assert not (local_storage / first_prefix).exists()


def test_progress_climbs_to_100(owner, local_storage, clips, monkeypatch):
    monkeypatch.setattr(processing, "PROGRESS_INTERVAL", 0)
    seen = []
    real_write = processing.Run._write

    def remember(run, **fields):
        if "progress" in fields:
            seen.append(fields["progress"])
        real_write(run, **fields)

    monkeypatch.setattr(processing.Run, "_write", remember)
    row = process(media.store(owner, clips["hd"], "video"))
    assert row.progress == 100
    # Every stage reports at least once; how many more lines ffmpeg's -progress writes in
    # between depends on the machine's speed, so only the climb is asserted.
    assert seen == sorted(seen) and len(set(seen)) >= 4
    assert any(10 < value < 90 for value in seen)


def test_a_new_asset_is_queued_and_processed_after_commit(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        asset = media.store(owner, clips["tone"], "audio")
        assert asset.processing.status == Status.PENDING
    asset.processing.refresh_from_db()
    assert asset.processing.status == Status.READY
    assert asset.processing.attempts == 1


def test_only_a_changed_file_requeues(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    asset = media.store(owner, clips["tone"], "audio")
    row = process(asset)
    old_prefix = row.output_prefix

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        asset.title = "新标题"
        asset.save()
    assert processing_enqueued(callbacks) == []
    row.refresh_from_db()
    assert row.status == Status.READY and row.output_prefix == old_prefix

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        asset.file.save("again.mp3", ContentFile(clips["tone"].read_bytes()))
    assert processing_enqueued(callbacks) == [asset.pk]
    row.refresh_from_db()
    assert row.status == Status.READY
    assert row.source_name == asset.file.name
    assert row.output_prefix != old_prefix
    assert not media.stored_files(old_prefix.rstrip("/"))


def test_images_are_queued_like_other_media(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        asset = media.store(owner, clips["photo"], "image")
    assert processing_enqueued(callbacks) == [asset.pk]
    row = AssetProcessing.objects.get(asset=asset)
    assert row.status == Status.READY
    assert row.renditions.count() == 4  # WebP and AVIF, 480 and 960 wide


def test_a_task_for_an_asset_no_longer_waiting_does_nothing(owner, local_storage, clips):
    asset = media.store(owner, clips["tone"], "audio")
    row = process(asset)
    assert processing.process(asset, only_if_pending=True) is None
    assert AssetProcessing.objects.get(pk=row.pk).attempts == row.attempts


def stale_run(asset, minutes_ago, attempts=1):
    """A row as a worker leaves it when killed mid-run: 处理中, heartbeat stopped, and part
    of its output uploaded."""
    prefix = store.new_work_prefix(asset.pk)
    default_storage.save(f"{prefix}360p/seg_00000.ts", ContentFile(b"half"))
    AssetProcessing.objects.filter(asset=asset).update(
        status=Status.PROCESSING,
        progress=40,
        attempts=attempts,
        work_prefix=prefix,
        heartbeat_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return prefix


def test_a_run_left_half_done_is_resumed(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    stale = media.store(owner, clips["small"], "video")
    abandoned = stale_run(stale, minutes_ago=30)
    alive = media.store(owner, clips["tone"], "audio")
    stale_run(alive, minutes_ago=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stale(timedelta(minutes=10)) == [stale.pk]
    row = AssetProcessing.objects.get(asset=stale)
    assert row.status == Status.READY, row.error
    assert row.attempts == 2
    assert not media.stored_files(abandoned.rstrip("/"))  # the dead run's files are gone
    assert AssetProcessing.objects.get(asset=alive).status == Status.PROCESSING


def test_a_run_that_keeps_dying_is_failed(
    owner, local_storage, clips, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_PROCESSING_MAX_ATTEMPTS = 3
    asset = media.store(owner, clips["small"], "video")
    stale_run(asset, minutes_ago=30, attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stale(timedelta(minutes=10)) == []
    row = AssetProcessing.objects.get(asset=asset)
    assert row.status == Status.FAILED
    assert "处理已中断 3 次" in row.error
    assert media.stored_files() == []


def test_a_run_whose_file_is_replaced_meanwhile_stops_and_cleans_up(
    owner, local_storage, clips, monkeypatch
):
    asset = media.store(owner, clips["hd"], "video")
    real_upload = processing.Run.upload_tree

    def upload_then_get_superseded(run, *args):
        size = real_upload(run, *args)
        queue_processing(asset)  # what saving a new file does: the row goes back to 待处理
        return size

    monkeypatch.setattr(processing.Run, "upload_tree", upload_then_get_superseded)
    row = process(asset)
    assert row.status == Status.PENDING  # left for the newer run
    assert media.stored_files() == []


def test_deleting_an_asset_deletes_its_renditions(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    asset = media.store(owner, clips["small"], "video")
    process(asset)
    assert media.stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert media.stored_files() == []
    assert not AssetRendition.objects.exists()


def test_the_resume_command_requeues_runs_of_a_stopped_worker(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    asset = media.store(owner, clips["tone"], "audio")
    stale_run(asset, minutes_ago=0)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_media_processing", "--older-than", "0", stdout=out)
    assert "已重新排队 1 个媒体处理任务" in out.getvalue()
    assert AssetProcessing.objects.get(asset=asset).status == Status.READY


def test_the_resume_command_queues_assets_never_processed(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    # An image stored before images were processed: no processing row at all.
    photo = media.store(owner, clips["photo"], "image")
    AssetProcessing.objects.filter(asset=photo).delete()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_media_processing", "--older-than", "0", stdout=out)
    assert "已为 1 个从未处理过的媒体文件排队处理" in out.getvalue()
    assert AssetProcessing.objects.get(asset=photo).status == Status.READY
    assert AssetRendition.objects.filter(processing__asset=photo).exists()
