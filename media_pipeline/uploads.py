"""Chunked, resumable uploads: start a session, take its parts in order, hand it to completion,
or abort it. Every refusal is an UploadError with the HTTP status and the Chinese reason, and
leaves nothing changed.

Parts arrive in order, with up to settings.MEDIA_UPLOAD_PARALLEL_PARTS in flight at once (a part
further ahead than that of the first missing one is refused), each with the SHA-256 the client
computed; a part already received with the same checksum is accepted again without being
recorded twice, so a client that lost an answer simply resends. A part is read whole (at most one
chunk, a few MB) and verified before any byte of it is stored.
"""

import hashlib
import logging
import os
import re
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.permissions import policy_registry

from network.models import Venue
from resources.models import MediaAsset, asset_upload_to
from resources.permissions import user_venue_ids
from resources.storage import is_s3
from resources.uploads import ALLOWED, upload_limit
from resources.vocab import AssetKind, Visibility

from . import quota
from .upload_models import UploadedPart, UploadSession, UploadStatus
from .upload_storage import parts_backend

logger = logging.getLogger(__name__)

S3_MIN_PART = 5 * 1024 * 1024  # S3's smallest part but the last
MAX_PARTS = 10_000  # S3's most parts per upload
MIB = 1024 * 1024
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
TITLE_LENGTH = MediaAsset._meta.get_field("title").max_length


class UploadError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = str(message)
        self.status = status


# --- who may upload where ------------------------------------------------------------------


def may_upload_to(user, venue):
    """The catalogue's own rule: may this user add a MediaAsset owned by `venue`?"""
    policy = policy_registry.get_by_type(MediaAsset)
    return policy.user_has_permission_for_instance(user, "add", MediaAsset(owner=venue))


def upload_venues(user):
    if getattr(user, "is_superuser", False) and user.is_active:
        return Venue.objects.order_by("code")
    return Venue.objects.filter(pk__in=user_venue_ids(user)).order_by("code")


def session_for(user, session_id):
    """The user's own session, while they may still upload to its venue; else 404 (another
    user's or venue's session is not revealed)."""
    session = UploadSession.objects.select_related("venue").filter(pk=session_id).first()
    if session is None or session.user_id != user.pk or not may_upload_to(user, session.venue):
        raise UploadError(_("找不到该上传任务。"), status=404)
    expire_if_due(session)
    return session


def expire_if_due(session, now=None):
    """Mark an upload that stopped receiving parts 已过期 and remove its parts. Conditional,
    so a part arriving meanwhile keeps the session alive. True if it expired now."""
    now = now or timezone.now()
    if session.status != UploadStatus.UPLOADING or session.expires_at >= now:
        return False
    changed = UploadSession.objects.filter(
        pk=session.pk, status=UploadStatus.UPLOADING, expires_at__lt=now
    ).update(status=UploadStatus.EXPIRED, updated_at=now)
    if changed:
        session.status = UploadStatus.EXPIRED
        discard_parts(session)
    return bool(changed)


# --- starting ------------------------------------------------------------------------------


def chunk_size_for(size, storage):
    """settings.MEDIA_UPLOAD_CHUNK_SIZE, at least S3's minimum part on S3, and grown (in whole
    MiB) so that no file needs more than MAX_PARTS parts."""
    chunk = settings.MEDIA_UPLOAD_CHUNK_SIZE
    if is_s3(storage):
        chunk = max(chunk, S3_MIN_PART)
    needed = -(-size // MAX_PARTS)
    if needed > chunk:
        chunk = -(-needed // MIB) * MIB
    return chunk


def _check_request(user, venue, title, kind, visibility, file_name, size, sha256):
    if not may_upload_to(user, venue):
        raise UploadError(_("您没有为“%(venue)s”上传媒体文件的权限。") % {"venue": venue}, 403)
    if not title.strip():
        raise UploadError(_("请填写标题。"))
    if len(title) > TITLE_LENGTH:
        raise UploadError(_("标题不能超过 %(count)s 个字。") % {"count": TITLE_LENGTH})
    if kind not in AssetKind.values:
        raise UploadError(_("类型只能是音频、视频、图片或文档。"))
    if visibility not in Visibility.values:
        raise UploadError(_("可见范围无效。"))
    kind = AssetKind(kind)
    extension = os.path.splitext(file_name)[1].lower().lstrip(".")
    if not file_name.strip() or len(file_name) > 255:
        raise UploadError(_("文件名无效。"))
    if extension not in ALLOWED[kind]:
        raise UploadError(
            _("不支持的%(kind)s格式“.%(ext)s”，允许的扩展名：%(allowed)s。")
            % {"kind": kind.label, "ext": extension, "allowed": "、".join(sorted(ALLOWED[kind]))}
        )
    if size <= 0:
        raise UploadError(_("文件是空的（0 字节），无法上传。"))
    if size > upload_limit(kind):
        raise UploadError(
            _("文件过大：%(kind)s文件不能超过 %(limit)s（本文件 %(size)s）。")
            % {
                "kind": kind.label,
                "limit": filesizeformat(upload_limit(kind)),
                "size": filesizeformat(size),
            }
        )
    if sha256 and not SHA256_HEX.match(sha256):
        raise UploadError(_("SHA-256 校验值应为 64 位十六进制数字。"))


def create_session(
    user, *, venue, title, kind, file_name, size, sha256="", visibility=Visibility.PUBLIC
):
    """Start an upload, or refuse it (permission, type, size, quota) before any byte is sent."""
    file_name = os.path.basename(file_name.replace("\\", "/"))
    sha256 = (sha256 or "").lower()
    _check_request(user, venue, title, kind, visibility, file_name, size, sha256)
    storage_key = asset_upload_to(MediaAsset(owner=venue), file_name)
    backend = parts_backend()
    session = UploadSession(
        venue=venue,
        user=user,
        title=title.strip(),
        kind=kind,
        visibility=visibility,
        file_name=file_name,
        size=size,
        declared_sha256=sha256,
        chunk_size=chunk_size_for(size, backend.storage),
        storage_key=storage_key,
        expires_at=_expiry(),
    )
    with transaction.atomic():
        # One session at a time per venue passes the quota check, so two cannot share the room.
        Venue.objects.select_for_update().filter(pk=venue.pk).first()
        try:
            quota.check_room(venue, size)
        except quota.QuotaExceeded as exc:
            raise UploadError(str(exc), 413) from exc
        backend.start(session)
        try:
            session.save(force_insert=True)
        except Exception:
            backend.abort(session)
            raise
    return session


def _expiry():
    return timezone.now() + timedelta(hours=settings.MEDIA_UPLOAD_EXPIRY_HOURS)


# --- parts ---------------------------------------------------------------------------------


def _check_open(session):
    expired = session.status == UploadStatus.EXPIRED or session.expires_at <= timezone.now()
    if expired and session.status in (UploadStatus.UPLOADING, UploadStatus.EXPIRED):
        raise UploadError(_("该上传任务已过期，请重新上传。"), 410)
    if session.status != UploadStatus.UPLOADING:
        raise UploadError(
            _("该上传任务%(status)s，无法继续。") % {"status": session.get_status_display()}, 409
        )


def _stored_numbers(session):
    return list(session.stored_parts().values_list("number", flat=True))


def receive_part(session, number, stream, length, checksum):
    """Verify part `number` read from `stream` (`length` bytes, as the request declared) against
    `checksum`, then store and record it. Returns the UploadedPart.

    The bytes go to storage outside any lock, so a client's parallel parts are written side by
    side: first the number is claimed for this checksum, then written, then marked stored."""
    _check_open(session)
    checksum = (checksum or "").strip().lower()
    if not SHA256_HEX.match(checksum):
        raise UploadError(_("缺少或无效的分片校验值（请求头 X-Chunk-SHA256，64 位十六进制）。"))
    if not 1 <= number <= session.part_count:
        raise UploadError(
            _("超出文件的声明大小：该文件只有 %(count)s 个分片，不能上传第 %(number)s 片。")
            % {"count": session.part_count, "number": number}
        )
    expected = session.part_size(number)
    if length != expected:
        raise UploadError(
            _("分片大小不正确：第 %(number)s 片应为 %(expected)s 字节，收到 %(length)s 字节。")
            % {"number": number, "expected": expected, "length": length}
        )
    _check_order(session, number, _stored_numbers(session))
    data = stream.read(length)
    if len(data) != length:
        raise UploadError(_("分片不完整：连接可能中断了，请重试。"))
    if hashlib.sha256(data).hexdigest() != checksum:
        raise UploadError(
            _("分片校验失败：第 %(number)s 片的内容与校验值不符，请重试。") % {"number": number}
        )
    part = _claim_part(session, number, len(data), checksum)
    if part.stored_at is not None:
        return part
    try:
        etag = parts_backend().write(session, number, data, checksum)
    except Exception:
        # Not stored (e.g. the store is unreachable: a 503): no record of it either.
        UploadedPart.objects.filter(pk=part.pk, stored_at__isnull=True).delete()
        session.refresh_from_db(fields=["status", "expires_at"])
        _check_open(session)  # given up meanwhile: say so rather than "internal error"
        raise
    return _mark_stored(session, part, etag)


def parallel_parts():
    return max(1, settings.MEDIA_UPLOAD_PARALLEL_PARTS)


def _check_order(session, number, stored):
    first_missing = session.first_missing_part(stored)
    last_allowed = first_missing + parallel_parts() - 1
    if number > last_allowed:
        raise UploadError(
            _(
                "分片顺序错误：第 %(next)s 片还没有收到，最多只能先传到第 %(last)s 片，"
                "不能跳到第 %(number)s 片。"
            )
            % {"next": first_missing, "last": last_allowed, "number": number},
            409,
        )


def _claim_part(session, number, size, checksum):
    """The part's row for this checksum: made now, or already there (a resent part). Another
    checksum for the same number is refused: a part never changes once claimed."""
    with transaction.atomic():
        # Serialises the claims of one session (a client's retry racing its first attempt).
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        _check_open(locked)
        existing = locked.parts.filter(number=number).first()
        if existing is not None:
            if existing.sha256 != checksum:
                raise UploadError(
                    _("第 %(number)s 片已接收过，但内容不同；请从头重新上传该文件。")
                    % {"number": number},
                    409,
                )
            return existing  # stored, or being stored: writing the same bytes again is harmless
        _check_order(locked, number, _stored_numbers(locked))
        return UploadedPart.objects.create(
            session=locked, number=number, size=size, sha256=checksum
        )


def _mark_stored(session, part, etag):
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        _check_open(locked)
        now = timezone.now()
        UploadedPart.objects.filter(pk=part.pk).update(stored_at=now, etag=etag)
        part.stored_at, part.etag = now, etag
        locked.expires_at = _expiry()
        locked.save(update_fields=["expires_at", "updated_at"])
    return part


# --- completing and aborting ---------------------------------------------------------------


def request_completion(session):
    """Check that every part is there, then hand the session to the completion task (which
    assembles, checks the bytes and creates the asset). Repeating the request is harmless."""
    from .upload_completion import complete_upload

    if session.status in (UploadStatus.COMPLETING, UploadStatus.COMPLETED):
        return session
    _check_open(session)
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        _check_open(locked)
        stored = set(_stored_numbers(locked))
        missing = [n for n in range(1, locked.part_count + 1) if n not in stored]
        if missing:
            shown = "、".join(str(n) for n in missing[:10]) + ("……" if len(missing) > 10 else "")
            raise UploadError(
                _("文件还没有传完：缺少第 %(parts)s 片（共 %(count)s 片）。")
                % {"parts": shown, "count": locked.part_count}
            )
        locked.status = UploadStatus.COMPLETING
        locked.save(update_fields=["status", "updated_at"])
        transaction.on_commit(partial(complete_upload.enqueue, str(locked.pk)))
    return locked


def abort(session):
    """Give the upload up: no more parts are taken, and what was stored is removed."""
    with transaction.atomic():
        locked = UploadSession.objects.select_for_update().get(pk=session.pk)
        if locked.status == UploadStatus.COMPLETING:
            raise UploadError(_("文件正在校验，暂时不能取消。"), 409)
        if locked.status == UploadStatus.COMPLETED:
            raise UploadError(
                _("该上传已完成，不能取消；如需删除，请到媒体资源中删除该文件。"), 409
            )
        if locked.status != UploadStatus.UPLOADING:
            return locked
        locked.status = UploadStatus.ABORTED
        locked.save(update_fields=["status", "updated_at"])
    discard_parts(locked)
    return locked


def discard_parts(session):
    """Remove the stored parts of a session that will not complete. A failure is logged and
    left to `manage.py cleanup_uploads`, which finds parts no open session owns."""
    try:
        parts_backend().abort(session)
    except Exception:
        logger.exception("upload %s: could not remove its parts", session.pk)
    session.parts.all().delete()
