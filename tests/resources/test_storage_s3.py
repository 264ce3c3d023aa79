"""The S3 media path, end to end over HTTP against moto's server (no boto3 patching)."""

import hashlib
import io
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db.models.signals import post_save
from django.db.utils import IntegrityError
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

from resources.models import MediaAsset
from resources.storage import is_s3
from resources.uploads import store_asset
from tests.factories import editor_of

from .test_uploads import ELF_BYTES, PDF_BYTES, make_asset, png_bytes, png_header_bytes, upload

pytestmark = pytest.mark.django_db

# Talk to the loopback server directly, whatever proxy the environment may define.
http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url, headers=None):
    with http.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
        return response.status, response.headers, response.read()


def test_asset_upload_lands_in_the_bucket(network, s3_storage):
    content = png_bytes()
    asset = store_asset(make_asset(network["liling"]), upload("演出.png", content))
    assert is_s3(asset.file.storage)
    assert s3_storage.object_keys() == [asset.file.name]
    assert s3_storage.get(asset.file.name) == content
    assert asset.sha256 == hashlib.sha256(content).hexdigest()
    # file_overwrite is off: the same name again gets a new key, the first object is kept.
    second = store_asset(make_asset(network["liling"]), upload("演出.png", content))
    assert sorted(s3_storage.object_keys()) == sorted([asset.file.name, second.file.name])


def test_wagtail_image_and_rendition_in_the_bucket(
    network, s3_storage, django_capture_on_commit_callbacks
):
    Image = get_image_model()
    image = Image(
        title="舞蹈排练",
        file=ImageFile(io.BytesIO(png_bytes(120, 90)), name="rehearsal.png"),
        collection=network["liling"].collection,
    )
    image.save()
    assert image.file.name in s3_storage.object_keys()

    rendition = image.get_rendition("fill-40x30")
    assert (rendition.width, rendition.height) == (40, 30)
    assert rendition.file.name != image.file.name
    assert rendition.file.name in s3_storage.object_keys()
    assert s3_storage.get(rendition.file.name).startswith(b"\x89PNG")

    # Wagtail 8 deletes image and rendition files with a task after commit (immediate in tests).
    with django_capture_on_commit_callbacks(execute=True):
        image.delete()
    assert s3_storage.object_keys() == []


def test_private_download_redirects_to_a_working_presigned_url(client, network, s3_storage):
    content = png_bytes(100, 80)
    asset = store_asset(
        make_asset(network["liling"], visibility="owner", title="内部资料"),
        upload("inside.png", content),
    )
    client.force_login(editor_of(network["liling"]))
    response = client.get(reverse("resources:asset_file", args=[asset.pk]))

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_storage.url}/{s3_storage.name}/{asset.file.name}?")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert "no-store" in response["Cache-Control"]

    status, headers, data = fetch(location)
    assert status == 200
    assert data == content
    assert headers["Content-Type"] == "image/png"
    assert "inline" in headers["Content-Disposition"]

    # The browser's Range request goes to the endpoint with the presigned URL.
    status, headers, data = fetch(location, {"Range": "bytes=10-29"})
    assert status == 206
    assert data == content[10:30]
    assert headers["Content-Range"] == f"bytes 10-29/{len(content)}"

    # The object itself is not public: without the signature the endpoint refuses.
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(location.split("?")[0])
    assert refused.value.code == 403


def test_private_download_is_404_for_anonymous_and_other_venues(client, network, s3_storage):
    asset = store_asset(
        make_asset(network["liling"], visibility="owner"), upload("x.png", png_bytes(8, 8))
    )
    url = reverse("resources:asset_file", args=[asset.pk])
    assert client.get(url).status_code == 404
    client.force_login(editor_of(network["youxian"]))
    response = client.get(url)
    assert response.status_code == 404
    assert s3_storage.url not in response.content.decode(errors="ignore")


def test_deleting_an_asset_removes_its_object(
    network, s3_storage, django_capture_on_commit_callbacks
):
    keep = store_asset(make_asset(network["liling"]), upload("keep.png", png_bytes(8, 8)))
    gone = store_asset(make_asset(network["liling"]), upload("gone.png", png_bytes(8, 8)))
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    assert s3_storage.object_keys() == [keep.file.name]


@pytest.mark.parametrize(
    ("name", "content", "kind", "code"),
    [
        ("photo.jpg", ELF_BYTES, "image", "mismatch"),
        ("clip.mp4", "纯文本冒充视频".encode() * 100, "video", "mismatch"),
        ("bomb.png", png_header_bytes(40_000, 40_000), "image", "bomb"),
        ("big.pdf", PDF_BYTES + b"0" * 2048, "document", "too_large"),
    ],
)
def test_bad_upload_leaves_no_row_and_no_object(network, s3_storage, name, content, kind, code):
    before = s3_storage.object_keys()
    limits = {"image": 20 * 1024 * 1024, "audio": 1024, "video": 4 * 1024**3, "document": 1024}
    with (
        override_settings(CATALOGUE_UPLOAD_LIMITS=limits),
        pytest.raises(ValidationError) as caught,
    ):
        store_asset(make_asset(network["liling"], kind=kind), upload(name, content))
    assert caught.value.code == code
    message = caught.value.messages[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message  # a Chinese message
    assert not MediaAsset.objects.exists()
    assert s3_storage.object_keys() == before


def test_database_failure_after_upload_removes_the_object(network, s3_storage):
    def fail(sender, instance, **kwargs):
        raise IntegrityError("simulated failure after the object was written")

    post_save.connect(fail, sender=MediaAsset, dispatch_uid="test-fail-asset-save-s3")
    try:
        with pytest.raises(IntegrityError):
            store_asset(make_asset(network["liling"]), upload("a.png", png_bytes(8, 8)))
    finally:
        post_save.disconnect(sender=MediaAsset, dispatch_uid="test-fail-asset-save-s3")
    assert not MediaAsset.objects.exists()
    assert s3_storage.object_keys() == []


def test_documents_in_s3_go_through_the_serve_view_and_respect_collection_restrictions(
    client, network, s3_storage
):
    Document = get_document_model()
    liling = network["liling"]
    document = Document(
        title="年度工作计划",
        file=ContentFile(PDF_BYTES, name="plan.pdf"),
        collection=liling.collection,
    )
    document.save()
    assert document.file.name in s3_storage.object_keys()

    # The document URL is Wagtail's serve view, which streams from S3 instead of redirecting.
    assert document.url == reverse("wagtaildocs_serve", args=[document.pk, document.filename])
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "Location" not in response

    CollectionViewRestriction.objects.create(
        collection=liling.collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    response = client.get(document.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailcore_login"))
    assert s3_storage.url not in response["Location"]

    client.force_login(editor_of(liling))
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
