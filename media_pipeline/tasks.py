"""Background work of the media pipeline (django-tasks: `manage.py db_worker` in production,
inline in tests), and what puts work there."""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import processing, store
from .models import AssetProcessing, Status
from .storage_faults import enqueue_later

logger = logging.getLogger(__name__)


@task()
def process_asset(asset_id):
    """Process an asset that is waiting (待处理); does nothing for one already taken or done."""
    from resources.models import MediaAsset

    asset = MediaAsset.objects.filter(pk=asset_id).first()
    if asset is None:
        return None  # deleted while waiting
    row = processing.process(asset, only_if_pending=True)
    if row is not None and row.status == Status.PENDING:  # the store was unreachable
        enqueue_later(process_asset, asset_id)
    return row.status if row else None


@task()
def delete_renditions(asset_id):
    """Remove every stored rendition of a deleted asset (all attempts, finished or not)."""
    store.delete_tree(store.media_storage(), store.asset_prefix(asset_id))


def queue_processing(asset, renditions_wanted=None):
    """Mark the asset 待处理 and enqueue its processing once the transaction commits.
    `renditions_wanted` (rung names) replaces the editor's choice when given."""
    defaults = {
        "status": Status.PENDING,
        "progress": 0,
        "error": "",
        "attempts": 0,
        "source_name": asset.file.name or "",
        "heartbeat_at": None,
    }
    if renditions_wanted is not None:
        defaults["renditions_wanted"] = list(renditions_wanted)
    row, _created = AssetProcessing.objects.update_or_create(asset=asset, defaults=defaults)
    transaction.on_commit(partial(process_asset.enqueue, asset.pk))
    return row


def resume_stale(older_than=None):
    """Requeue runs left 处理中 by a worker that stopped (no heartbeat for `older_than`,
    default settings.MEDIA_PROCESSING_STALE_MINUTES); a run that already used up
    settings.MEDIA_PROCESSING_MAX_ATTEMPTS is marked failed instead. Also requeues assets sent
    back to 待处理 that long ago because the store was unreachable. Returns the asset ids
    requeued."""
    if older_than is None:
        older_than = timedelta(minutes=settings.MEDIA_PROCESSING_STALE_MINUTES)
    cutoff = timezone.now() - older_than
    resumed = _requeue_postponed(cutoff)
    stale = AssetProcessing.objects.filter(status=Status.PROCESSING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
    )
    for row in stale.only("pk", "asset_id", "attempts", "work_prefix"):
        if row.attempts >= settings.MEDIA_PROCESSING_MAX_ATTEMPTS:
            reason = _(
                "处理已中断 %(count)s 次（可能是文件过大或服务器资源不足），已停止自动重试；请稍后手动重试。"
            ) % {"count": row.attempts}
            if processing.mark_failed(row.pk, row.work_prefix, reason):
                logger.warning("media %s: gave up after %s attempts", row.asset_id, row.attempts)
        # Conditional on the run: one that woke up meanwhile keeps its row.
        elif processing.running(row.pk, row.work_prefix).update(status=Status.PENDING, progress=0):
            transaction.on_commit(partial(process_asset.enqueue, row.asset_id))
            resumed.append(row.asset_id)
    return resumed


def _requeue_postponed(cutoff):
    """Assets waiting (待处理) since before `cutoff` after a run found the store unreachable
    (a queued asset that never ran has no heartbeat): enqueue them again. Running one twice is
    harmless: only the run that finds it 待处理 takes it."""
    postponed = AssetProcessing.objects.filter(status=Status.PENDING, heartbeat_at__lt=cutoff)
    requeued = []
    for row in postponed.only("pk", "asset_id"):
        if AssetProcessing.objects.filter(pk=row.pk, status=Status.PENDING).update(
            heartbeat_at=timezone.now()
        ):
            transaction.on_commit(partial(process_asset.enqueue, row.asset_id))
            requeued.append(row.asset_id)
    return requeued


def queue_unprocessed():
    """Queue assets of a processed kind that have never been queued: those stored before their
    kind was processed (images, before they got renditions) or while the signal was off, e.g. a
    bulk load. Returns their ids."""
    from resources.models import MediaAsset

    from .signals import PROCESSED_KINDS

    waiting = MediaAsset.objects.filter(kind__in=PROCESSED_KINDS, processing__isnull=True)
    queued = []
    for asset in waiting.exclude(file="").iterator():
        queue_processing(asset)
        queued.append(asset.pk)
    return queued
