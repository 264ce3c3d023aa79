"""Chunked uploads to local storage: interrupted and resumed, assembled, checked, processed;
duplicates linked; aborts and the cleanup leave nothing behind."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from media_pipeline.models import Status, UploadSession, UploadStatus
from media_pipeline.upload_cleanup import cleanup
from media_pipeline.upload_storage import staging_dir
from resources.models import MediaAsset
from tests.resources.factories import make_asset

from . import media
from .upload_client import Uploader, chunks, sha256

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_storage", "small_chunks")]


def test_an_interrupted_upload_resumes_and_the_video_becomes_ready(
    uploader, venues, editor_a, clips, django_capture_on_commit_callbacks
):
    data = clips["small"].read_bytes()
    created = uploader.start(venues["a"], file_name="排练.mp4", size=len(data))
    assert created.status_code == 201
    session = created.json()
    parts = chunks(data, session["chunk_size"])
    assert session["part_count"] == len(parts) >= 4
    assert session["received_parts"] == []
    for number in (1, 2):
        assert uploader.put(session["id"], number, parts[number - 1]).status_code == 200

    # The browser is closed; a new one logs in and asks where the upload stands.
    browser = Client()
    browser.force_login(editor_a)
    resumed = Uploader(browser, django_capture_on_commit_callbacks)
    status = resumed.status(session["id"]).json()
    assert status["received_parts"] == [1, 2]
    assert status["received_bytes"] == len(parts[0]) + len(parts[1])
    for number in range(len(status["received_parts"]) + 1, status["part_count"] + 1):
        answer = resumed.put(session["id"], number, parts[number - 1])
        assert answer.status_code == 200, answer.json()
    assert answer.json()["next_part"] is None

    done = resumed.complete(session["id"])
    assert done.status_code == 200, done.json()
    body = done.json()
    assert (body["status"], body["status_label"], body["duplicate"]) == (
        "completed",
        "已完成",
        False,
    )

    asset = MediaAsset.objects.get(pk=body["asset"]["id"])
    assert (asset.owner, asset.title, asset.kind) == (venues["a"], "排练录像", "video")
    assert (asset.file_size, asset.sha256) == (len(data), sha256(data))
    assert asset.content_type == "video/mp4"
    with asset.file.open("rb") as stored:
        assert sha256(stored.read()) == sha256(data)
    assert asset.processing.status == Status.READY, asset.processing.error
    assert (asset.processing.width, asset.processing.height) == (640, 360)
    assert list(staging_dir().iterdir()) == []  # the staging file became the asset's file


def test_a_part_sent_twice_is_stored_once(uploader, venues, clips):
    data = clips["tone"].read_bytes()
    session = uploader.start(venues["a"], file_name="tone.mp3", size=len(data), kind="audio")
    session = session.json()
    first = chunks(data, session["chunk_size"])[0]
    assert uploader.put(session["id"], 1, first).status_code == 200
    again = uploader.put(session["id"], 1, first)  # the answer to the first try was lost
    assert again.status_code == 200
    assert uploader.status(session["id"]).json()["received_parts"] == [1]
    changed = uploader.put(session["id"], 1, b"x" + first[1:])
    assert changed.status_code == 409
    assert "已接收过，但内容不同" in changed.json()["detail"]


def test_a_duplicate_links_the_existing_asset_and_stores_nothing(uploader, venues, clips):
    data = clips["pdf"].read_bytes()
    existing = make_asset(venues["a"], content=data, filename="old.pdf", title="旧单页")
    done = uploader.upload(venues["a"], data, file_name="单页.pdf", kind="document")
    body = done.json()
    assert (body["status"], body["duplicate"]) == ("completed", True)
    assert body["asset"]["id"] == existing.pk
    assert MediaAsset.objects.count() == 1
    assert media.stored_files("assets") == [existing.file.name]


def test_duplicates_across_venues_link_only_what_the_venue_may_use(uploader, venues, clips):
    data = clips["pdf"].read_bytes()
    shared = make_asset(venues["b"], content=data, filename="b.pdf", visibility="staff")
    linked = uploader.upload(venues["a"], data, file_name="a.pdf", kind="document").json()
    assert linked["asset"]["id"] == shared.pk and linked["duplicate"]

    shared.visibility = "owner"  # venue B's own: not A's to use, nor to know about
    shared.save()
    stored = uploader.upload(venues["a"], data, file_name="a.pdf", kind="document").json()
    assert not stored["duplicate"]
    assert MediaAsset.objects.get(pk=stored["asset"]["id"]).owner == venues["a"]


def test_aborting_removes_the_parts(uploader, venues, clips):
    data = clips["small"].read_bytes()
    session = uploader.start(venues["a"], file_name="a.mp4", size=len(data)).json()
    uploader.put(session["id"], 1, chunks(data, session["chunk_size"])[0])
    assert [path.name for path in staging_dir().iterdir()] == [f"{session['id']}.part"]
    assert uploader.abort(session["id"]).status_code == 204
    assert list(staging_dir().iterdir()) == []
    assert uploader.status(session["id"]).json()["status_label"] == "已放弃"
    late = uploader.put(session["id"], 2, chunks(data, session["chunk_size"])[1])
    assert late.status_code == 409 and "已放弃" in late.json()["detail"]


def test_cleanup_expires_idle_uploads_and_removes_orphan_staging_files(uploader, venues, clips):
    data = clips["small"].read_bytes()
    session = uploader.start(venues["a"], file_name="a.mp4", size=len(data)).json()
    uploader.put(session["id"], 1, chunks(data, session["chunk_size"])[0])
    orphan = staging_dir() / "00000000-0000-0000-0000-000000000000.part"
    orphan.write_bytes(b"left by a crash")

    later = timezone.now() + timedelta(days=4)
    report = cleanup(now=later)
    assert report.expired == ["a.mp4"]
    assert report.orphans == [orphan.name]
    assert list(staging_dir().iterdir()) == []
    expired = UploadSession.objects.get(pk=session["id"])
    assert expired.status == UploadStatus.EXPIRED and not expired.parts.exists()
    output = io.StringIO()
    call_command("cleanup_uploads", stdout=output)
    assert "过期 0 个" in output.getvalue()


def test_an_idle_upload_expires_when_it_is_next_used(uploader, venues, clips):
    data = clips["small"].read_bytes()
    session = uploader.start(venues["a"], file_name="a.mp4", size=len(data)).json()
    parts = chunks(data, session["chunk_size"])
    uploader.put(session["id"], 1, parts[0])
    UploadSession.objects.filter(pk=session["id"]).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    late = uploader.put(session["id"], 2, parts[1])
    assert late.status_code == 410 and late.json()["detail"] == "该上传任务已过期，请重新上传。"
    status = uploader.status(session["id"]).json()
    assert (status["status"], status["received_parts"]) == ("expired", [])
    assert list(staging_dir().iterdir()) == []
