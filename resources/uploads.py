"""Validation and storing of uploaded catalogue files.

Every upload is sniffed by its bytes (never trusted by name or browser-sent type), checked against
the per-kind size limit while streaming, hashed, and — for images — opened by Pillow under a
decompression-bomb limit. Only a file that passes is written to storage.
"""

import hashlib
import os
import warnings
import zipfile
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .storage import delete_file_after_commit
from .vocab import AssetKind

SNIFF_BYTES = 8192

# Declared extension → the sniffed types (filetype's extension names) it may contain.
ALLOWED = {
    AssetKind.IMAGE: {
        "jpg": {"jpg"},
        "jpeg": {"jpg"},
        "png": {"png", "apng"},
        "gif": {"gif"},
        "webp": {"webp"},
    },
    AssetKind.AUDIO: {
        "mp3": {"mp3"},
        "wav": {"wav"},
        "ogg": {"ogg"},
        "flac": {"flac"},
        "m4a": {"m4a", "mp4"},
        "aac": {"aac"},
        "amr": {"amr"},
    },
    AssetKind.VIDEO: {
        "mp4": {"mp4", "m4v"},
        "m4v": {"m4v", "mp4"},
        "mov": {"mov", "mp4"},
        "webm": {"webm"},
        "mkv": {"mkv", "webm"},
        "avi": {"avi"},
        "flv": {"flv"},
        "mpg": {"mpg"},
        "mpeg": {"mpg"},
        "wmv": {"wmv"},
        "3gp": {"3gp"},
    },
    AssetKind.DOCUMENT: {
        "pdf": {"pdf"},
        "doc": {"doc"},
        "xls": {"xls"},
        "ppt": {"ppt"},
        # ZIP-based office files are checked by their archive members, see OFFICE_ZIP.
        "docx": set(),
        "xlsx": set(),
        "pptx": set(),
        "odt": set(),
        "ods": set(),
        "odp": set(),
    },
}

# ZIP-based office formats: (member that must exist, MIME type). ODF also has a "mimetype" member.
OFFICE_ZIP = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": ("content.xml", "application/vnd.oasis.opendocument.text"),
    "ods": ("content.xml", "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": ("content.xml", "application/vnd.oasis.opendocument.presentation"),
}

PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG", "apng": "PNG", "gif": "GIF", "webp": "WEBP"}


@dataclass(frozen=True)
class UploadInfo:
    size: int
    sha256: str
    content_type: str
    extension: str


def apply_pillow_limit():
    """Pillow's global bomb limit follows settings, so Wagtail renditions are guarded too."""
    Image.MAX_IMAGE_PIXELS = settings.CATALOGUE_MAX_IMAGE_PIXELS


def upload_limit(kind):
    return settings.CATALOGUE_UPLOAD_LIMITS[str(kind)]


def _too_large(kind, size):
    return ValidationError(
        _("文件过大：%(kind)s文件不能超过 %(limit)s（本文件 %(size)s）。")
        % {
            "kind": AssetKind(kind).label,
            "limit": filesizeformat(upload_limit(kind)),
            "size": filesizeformat(size),
        },
        code="too_large",
    )


def _describe(sniffed):
    return f"{sniffed.extension}（{sniffed.mime}）" if sniffed else _("无法识别的格式")


def validate_upload(file, kind):
    """Check an uploaded file for the given asset kind; return its UploadInfo or raise a
    ValidationError in Chinese. Reads the file once, in chunks, and leaves it at position 0."""
    kind = AssetKind(kind)
    allowed = ALLOWED[kind]
    extension = os.path.splitext(file.name or "")[1].lower().lstrip(".")
    if extension not in allowed:
        raise ValidationError(
            _("不支持的%(kind)s格式“.%(ext)s”，允许的扩展名：%(allowed)s。")
            % {"kind": kind.label, "ext": extension, "allowed": "、".join(sorted(allowed))},
            code="extension",
        )

    limit = upload_limit(kind)
    declared_size = getattr(file, "size", None)
    if declared_size is not None and declared_size > limit:
        raise _too_large(kind, declared_size)

    # One streaming pass: hash and size, stop as soon as the limit is passed.
    digest = hashlib.sha256()
    size = 0
    head = b""
    file.seek(0)
    for chunk in file.chunks():
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        size += len(chunk)
        if size > limit:
            file.seek(0)
            raise _too_large(kind, size)
        digest.update(chunk)
    file.seek(0)
    if size == 0:
        raise ValidationError(_("文件是空的。"), code="empty")

    if extension in OFFICE_ZIP:
        content_type = _check_office_zip(file, extension, head)
    else:
        sniffed = filetype.guess(head)
        if sniffed is None or sniffed.extension not in allowed[extension]:
            raise ValidationError(
                _("文件内容与扩展名不符：扩展名为“.%(ext)s”，实际内容是%(actual)s。")
                % {"ext": extension, "actual": _describe(sniffed)},
                code="mismatch",
            )
        if sniffed.extension == "pdf" and not head.startswith(b"%PDF-"):
            raise ValidationError(_("PDF 文件头无效。"), code="mismatch")
        content_type = sniffed.mime
        if kind == AssetKind.IMAGE:
            _check_image(file, sniffed.extension)

    return UploadInfo(
        size=size, sha256=digest.hexdigest(), content_type=content_type, extension=extension
    )


def _check_office_zip(file, extension, head):
    member, mime = OFFICE_ZIP[extension]
    mismatch = ValidationError(
        _("文件内容与扩展名不符：扩展名为“.%(ext)s”，但不是有效的 Office 文档。")
        % {"ext": extension},
        code="mismatch",
    )
    if not head.startswith(b"PK\x03\x04"):
        raise mismatch
    try:
        # zipfile reads only the central directory and the members we open.
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if member not in names:
                raise mismatch
            is_odf = extension in {"odt", "ods", "odp"}
            if is_odf and archive.read("mimetype").decode("ascii", "replace").strip() != mime:
                raise mismatch
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise mismatch from exc
    finally:
        file.seek(0)
    return mime


def _check_image(file, sniffed_extension):
    apply_pillow_limit()
    limit = settings.CATALOGUE_MAX_IMAGE_PIXELS
    bomb = _(
        "图片像素过多（%(width)s×%(height)s），超过允许的 %(limit)s 像素，可能是恶意构造的“解压炸弹”图片，已拒绝。"
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between the limit and twice the limit: treat that as an error too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:  # reads the header only
                width, height = image.size
                if width * height > limit:
                    raise ValidationError(
                        bomb % {"width": width, "height": height, "limit": limit}, code="bomb"
                    )
                if image.format != PILLOW_FORMATS[sniffed_extension]:
                    raise ValidationError(_("图片格式与内容不符。"), code="mismatch")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("图片像素过多，可能是恶意构造的“解压炸弹”图片，已拒绝。"), code="bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("图片文件已损坏或无法识别。"), code="corrupt") from exc
    finally:
        file.seek(0)


def apply_upload_info(asset, info):
    asset.file_size = info.size
    asset.sha256 = info.sha256
    asset.content_type = info.content_type


def store_asset(asset, uploaded_file):
    """Validate the upload, then save the file and the MediaAsset row together.

    Nothing is written when validation fails. When the row cannot be written after the file was,
    the file is deleted again so no orphan object stays in storage. (If the caller wraps this in
    an outer transaction that later rolls back, cleaning up is the caller's job.)
    """
    asset.full_clean(exclude=["file", "tags"])
    info = validate_upload(uploaded_file, asset.kind)
    apply_upload_info(asset, info)
    with delete_new_file_on_failure(asset, previous_name=None), transaction.atomic():
        asset.file.save(uploaded_file.name, uploaded_file, save=False)
        asset.save()
    return asset


class delete_new_file_on_failure:
    """Context manager: if the block raises after a new file was written, delete that file."""

    def __init__(self, asset, previous_name):
        self.asset = asset
        self.previous_name = previous_name

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        name = self.asset.file.name
        if exc_type is not None and name and name != self.previous_name:
            self.asset.file.storage.delete(name)
        return False


class AssetFileValidator:
    """A field validator for a fixed kind, e.g. forms.FileField(validators=[AssetFileValidator("image")])."""

    def __init__(self, kind):
        self.kind = AssetKind(kind)

    def __call__(self, file):
        if isinstance(file, UploadedFile):
            validate_upload(file, self.kind)

    def __eq__(self, other):
        return isinstance(other, AssetFileValidator) and other.kind == self.kind


class MediaAssetUploadFormMixin:
    """For the MediaAsset admin form (before WagtailAdminModelForm in the bases): validates a new
    upload against the form's `kind`, fills size/hash/type, and removes the new file again if the
    row cannot be saved."""

    _upload_info = None

    def clean(self):
        cleaned_data = super().clean()
        upload = cleaned_data.get("file")
        kind = cleaned_data.get("kind") or getattr(self.instance, "kind", None)
        if isinstance(upload, UploadedFile) and kind:
            try:
                self._upload_info = validate_upload(upload, kind)
            except ValidationError as error:
                self.add_error("file", error)
        elif kind and self.instance.pk and "kind" in self.changed_data and self.instance.file:
            self.add_error("file", _("更改类型时请重新上传相应格式的文件。"))
        return cleaned_data

    def save(self, commit=True):
        if self._upload_info:
            apply_upload_info(self.instance, self._upload_info)
        if not commit:
            return super().save(commit=False)
        previous = None
        if self.instance.pk:
            previous = type(self.instance).objects.filter(pk=self.instance.pk).first()
        previous_name = previous.file.name if previous else None
        with delete_new_file_on_failure(self.instance, previous_name), transaction.atomic():
            instance = super().save(commit=True)
            if previous_name and instance.file.name != previous_name:
                # The replaced original would otherwise stay in the bucket for ever.
                delete_file_after_commit(previous.file)
        return instance


class AssetFileField(forms.FileField):
    """A file field validated for one asset kind."""

    def __init__(self, *, kind, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(AssetFileValidator(kind))


apply_pillow_limit()
