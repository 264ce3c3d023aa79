"""Processing one asset: claim it, work in a temporary folder, store the renditions, and end
可用 (ready) or 失败 (failed, with the reason in Chinese).

A run is an attempt with a storage prefix of its own (AssetProcessing.work_prefix, random),
which is also its token: every write of the run is conditional on it, so when the asset's file is replaced or a
stale run is resumed elsewhere, the old run notices at its next progress update, stops its
ffmpeg and deletes its own prefix. Renditions exist only for a ready asset: a successful run
replaces the previous set (deleting its files after commit), a failed run leaves none.
"""

import logging
import os
import tempfile
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from resources.vocab import AssetKind

from . import store
from .audio import process_audio
from .documents import process_document
from .errors import ProcessingError, Superseded
from .images import process_image
from .models import AssetProcessing, AssetRendition, Status
from .probe import probe
from .storage_faults import is_storage_unavailable
from .video import process_video

logger = logging.getLogger(__name__)

PROGRESS_INTERVAL = 1.0  # seconds between progress writes
HEARTBEAT_INTERVAL = 30.0  # seconds between writes when the percentage does not move
ERROR_LENGTH = 1000  # characters of a failure reason kept
METADATA_RESET = {
    "duration": None,
    "width": None,
    "height": None,
    "frame_rate": None,
    "video_codec": "",
    "audio_codec": "",
    "bitrate": None,
    "page_count": None,
}


class Run:
    """One attempt: its storage prefix (also its token), its work folder, and its progress."""

    def __init__(self, row, storage, work_dir):
        self.pk = row.pk
        self.prefix = row.work_prefix
        self.renditions_wanted = list(row.renditions_wanted or [])
        self.storage = storage
        self.work_dir = work_dir
        self._percent = 0
        self._written_at = time.monotonic()

    def _write(self, **fields):
        updated = running(self.pk, self.prefix).update(heartbeat_at=timezone.now(), **fields)
        if not updated:
            raise Superseded()
        self._written_at = time.monotonic()

    def progress(self, fraction=None):
        """Record progress (0–1 of the whole run; 100 % is only reached when ready) and keep the
        heartbeat fresh, writing at most once a second."""
        percent = self._percent if fraction is None else min(int(fraction * 100), 99)
        elapsed = time.monotonic() - self._written_at
        moved = percent > self._percent and elapsed >= PROGRESS_INTERVAL
        if moved or elapsed >= HEARTBEAT_INTERVAL:
            self._write(progress=percent)
            self._percent = percent

    def span(self, start, end):
        """A progress callback for one step that covers start…end of the whole run."""
        return lambda fraction: self.progress(start + (end - start) * fraction)

    def save_metadata(self, **fields):
        self._write(**fields)

    def name(self, relative):
        return f"{self.prefix}{relative}"

    def upload(self, local_path, relative):
        size = store.upload(self.storage, local_path, self.name(relative))
        self.progress()
        return size

    def upload_tree(self, local_dir, relative_dir):
        return store.upload_tree(
            self.storage, local_dir, self.name(relative_dir), on_file=self.progress
        )


def process(asset, *, only_if_pending=False):
    """Process an asset now (in this process). Returns its AssetProcessing row as it ends, or
    None when only_if_pending is set and the asset is not waiting (already done, or taken by
    another run).

    Runs outside any transaction in the worker; files of a replaced set are deleted on commit.
    """
    row, abandoned = _claim(asset, only_if_pending)
    if row is None:
        return None
    storage = store.media_storage()
    work_root = settings.MEDIA_PROCESSING_TMP_DIR
    with tempfile.TemporaryDirectory(prefix="culturehall-media-", dir=work_root) as work_dir:
        run = Run(row, storage, Path(work_dir))
        try:
            if abandoned:  # a previous attempt that never finished left its files behind
                store.delete_tree(storage, abandoned)
                abandoned = ""
            renditions = _produce(run, asset)
            _finish(run, renditions)
        except Superseded:
            logger.info("media %s: run %s was superseded", asset.pk, run.prefix)
            store.delete_tree(storage, run.prefix)
        except ProcessingError as error:
            _fail(run, error.reason)
        except Exception as exc:
            if is_storage_unavailable(exc):
                _wait_for_storage(run, exc, leftover=abandoned)
            else:
                logger.exception("media %s: processing failed unexpectedly", asset.pk)
                _fail(run, _("处理时发生内部错误，请稍后重试；如果一再失败，请联系管理员。"))
    return AssetProcessing.objects.filter(pk=row.pk).first()  # None if the asset was deleted


def _claim(asset, only_if_pending):
    """Take the asset for a new run: (its row, the prefix of an unfinished previous attempt
    whose files are to be deleted, or ""), or (None, "") if only_if_pending and it is not
    waiting."""
    with transaction.atomic():
        row, _created = AssetProcessing.objects.select_for_update().get_or_create(asset=asset)
        if only_if_pending and row.status != Status.PENDING:
            return None, ""
        # A previous attempt that never finished (its worker died) left its files behind.
        abandoned = row.work_prefix if row.work_prefix != row.output_prefix else ""
        now = timezone.now()
        for field, value in METADATA_RESET.items():
            setattr(row, field, value)
        row.status = Status.PROCESSING
        row.attempts += 1
        row.progress = 0
        row.error = ""
        row.source_name = asset.file.name or ""
        row.work_prefix = store.new_work_prefix(asset.pk)
        row.started_at = row.heartbeat_at = now
        row.finished_at = None
        row.save()
    return row, abandoned


def _produce(run, asset):
    """Fetch the source, then make the renditions of the asset's kind."""
    if not asset.file.name:
        raise ProcessingError(_("没有上传文件。"))
    source = run.work_dir / f"source{os.path.splitext(asset.file.name)[1].lower()[:10]}"
    try:
        source = store.local_copy(asset.file, source, on_progress=run.progress)
    except FileNotFoundError as exc:
        raise ProcessingError(_("找不到源文件，可能已被删除，请重新上传。")) from exc
    if os.path.getsize(source) == 0:
        raise ProcessingError(_("文件是空的（0 字节），无法处理。"))
    run.progress(0.01)
    if asset.kind == AssetKind.DOCUMENT:
        return process_document(run, source)
    if asset.kind == AssetKind.IMAGE:
        return process_image(run, source)
    found = probe(source)
    run.save_metadata(
        duration=found.duration,
        width=found.width,
        height=found.height,
        frame_rate=round(float(found.frame_rate), 3) if found.frame_rate else None,
        video_codec=found.video_codec,
        audio_codec=found.audio_codec,
        bitrate=found.bitrate,
    )
    if asset.kind == AssetKind.VIDEO:
        return process_video(run, source, found)
    return process_audio(run, source, found)


def running(pk, work_prefix):
    """The row, if that run still owns it."""
    return AssetProcessing.objects.filter(pk=pk, work_prefix=work_prefix, status=Status.PROCESSING)


def _finish(run, renditions):
    with transaction.atomic():
        row = running(run.pk, run.prefix).select_for_update().first()
        if row is None:
            raise Superseded()
        replaced = row.output_prefix
        row.renditions.all().delete()
        AssetRendition.objects.bulk_create(
            AssetRendition(processing=row, **fields) for fields in renditions
        )
        row.status = Status.READY
        row.progress = 100
        row.output_prefix, row.work_prefix = run.prefix, ""
        row.finished_at = row.heartbeat_at = timezone.now()
        row.save()
        if replaced and replaced != run.prefix:
            transaction.on_commit(partial(store.delete_tree, run.storage, replaced))


def _fail(run, reason):
    store.delete_tree(run.storage, run.prefix)  # this run's uploads, referenced by nothing
    mark_failed(run.pk, run.prefix, reason)


def _wait_for_storage(run, exc, leftover=""):
    """The store is unreachable: the asset goes back to 待处理, this attempt not counted, to be
    run again later (media_pipeline.tasks). Its work prefix (or a previous attempt's `leftover`
    prefix not deleted yet, when this run stored nothing) stays on the row, so the next run
    deletes those files."""
    logger.warning("media %s: storage unreachable, processing postponed: %r", run.pk, exc)
    running(run.pk, run.prefix).update(
        work_prefix=leftover or run.prefix,
        status=Status.PENDING,
        progress=0,
        attempts=F("attempts") - 1,
        error=_("媒体存储服务暂时无法连接，稍后将自动重新处理。"),
        heartbeat_at=timezone.now(),
    )


def mark_failed(pk, work_prefix, reason):
    """End the run owning the row as 失败 with `reason`. Its files and the previous renditions
    (made from a file that can no longer be shown) are deleted after commit. False when another
    run owns the row meanwhile."""
    storage = store.media_storage()
    with transaction.atomic():
        row = running(pk, work_prefix).select_for_update().first()
        if row is None:
            return False
        leftovers = {prefix for prefix in (row.output_prefix, row.work_prefix) if prefix}
        row.renditions.all().delete()
        row.status = Status.FAILED
        row.error = reason[:ERROR_LENGTH]
        row.output_prefix = row.work_prefix = ""
        row.finished_at = row.heartbeat_at = timezone.now()
        row.save()
        for prefix in leftovers:
            transaction.on_commit(partial(store.delete_tree, storage, prefix))
    return True
