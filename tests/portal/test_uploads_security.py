"""Uploads through Wagtail's image and document admin (portal.image_uploads,
portal.document_uploads, the upload settings): bad files are Chinese form errors, never a 500,
and nothing is stored for them."""

import io
import runpy
import struct
import urllib.error
import urllib.request
import zlib
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string
from PIL import Image
from storages.backends.s3 import S3Storage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from portal.document_uploads import DOCUMENT_SIGNATURES
from tests.s3 import ACCESS_KEY as S3_ACCESS_KEY
from tests.s3 import SECRET_KEY as S3_SECRET_KEY
from tests.s3 import moto_server, s3_bucket, s3_storage  # noqa: F401  (fixtures, by name)

from ..factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PILLOW_SHIPPED_LIMIT = 1024 * 1024 * 1024 // 4 // 3  # PIL.Image.MAX_IMAGE_PIXELS as released


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def admin(client, db):
    """A superuser's client, with the collection its uploads go to (no venue network needed)."""
    client.force_login(make_user("root", superuser=True))
    client.collection = Collection.get_first_root_node().add_child(name="醴陵市文化馆")
    return client


def image_bytes(fmt, size=(320, 240), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(buffer, fmt)
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG whose header claims width×height pixels, with (almost) no pixel data behind it."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def truncated(data):
    return data[: len(data) // 2]


def add_image(client, name, content):
    upload = SimpleUploadedFile(name, content)
    data = {"title": name, "file": upload, "collection": client.collection.pk}
    return client.post(reverse("wagtailimages:add"), data)


def add_images_multiple(client, name, content):
    upload = SimpleUploadedFile(name, content)
    data = {"files[]": upload, "collection": client.collection.pk}
    return client.post(reverse("wagtailimages:add_multiple"), data)


def add_document(client, name, content, view="wagtaildocs:add"):
    upload = SimpleUploadedFile(name, content)
    if view == "wagtaildocs:add":
        data = {"title": name, "file": upload, "collection": client.collection.pk}
    else:
        data = {"files[]": upload, "collection": client.collection.pk}
    return client.post(reverse(view), data)


def file_errors(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", []))


# --- corrupt and truncated images -------------------------------------------------------------


@pytest.mark.parametrize("name,fmt", [("cut.jpg", "JPEG"), ("cut.png", "PNG")])
def test_truncated_image_is_a_form_error_not_a_500(admin, name, fmt):
    response = add_image(admin, name, truncated(image_bytes(fmt)))
    assert "图片文件已损坏或不完整" in file_errors(response)
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name,fmt", [("cut.jpg", "JPEG"), ("cut.png", "PNG")])
def test_truncated_image_in_the_multiple_uploader_is_refused_in_chinese(admin, name, fmt):
    response = add_images_multiple(admin, name, truncated(image_bytes(fmt)))
    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert "图片文件已损坏或不完整" in answer["error_message"]
    assert not get_image_model().objects.exists()


def test_a_whole_image_is_still_accepted(admin):
    response = add_image(admin, "whole.jpg", image_bytes("JPEG"))
    assert response.status_code == 302
    image = get_image_model().objects.get()
    assert (image.width, image.height) == (320, 240)
    assert image.collection == admin.collection


@pytest.mark.parametrize(
    "chooser,prefix,name,content,message",
    [
        (
            "wagtailimages_chooser:create",
            "image-chooser-upload",
            "cut.png",
            truncated(image_bytes("PNG")),
            "图片文件已损坏",
        ),
        (
            "wagtaildocs_chooser:create",
            "document-chooser-upload",
            "x.pdf",
            ELF,
            "文件内容与扩展名不符",
        ),
    ],
    ids=["image", "document"],
)
def test_the_choosers_upload_tab_refuses_in_chinese_too(
    admin, chooser, prefix, name, content, message
):
    data = {
        f"{prefix}-title": name,
        f"{prefix}-file": SimpleUploadedFile(name, content),
        f"{prefix}-collection": admin.collection.pk,
    }
    response = admin.post(reverse(chooser), data)
    assert response.status_code == 200
    answer = response.json()
    assert answer["step"] == "reshow_creation_form"
    assert message in answer["htmlFragment"]
    assert not get_image_model().objects.exists()
    assert not get_document_model().objects.exists()


# --- pixel limit ------------------------------------------------------------------------------


def test_pixel_limit_is_below_pillows_bomb_limit():
    # Wagtail's upload limit ≤ Pillow's warning limit < Pillow's shipped default; Pillow's
    # DecompressionBombError only comes at twice its limit, after Wagtail has refused the file.
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS <= Image.MAX_IMAGE_PIXELS
    assert Image.MAX_IMAGE_PIXELS == settings.CATALOGUE_MAX_IMAGE_PIXELS < PILLOW_SHIPPED_LIMIT


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_with_too_many_pixels_is_refused_in_chinese(admin):
    # A real image just over the limit (1-bit, so it stays a few MB in memory).
    width = 8000
    height = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS // width + 1
    response = add_image(admin, "huge.png", image_bytes("PNG", (width, height), mode="1"))
    errors = file_errors(response)
    assert "图片像素过多" in errors
    assert f"{settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS}" in errors
    assert not get_image_model().objects.exists()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("side", [7000, 100_000], ids=["over-limit", "over-bomb-limit"])
def test_crafted_header_with_huge_dimensions_is_refused_before_decoding(admin, side):
    response = add_image(admin, "bomb.png", png_header_only(side, side))
    assert "图片像素过多" in file_errors(response)
    assert not get_image_model().objects.exists()


# --- SVG --------------------------------------------------------------------------------------


def test_svg_is_not_an_allowed_upload():
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert "svg" not in settings.WAGTAILDOCS_EXTENSIONS


def test_svg_image_upload_is_refused(admin):
    assert "不支持的图片格式" in file_errors(add_image(admin, "logo.svg", SVG))
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("name", ["logo.svg", "logo.txt", "page.csv"])
def test_svg_document_upload_is_refused(admin, name):
    errors = file_errors(add_document(admin, name, SVG))
    assert "不支持的文档格式" in errors or "文件内容与扩展名不符" in errors
    assert not get_document_model().objects.exists()


# --- documents sniffed by their bytes -----------------------------------------------------------


def xlsx_bytes():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def test_every_allowed_document_extension_has_a_byte_rule():
    assert set(settings.WAGTAILDOCS_EXTENSIONS) <= set(DOCUMENT_SIGNATURES)


@pytest.mark.parametrize(
    "name,content",
    [
        pytest.param("plan.pdf", PDF, id="pdf"),
        pytest.param("roster.xlsx", xlsx_bytes(), id="xlsx"),
        pytest.param("名单.csv", "姓名,电话\n张三,138****0000\n".encode("gb18030"), id="gbk-csv"),
        pytest.param("readme.txt", "开放时间：9:00–17:00\n".encode(), id="utf8-txt"),
        pytest.param("note.rtf", rb"{\rtf1\ansi hello}", id="rtf"),
    ],
)
def test_documents_whose_bytes_match_are_stored(admin, name, content):
    response = add_document(admin, name, content)
    assert response.status_code == 302, file_errors(response)
    assert get_document_model().objects.get().file.read() == content


@pytest.mark.parametrize(
    "name,content,actual",
    [
        pytest.param("report.pdf", ELF, "elf", id="elf-as-pdf"),
        pytest.param("report.docx", xlsx_bytes(), "xlsx", id="xlsx-as-docx"),
        pytest.param("report.zip", PDF, "pdf", id="pdf-as-zip"),
        pytest.param("data.csv", ELF, "elf", id="binary-as-csv"),
        pytest.param("data.csv", b"a,b\x00\x01", "无法识别的内容", id="nul-bytes-as-csv"),
        pytest.param(
            "page.txt", b"<!DOCTYPE html><script>x</script>", "无法识别", id="html-as-txt"
        ),
        pytest.param("report.pdf", b"just text", "无法识别", id="text-as-pdf"),
    ],
)
def test_documents_whose_bytes_disagree_are_refused(admin, name, content, actual):
    errors = file_errors(add_document(admin, name, content))
    assert "文件内容与扩展名不符" in errors
    assert actual in errors
    assert not get_document_model().objects.exists()


def test_document_type_not_allowed_is_refused(admin):
    errors = file_errors(add_document(admin, "setup.exe", ELF))
    assert "不支持的文档格式“.exe”" in errors
    assert not get_document_model().objects.exists()


def test_multiple_document_uploader_sniffs_too(admin):
    response = add_document(admin, "report.pdf", ELF, view="wagtaildocs:add_multiple")
    answer = response.json()
    assert answer["success"] is False
    assert "文件内容与扩展名不符" in answer["error_message"]
    assert not get_document_model().objects.exists()

    response = add_document(admin, "plan.pdf", PDF, view="wagtaildocs:add_multiple")
    assert response.json()["success"] is True
    assert get_document_model().objects.get().title == "plan.pdf"


# --- private documents and the S3 store (moto server over HTTP) -------------------------------


def fetch(url):
    """GET `url` directly (no proxy); returns the status, HTTP errors included."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_private_document_on_s3_is_refused_to_anonymous_and_never_public(admin, request):
    bucket = request.getfixturevalue("s3_storage")
    response = add_document(admin, "plan.pdf", PDF)  # through the admin form, onto S3
    assert response.status_code == 302
    document = get_document_model().objects.get()
    assert bucket.object_keys() == [document.file.name]
    CollectionViewRestriction.objects.create(
        collection=admin.collection, restriction_type=CollectionViewRestriction.LOGIN
    )

    # Pages link the serve view, which checks the collection's restriction ...
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"
    assert document.url == reverse("wagtaildocs_serve", args=[document.pk, document.filename])
    refused = Client().get(document.url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("wagtailcore_login"))
    assert bucket.url not in refused["Location"]

    # ... and streams the file itself, under a CSP that runs nothing, to those allowed.
    served = admin.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF
    assert served["Content-Security-Policy"] == "default-src 'none'"
    assert served["X-Content-Type-Options"] == "nosniff"

    # The object itself is private: no grant to everyone, refused without a signature, and the
    # storage's own URL is signed and short-lived.
    client = bucket.endpoint.client
    for acl in (
        client.get_bucket_acl(Bucket=bucket.name),
        client.get_object_acl(Bucket=bucket.name, Key=document.file.name),
    ):
        grantees = {grant["Grantee"].get("URI", "") for grant in acl["Grants"]}
        assert not any(uri.endswith(("/AllUsers", "/AuthenticatedUsers")) for uri in grantees)
    signed = document.file.storage.url(document.file.name)
    query = parse_qs(urlsplit(signed).query)
    assert "X-Amz-Signature" in query
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert fetch(signed.split("?")[0])[0] == 403
    assert fetch(signed) == (200, PDF)


def deployed_s3_settings(monkeypatch, bucket):
    """portal/settings/base.py evaluated as a deployment with MEDIA_STORAGE=s3 would see it."""
    environment = {
        "MEDIA_STORAGE": "s3",
        "S3_ENDPOINT_URL": bucket.url,
        "S3_BUCKET": bucket.name,
        "S3_ACCESS_KEY_ID": S3_ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": S3_SECRET_KEY,
    }
    for name in (
        "S3_CONNECT_TIMEOUT",
        "S3_READ_TIMEOUT",
        "S3_MAX_ATTEMPTS",
        "S3_URL_EXPIRE_SECONDS",
    ):
        monkeypatch.delenv(name, raising=False)  # the shipped defaults
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "portal" / "settings" / "base.py"))


def test_s3_settings_reach_the_storage_client(monkeypatch, request):
    bucket = request.getfixturevalue("s3_bucket")
    deployed = deployed_s3_settings(monkeypatch, bucket)
    default = deployed["STORAGES"]["default"]
    storage = import_string(default["BACKEND"])(**default["OPTIONS"])
    assert isinstance(storage, S3Storage)

    # Short timeouts and few attempts, on the client the storage really uses.
    client_config = storage.connection.meta.client.meta.config
    assert client_config.connect_timeout <= 5
    assert client_config.read_timeout <= 10
    assert client_config.retries["total_max_attempts"] <= 3
    assert client_config.signature_version == "s3v4"
    assert storage.querystring_auth is True
    assert storage.querystring_expire <= 300
    assert storage.default_acl is None

    # Never overwrite: the same name twice is two objects, the first unchanged.
    assert storage.file_overwrite is False
    first = storage.save("docs/plan.txt", ContentFile(b"first"))
    second = storage.save("docs/plan.txt", ContentFile(b"second"))
    assert first != second
    assert bucket.get(first) == b"first"
    assert bucket.get(second) == b"second"
