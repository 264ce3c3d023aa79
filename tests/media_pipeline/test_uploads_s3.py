"""Chunked uploads to S3 over HTTP against moto's server: the parts are a real multipart upload
to the asset's key, completed or aborted by S3; nothing stays behind."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from media_pipeline.models import Status, UploadSession
from media_pipeline.upload_cleanup import cleanup
from resources.models import MediaAsset

from .upload_client import Uploader, chunks, executable_bytes, make_noisy_clip, sha256

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def noisy_clip(tmp_path_factory):
    return make_noisy_clip(tmp_path_factory.mktemp("noisy") / "noisy.mp4", seconds=2)


def multipart_uploads(bucket):
    answer = bucket.endpoint.client.list_multipart_uploads(Bucket=bucket.name)
    return answer.get("Uploads", [])


def test_an_interrupted_upload_to_s3_resumes_and_leaves_no_parts_behind(
    uploader, venues, editor_a, noisy_clip, s3_storage, django_capture_on_commit_callbacks
):
    data = noisy_clip.read_bytes()
    assert len(data) > 10 * MIB  # three parts of S3's smallest size at least
    session = uploader.start(venues["a"], file_name="演出.mp4", size=len(data)).json()
    assert session["chunk_size"] == 8 * MIB  # settings.MEDIA_UPLOAD_CHUNK_SIZE
    parts = chunks(data, session["chunk_size"])
    assert uploader.put(session["id"], 1, parts[0]).status_code == 200

    (upload,) = multipart_uploads(s3_storage)
    key = UploadSession.objects.get(pk=session["id"]).storage_key
    assert upload["Key"] == key
    listed = s3_storage.endpoint.client.list_parts(
        Bucket=s3_storage.name, Key=key, UploadId=upload["UploadId"]
    )
    assert [part["Size"] for part in listed["Parts"]] == [8 * MIB]
    assert s3_storage.object_keys() == []  # nothing is an object until S3 assembles it

    browser = Client()
    browser.force_login(editor_a)
    resumed = Uploader(browser, django_capture_on_commit_callbacks)
    status = resumed.status(session["id"]).json()
    assert status["received_parts"] == [1]
    for number in range(2, status["part_count"] + 1):
        assert resumed.put(session["id"], number, parts[number - 1]).status_code == 200
    body = resumed.complete(session["id"]).json()
    assert body["status"] == "completed", body["error"]

    assert multipart_uploads(s3_storage) == []
    asset = MediaAsset.objects.get(pk=body["asset"]["id"])
    assert asset.file.name == key
    assert sha256(s3_storage.get(key)) == sha256(data) == asset.sha256
    assert asset.processing.status == Status.READY, asset.processing.error

    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert s3_storage.object_keys() == []


def test_an_aborted_upload_leaves_no_multipart_upload_and_no_object(
    uploader, venues, noisy_clip, s3_storage
):
    data = noisy_clip.read_bytes()
    session = uploader.start(venues["a"], file_name="a.mp4", size=len(data)).json()
    uploader.put(session["id"], 1, chunks(data, session["chunk_size"])[0])
    assert len(multipart_uploads(s3_storage)) == 1
    assert uploader.abort(session["id"]).status_code == 204
    assert multipart_uploads(s3_storage) == []
    assert s3_storage.object_keys() == []


def test_an_executable_renamed_mp4_is_refused_and_removed_from_the_bucket(
    uploader, venues, s3_storage
):
    data = executable_bytes()
    body = uploader.upload(venues["a"], data, file_name="电影.mp4").json()
    assert body["status"] == "rejected"
    assert "文件内容与扩展名不符" in body["error"]
    assert multipart_uploads(s3_storage) == []
    assert s3_storage.object_keys() == []
    assert not MediaAsset.objects.exists()


def test_a_duplicate_in_s3_is_linked_and_its_copy_deleted(uploader, venues, clips, s3_storage):
    data = clips["pdf"].read_bytes()
    first = uploader.upload(venues["a"], data, file_name="a.pdf", kind="document").json()
    second = uploader.upload(venues["a"], data, file_name="b.pdf", kind="document").json()
    assert second["duplicate"] and second["asset"]["id"] == first["asset"]["id"]
    originals = [key for key in s3_storage.object_keys() if key.startswith("assets/")]
    assert originals == [MediaAsset.objects.get().file.name]


def test_cleanup_aborts_expired_and_orphan_multipart_uploads(
    uploader, venues, noisy_clip, s3_storage
):
    data = noisy_clip.read_bytes()
    session = uploader.start(venues["a"], file_name="a.mp4", size=len(data)).json()
    uploader.put(session["id"], 1, chunks(data, session["chunk_size"])[0])
    # A multipart upload no session knows of (its session row was never written).
    s3_storage.endpoint.client.create_multipart_upload(Bucket=s3_storage.name, Key="assets/x.mp4")
    assert len(multipart_uploads(s3_storage)) == 2

    report = cleanup(now=timezone.now() + timedelta(days=4))
    assert report.expired == ["a.mp4"] and report.orphans == ["assets/x.mp4"]
    assert multipart_uploads(s3_storage) == []
    assert s3_storage.object_keys() == []
