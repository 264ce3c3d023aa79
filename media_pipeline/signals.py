"""Keep processing following the assets: a new or replaced file is queued, a deleted asset's
renditions are removed from storage."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from resources.vocab import AssetKind

PROCESSED_KINDS = {AssetKind.VIDEO, AssetKind.AUDIO, AssetKind.DOCUMENT, AssetKind.IMAGE}


def _on_asset_saved(sender, instance, created, raw=False, **kwargs):
    from .models import AssetProcessing
    from .tasks import queue_processing

    if raw or not instance.file.name:
        return
    # One indexed lookup at most; nothing at all for a new asset.
    processed = None
    if not created:
        processed = (
            AssetProcessing.objects.filter(asset=instance)
            .values_list("source_name", flat=True)
            .first()
        )
    if processed == instance.file.name:
        return  # an edit of the title, tags… keeps the renditions
    if instance.kind in PROCESSED_KINDS:
        queue_processing(instance)
    elif processed is not None:
        # Now of a kind not processed: the renditions of the former file go (with their files).
        AssetProcessing.objects.filter(asset=instance).delete()


def _on_processing_deleted(sender, instance, **kwargs):
    from .tasks import delete_renditions

    transaction.on_commit(partial(delete_renditions.enqueue, instance.asset_id))


def connect_signals():
    from resources.models import MediaAsset

    from .models import AssetProcessing

    post_save.connect(_on_asset_saved, sender=MediaAsset, dispatch_uid="media_pipeline_queue")
    # Also fires for the cascade when a MediaAsset is deleted.
    post_delete.connect(
        _on_processing_deleted, sender=AssetProcessing, dispatch_uid="media_pipeline_cleanup"
    )
