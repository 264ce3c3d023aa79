"""/api/v1/media/uploads: resumable chunked uploads for the admin (session login + CSRF).

1. POST /media/uploads → the session: id, chunk_size, part_count, parallel_parts,
   received_parts.
2. PUT /media/uploads/{id}/parts/{n} with the chunk's bytes as the body and its SHA-256 (hex)
   in X-Chunk-SHA256, for n = 1, 2, … in order, up to parallel_parts at once (part n is taken
   while the first missing part is at least n - parallel_parts + 1); after an interruption, GET
   the session and send the parts missing from received_parts.
3. POST /media/uploads/{id}/complete → 202 and status "completing"; poll GET until it is
   "completed" (asset set; duplicate=true when an identical file was linked instead) or
   "rejected" (error says why).
DELETE /media/uploads/{id} gives the upload up and removes its parts.
"""

from datetime import datetime
from uuid import UUID

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Header, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from network.models import Venue
from resources.vocab import Visibility

from . import uploads
from .upload_models import UploadStatus


class EditorSession(SessionAuth):
    """Django's session login with its CSRF check, answering in Chinese: 401 for anonymous
    callers, 403 for a request without a valid CSRF token."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            raise HttpError(401, _("请先登录管理后台。"))
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("安全校验（CSRF）失败：请刷新页面后重试。"))
        return request.user


router = Router(tags=["媒体上传"], auth=EditorSession())


class ErrorOut(Schema):
    detail: str


class SessionIn(Schema):
    venue: str  # venue code
    title: str
    kind: str  # audio, video, image, document
    file_name: str
    size: int
    sha256: str = ""  # optional SHA-256 of the whole file, checked at completion
    visibility: str = Visibility.PUBLIC


class AssetLinkOut(Schema):
    id: int
    title: str
    venue: str
    edit_url: str


class SessionOut(Schema):
    id: UUID
    status: str
    status_label: str
    venue: str
    title: str
    kind: str
    file_name: str
    size: int
    chunk_size: int
    part_count: int
    parallel_parts: int
    received_parts: list[int]
    received_bytes: int
    error: str
    asset: AssetLinkOut | None
    duplicate: bool
    expires_at: datetime


class PartOut(Schema):
    number: int
    size: int
    sha256: str
    received_bytes: int
    next_part: int | None


ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 410, 413)}


def session_out(session):
    parts = list(session.stored_parts().values_list("number", "size"))
    asset = session.asset
    return SessionOut(
        id=session.pk,
        status=session.status,
        status_label=str(session.get_status_display()),
        venue=session.venue.code,
        title=session.title,
        kind=session.kind,
        file_name=session.file_name,
        size=session.size,
        chunk_size=session.chunk_size,
        part_count=session.part_count,
        parallel_parts=uploads.parallel_parts(),
        received_parts=[number for number, _size in parts],
        received_bytes=sum(size for _number, size in parts),
        error=session.error,
        asset=None
        if asset is None
        else AssetLinkOut(
            id=asset.pk,
            title=asset.title,
            venue=str(asset.owner),
            edit_url=reverse("wagtailsnippets_resources_mediaasset:edit", args=[asset.pk]),
        ),
        duplicate=session.duplicate,
        expires_at=session.expires_at,
    )


def _session(request, upload_id):
    return _call(uploads.session_for, request.auth, upload_id)


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except uploads.UploadError as exc:
        raise HttpError(exc.status, exc.message) from exc


@router.post("/media/uploads", response={201: SessionOut, **ERRORS}, summary="开始分片上传")
def create_upload(request, data: SessionIn):
    venue = Venue.objects.filter(code=data.venue).first()
    if venue is None:
        raise HttpError(400, _("找不到场馆“%(code)s”。") % {"code": data.venue})
    session = _call(
        uploads.create_session,
        request.auth,
        venue=venue,
        title=data.title,
        kind=data.kind,
        file_name=data.file_name,
        size=data.size,
        sha256=data.sha256,
        visibility=data.visibility,
    )
    return Status(201, session_out(session))


@router.get("/media/uploads/{upload_id}", response={200: SessionOut, **ERRORS}, summary="上传状态")
def upload_status(request, upload_id: UUID):
    return session_out(_session(request, upload_id))


@router.put(
    "/media/uploads/{upload_id}/parts/{number}",
    response={200: PartOut, **ERRORS},
    summary="上传一个分片",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
def upload_part(
    request,
    upload_id: UUID,
    number: int,
    checksum: str = Header("", alias="X-Chunk-SHA256"),
):
    session = _session(request, upload_id)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    part = _call(uploads.receive_part, session, number, request, length, checksum)
    stored = list(session.stored_parts().values_list("number", "size"))
    first_missing = session.first_missing_part(number for number, _size in stored)
    return PartOut(
        number=part.number,
        size=part.size,
        sha256=part.sha256,
        received_bytes=sum(size for _number, size in stored),
        next_part=first_missing if first_missing <= session.part_count else None,
    )


@router.post(
    "/media/uploads/{upload_id}/complete",
    response={202: SessionOut, 200: SessionOut, **ERRORS},
    summary="完成上传（合并并检查文件）",
)
def complete_upload(request, upload_id: UUID):
    session = _call(uploads.request_completion, _session(request, upload_id))
    session.refresh_from_db()
    code = 200 if session.status in (UploadStatus.COMPLETED, UploadStatus.REJECTED) else 202
    return Status(code, session_out(session))


@router.delete("/media/uploads/{upload_id}", response={204: None, **ERRORS}, summary="放弃上传")
def abort_upload(request, upload_id: UUID):
    _call(uploads.abort, _session(request, upload_id))
    return Status(204, None)
