"""Completing an upload, as a background task (checking a file of gigabytes reads every byte,
which no web request should wait for): assemble the parts, check the bytes, then link a
duplicate or create the MediaAsset, whose processing the pipeline's signal queues.

The checks are the catalogue's own (resources.uploads.validate_upload: the extension allowed for
the kind, the size limit, magic numbers, Office archives, image bombs; one streaming pass that
also computes the SHA-256), then, for audio and video, the pipeline's probe.

Duplicates: a file whose SHA-256 equals that of an asset the venue's staff can use — one of the
venue's own, or another venue's shared with the network (public or staff-only) — is not stored
again: the upload is discarded and the session points at that asset. Another venue's owner-only
asset is not linked (it is not theirs to use, nor to know about), so the file is stored anew.

Runs may repeat (a worker that died is requeued by `cleanup_uploads`): assembling is skipped
once recorded, and only the run that still finds the session 校验中 under a lock ends it.
"""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from resources.models import MediaAsset
from resources.uploads import validate_upload
from resources.vocab import AssetKind, Visibility

from . import quota
from .errors import ProcessingError
from .probe import probe
from .storage_faults import enqueue_later, is_storage_unavailable
from .upload_models import UploadSession, UploadStatus
from .upload_storage import parts_backend

logger = logging.getLogger(__name__)

PROBED_KINDS = {AssetKind.VIDEO, AssetKind.AUDIO}


class Rejected(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = str(reason)


@task()
def complete_upload(session_id):
    session = UploadSession.objects.select_related("venue").filter(pk=session_id).first()
    if session is None or session.status != UploadStatus.COMPLETING:
        return None
    return complete(session)


def complete(session):
    """Finish a session that is 校验中; returns its status at the end."""
    backend = parts_backend()
    try:
        if not session.assembled:
            backend.assemble(session, list(session.stored_parts()))
            UploadSession.objects.filter(pk=session.pk).update(assembled=True)
            session.assembled = True
        return _finish(session, _check(session, backend))
    except Rejected as exc:
        return _reject(session, backend, exc.reason)
    except Exception as exc:
        if is_storage_unavailable(exc):  # not the file's fault: stays 校验中, tried again later
            logger.warning("upload %s: storage unreachable, completion postponed", session.pk)
            UploadSession.objects.filter(pk=session.pk).update(updated_at=timezone.now())
            enqueue_later(complete_upload, str(session.pk))
            return UploadStatus.COMPLETING
        logger.exception("upload %s: completion failed", session.pk)
        reason = _("合并或检查文件时发生内部错误，请重新上传；如果一再失败，请联系管理员。")
        return _reject(session, backend, reason)


def _check(session, backend):
    try:
        with backend.open(session) as stored:
            info = validate_upload(stored, session.kind)
    except ValidationError as exc:
        raise Rejected(" ".join(exc.messages)) from exc
    if info.size != session.size:
        raise Rejected(_("文件大小与声明的不一致，请重新上传。"))
    if session.declared_sha256 and info.sha256 != session.declared_sha256:
        raise Rejected(_("文件校验失败：整个文件的 SHA-256 与上传前计算的不一致，请重新上传。"))
    if session.kind in PROBED_KINDS:
        try:
            probe(backend.probe_source(session))
        except ProcessingError as exc:
            raise Rejected(exc.reason) from exc
    return info


def duplicate_of(venue, sha256):
    """The asset to link instead of storing `sha256` again for `venue`: its own first."""
    candidates = MediaAsset.objects.filter(sha256=sha256).filter(
        Q(owner=venue) | ~Q(visibility=Visibility.OWNER)
    )
    own_first = Case(
        When(owner=venue, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return candidates.order_by(own_first, "pk").first()


def _finish(session, info):
    storage = parts_backend().storage
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != UploadStatus.COMPLETING:
            return locked.status  # another run ended it
        existing = duplicate_of(session.venue, info.sha256)
        if existing is not None:
            locked.asset, locked.duplicate = existing, True
            transaction.on_commit(partial(storage.delete, session.storage_key))
        else:
            try:
                quota.check_room(session.venue, info.size, exclude=locked)
            except quota.QuotaExceeded as exc:
                raise Rejected(str(exc)) from exc
            locked.asset = _create_asset(session, info)
        locked.status = UploadStatus.COMPLETED
        locked.save(update_fields=["asset", "duplicate", "status", "updated_at"])
    return locked.status


def _create_asset(session, info):
    asset = MediaAsset(
        owner=session.venue,
        title=session.title,
        kind=session.kind,
        visibility=session.visibility,
        file_size=info.size,
        sha256=info.sha256,
        content_type=info.content_type,
    )
    asset.file.name = session.storage_key
    asset.full_clean(exclude=["file", "tags"])
    asset.save()  # media_pipeline.signals queues its processing
    return asset


def _reject(session, backend, reason):
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != UploadStatus.COMPLETING:
            return locked.status
        locked.status, locked.error = UploadStatus.REJECTED, reason
        locked.save(update_fields=["status", "error", "updated_at"])
    try:
        if locked.assembled:
            backend.storage.delete(locked.storage_key)
        else:
            backend.abort(locked)
    except Exception:
        logger.exception("upload %s: could not remove the refused file", session.pk)
    locked.parts.all().delete()
    return locked.status
