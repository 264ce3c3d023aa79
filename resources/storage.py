"""Media storage helpers: S3 detection, presigned URLs, and removing stored files after deletes."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.utils.http import content_disposition_header
from storages.backends.s3 import S3Storage
from storages.utils import clean_name
from wagtail.tasks import delete_file_from_storage_task


def is_s3(storage):
    """True for django-storages' S3 backend (also through the lazy default_storage proxy)."""
    return isinstance(storage, S3Storage)


def presigned_url(storage, name, *, filename=None, content_type=None, inline=True, expire=None):
    """A short-lived signed GET URL for a private object.

    Signed against the bucket endpoint itself: S3Storage.url() returns an *unsigned* URL when a
    custom_domain is configured, which would make a private file public.
    """
    if expire is None:
        expire = storage.querystring_expire
    params = {"Bucket": storage.bucket_name, "Key": storage._normalize_name(clean_name(name))}
    if filename:
        params["ResponseContentDisposition"] = content_disposition_header(not inline, filename)
    if content_type:
        params["ResponseContentType"] = content_type
    return storage.connection.meta.client.generate_presigned_url(
        "get_object", Params=params, ExpiresIn=int(expire)
    )


def delete_file_after_commit(field_file):
    """Remove a stored file once the deleting transaction commits (never on rollback).

    Uses Wagtail's own task, so assets are cleaned up exactly like images and documents
    (inline in tests, by the db worker in production).
    """
    name = field_file.name
    if not name:
        return
    storage = field_file.storage
    transaction.on_commit(
        lambda: delete_file_from_storage_task.enqueue(storage.deconstruct(), name)
    )


def _delete_asset_file(sender, instance, **kwargs):
    delete_file_after_commit(instance.file)


def connect_signals():
    """Delete a MediaAsset's stored object when its row is deleted. Idempotent (dispatch_uid);
    called from ResourcesConfig.ready()."""
    from .models import MediaAsset

    post_delete.connect(
        _delete_asset_file, sender=MediaAsset, dispatch_uid="resources_delete_asset_file"
    )
