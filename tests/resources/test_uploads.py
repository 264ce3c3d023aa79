"""Upload validation: content sniffing, size limits, decompression bombs, and storing safely."""

import hashlib
import io
import os
import struct
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_save
from django.db.utils import IntegrityError
from django.test import override_settings
from openpyxl import Workbook
from PIL import Image
from wagtail.admin.forms import WagtailAdminModelForm

from resources.models import MediaAsset
from resources.uploads import (
    AssetFileField,
    MediaAssetUploadFormMixin,
    store_asset,
    validate_upload,
)

# --- sample files, built in memory (also used by test_serving and test_storage_s3) --------------


def png_bytes(width=64, height=48, noise=True):
    """A real PNG; with noise so it does not compress to almost nothing."""
    image = Image.new("RGB", (width, height))
    if noise:
        image.putdata([tuple(os.urandom(3)) for _ in range(width * height)])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(width=32, height=32):
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def png_header_bytes(width, height):
    """A PNG whose IHDR claims width×height pixels, with a tiny body: a decompression bomb as
    Pillow sees it when opening (it reads the header only)."""

    def chunk(kind, data):
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


ELF_BYTES = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + os.urandom(512)
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def make_asset(owner, kind="image", visibility="public", title="测试素材"):
    return MediaAsset(owner=owner, kind=kind, visibility=visibility, title=title)


@pytest.fixture(autouse=True)
def _restore_pillow_limit():
    # validate_upload sets Pillow's global limit from settings; overrides here must not leak.
    before = Image.MAX_IMAGE_PIXELS
    yield
    Image.MAX_IMAGE_PIXELS = before


def error_of(file, kind):
    with pytest.raises(ValidationError) as caught:
        validate_upload(file, kind)
    return caught.value


def xlsx_bytes():
    workbook = Workbook()
    workbook.active.append(["姓名", "艺术门类"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind", "mime"),
    [
        ("photo.png", png_bytes(), "image", "image/png"),
        ("photo.JPG", jpeg_bytes(), "image", "image/jpeg"),
        ("leaflet.pdf", PDF_BYTES, "document", "application/pdf"),
        (
            "plan.docx",
            docx_bytes(),
            "document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "roster.xlsx",
            xlsx_bytes(),
            "document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_valid_files_pass_with_hash_size_and_sniffed_type(name, content, kind, mime):
    info = validate_upload(upload(name, content, content_type="text/plain"), kind)
    assert info.size == len(content)
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    # The type comes from the bytes, not from the browser-declared text/plain.
    assert info.content_type == mime
    assert info.extension == name.rsplit(".", 1)[1].lower()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("photo.jpg", ELF_BYTES, "image"),  # an executable dressed as a photo
        ("clip.mp4", "这是一段文字，不是视频。".encode() * 50, "video"),
        ("photo.jpg", png_bytes(), "image"),  # a real image, but not the declared format
        ("song.mp3", PDF_BYTES, "audio"),
        ("leaflet.pdf", docx_bytes(), "document"),
        ("plan.docx", PDF_BYTES, "document"),
        ("plan.docx", xlsx_bytes(), "document"),  # a spreadsheet renamed to .docx
    ],
)
def test_forged_extension_is_rejected_in_chinese(name, content, kind):
    error = error_of(upload(name, content), kind)
    assert error.code == "mismatch"
    assert "文件内容与扩展名不符" in error.messages[0]


def test_disallowed_extension_is_rejected():
    error = error_of(upload("setup.exe", ELF_BYTES), "document")
    assert error.code == "extension"
    assert "不支持的文档格式“.exe”" in error.messages[0]
    assert "pdf" in error.messages[0]


def test_empty_file_is_rejected():
    assert error_of(upload("empty.png", b""), "image").code == "empty"


@override_settings(CATALOGUE_UPLOAD_LIMITS={"image": 1000, "audio": 1, "video": 1, "document": 1})
def test_oversized_file_is_rejected_by_declared_size():
    content = png_bytes(64, 64)
    assert len(content) > 1000
    error = error_of(upload("big.png", content), "image")
    assert error.code == "too_large"
    assert error.messages[0].startswith("文件过大：图片文件不能超过")


class UnderstatedFile(File):
    """A file whose reported size lies (0), counting the bytes actually read."""

    def __init__(self, content, name):
        super().__init__(io.BytesIO(content), name=name)
        self.bytes_read = 0

    @property
    def size(self):
        return 0

    def chunks(self, chunk_size=1024):
        for chunk in super().chunks(chunk_size):
            self.bytes_read += len(chunk)
            yield chunk


@override_settings(CATALOGUE_UPLOAD_LIMITS={"image": 1, "audio": 1, "video": 4096, "document": 1})
def test_size_limit_is_enforced_while_streaming_without_reading_the_rest():
    content = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100_000
    file = UnderstatedFile(content, "clip.mp4")
    error = error_of(file, "video")
    assert error.code == "too_large"
    # Reading stopped one chunk past the limit, not at the end of the 100 kB file.
    assert file.bytes_read <= 4096 + 1024


def test_decompression_bomb_header_is_rejected():
    # 30000 × 30000 = 900 Mpx in a file of ~100 bytes.
    content = png_header_bytes(30_000, 30_000)
    assert len(content) < 200
    error = error_of(upload("bomb.png", content), "image")
    assert error.code == "bomb"
    assert "解压炸弹" in error.messages[0]


@override_settings(CATALOGUE_MAX_IMAGE_PIXELS=10_000)
def test_pixel_limit_comes_from_settings_below_pillows_own():
    # 150 × 100 = 15,000 px: over the setting but under twice it, where Pillow only warns.
    error = error_of(upload("wide.png", png_bytes(150, 100, noise=False)), "image")
    assert error.code == "bomb"
    assert Image.MAX_IMAGE_PIXELS == 10_000
    # Just under the limit is fine.
    validate_upload(upload("ok.png", png_bytes(100, 100, noise=False)), "image")


def test_default_pixel_limit_is_below_pillows_default(settings):
    pillow_default = 1024 * 1024 * 1024 // 4 // 3  # PIL.Image.MAX_IMAGE_PIXELS as shipped
    assert pillow_default > settings.CATALOGUE_MAX_IMAGE_PIXELS


def test_truncated_image_is_rejected():
    content = png_bytes()
    error = error_of(upload("broken.png", content[: len(content) // 2]), "image")
    assert error.code == "corrupt"
    assert "图片文件已损坏" in error.messages[0]


@pytest.mark.django_db
def test_store_asset_saves_file_and_row(network, local_storage):
    content = png_bytes()
    asset = store_asset(make_asset(network["liling"]), upload("舞台.png", content))
    asset.refresh_from_db()
    assert asset.file.name.startswith("assets/liling-main/")
    assert asset.file.name.endswith(".png")
    assert asset.file_size == len(content)
    assert asset.sha256 == hashlib.sha256(content).hexdigest()
    assert asset.content_type == "image/png"
    assert (local_storage / asset.file.name).read_bytes() == content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "kind", "code"),
    [
        ("evil.jpg", ELF_BYTES, "image", "mismatch"),
        ("bomb.png", png_header_bytes(30_000, 30_000), "image", "bomb"),
    ],
)
def test_rejected_upload_stores_nothing_locally(network, local_storage, name, content, kind, code):
    with pytest.raises(ValidationError) as caught:
        store_asset(make_asset(network["liling"], kind=kind), upload(name, content))
    assert caught.value.code == code
    assert not MediaAsset.objects.exists()
    assert [p for p in local_storage.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_invalid_row_is_refused_before_the_file_is_written(network, local_storage):
    asset = make_asset(network["liling"], title="")
    with pytest.raises(ValidationError) as caught:
        store_asset(asset, upload("a.png", png_bytes()))
    assert "title" in caught.value.message_dict
    assert [p for p in local_storage.rglob("*") if p.is_file()] == []


@pytest.mark.django_db
def test_database_failure_after_writing_removes_the_file(network, local_storage):
    def fail(sender, instance, **kwargs):
        raise IntegrityError("simulated failure after the file was written")

    post_save.connect(fail, sender=MediaAsset, dispatch_uid="test-fail-asset-save")
    try:
        with pytest.raises(IntegrityError):
            store_asset(make_asset(network["liling"]), upload("a.png", png_bytes()))
    finally:
        post_save.disconnect(sender=MediaAsset, dispatch_uid="test-fail-asset-save")
    assert not MediaAsset.objects.exists()
    assert [p for p in local_storage.rglob("*") if p.is_file()] == []


class AssetForm(MediaAssetUploadFormMixin, WagtailAdminModelForm):
    class Meta:
        model = MediaAsset
        fields = ["title", "kind", "owner", "visibility", "file"]


@pytest.mark.django_db
def test_admin_form_mixin_validates_against_the_chosen_kind(network, local_storage):
    data = {
        "title": "宣传片",
        "kind": "video",
        "owner": network["liling"].pk,
        "visibility": "public",
    }
    form = AssetForm(data=data, files={"file": upload("promo.mp4", ELF_BYTES)})
    assert not form.is_valid()
    assert "文件内容与扩展名不符" in form.errors["file"][0]

    content = png_bytes()
    form = AssetForm(data={**data, "kind": "image"}, files={"file": upload("p.png", content)})
    assert form.is_valid(), form.errors
    asset = form.save()
    asset.refresh_from_db()
    assert asset.sha256 == hashlib.sha256(content).hexdigest()
    assert asset.file_size == len(content)
    assert asset.content_type == "image/png"
    assert (local_storage / asset.file.name).exists()


@pytest.mark.django_db
def test_admin_form_replacing_a_file_deletes_the_old_one_after_commit(
    network, local_storage, django_capture_on_commit_callbacks
):
    asset = store_asset(make_asset(network["liling"]), upload("old.png", png_bytes()))
    old = local_storage / asset.file.name
    data = {
        "title": asset.title,
        "kind": "image",
        "owner": network["liling"].pk,
        "visibility": "public",
    }
    form = AssetForm(data=data, files={"file": upload("new.jpg", jpeg_bytes())}, instance=asset)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        form.save()
    assert not old.exists()
    assert (local_storage / asset.file.name).exists()
    assert asset.content_type == "image/jpeg"


def test_asset_file_field_validates_a_fixed_kind():
    class PhotoForm(forms.Form):
        photo = AssetFileField(kind="image")

    form = PhotoForm(files={"photo": upload("me.jpg", ELF_BYTES)})
    assert not form.is_valid()
    assert "文件内容与扩展名不符" in form.errors["photo"][0]
    assert PhotoForm(files={"photo": upload("me.jpg", jpeg_bytes())}).is_valid()
