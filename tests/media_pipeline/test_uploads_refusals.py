"""Bad uploads: each refused with a clear Chinese reason, nothing stored for it, and the session
as it was; plus who may use the upload API at all."""

import pytest
from django.test import Client

from media_pipeline.models import StorageQuota, UploadSession
from media_pipeline.upload_storage import staging_dir
from resources.models import MediaAsset
from tests.factories import editor_of, make_user
from tests.resources.factories import make_asset

from . import media
from .upload_client import API, Uploader, chunks, executable_bytes, sha256

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_storage", "small_chunks")]


@pytest.fixture
def started(uploader, venues, clips):
    """A video upload with its first part received: (session json, its chunks)."""
    data = clips["small"].read_bytes()
    session = uploader.start(venues["a"], file_name="a.mp4", size=len(data)).json()
    parts = chunks(data, session["chunk_size"])
    assert uploader.put(session["id"], 1, parts[0]).status_code == 200
    return session, parts


def only_first_part_staged(session, parts):
    """The staging file (sparse, at the file's size) holds part 1 and nothing after it."""
    staged = (staging_dir() / f"{session['id']}.part").read_bytes()
    first = len(parts[0])
    return staged[:first] == parts[0] and not staged[first:].strip(b"\0")


def received(uploader, session):
    return uploader.status(session["id"]).json()["received_parts"]


def test_a_part_out_of_order_is_refused(uploader, started, settings):
    settings.MEDIA_UPLOAD_PARALLEL_PARTS = 2  # parts 2 and 3 may be on their way together
    session, parts = started
    answer = uploader.put(session["id"], 4, parts[3])
    assert answer.status_code == 409
    assert answer.json()["detail"] == (
        "分片顺序错误：第 2 片还没有收到，最多只能先传到第 3 片，不能跳到第 4 片。"
    )
    assert received(uploader, session) == [1]
    assert only_first_part_staged(session, parts)


def test_a_part_with_a_wrong_checksum_stores_nothing(uploader, started):
    session, parts = started
    answer = uploader.put(session["id"], 2, parts[1], checksum=sha256(b"other bytes"))
    assert answer.status_code == 400
    assert "分片校验失败：第 2 片的内容与校验值不符" in answer.json()["detail"]
    assert received(uploader, session) == [1]
    assert only_first_part_staged(session, parts)
    missing = uploader.client.put(
        f"{API}/{session['id']}/parts/2", parts[1], content_type="application/octet-stream"
    )
    assert missing.status_code == 400 and "X-Chunk-SHA256" in missing.json()["detail"]


def test_a_part_of_the_wrong_size_is_refused(uploader, started):
    session, parts = started
    answer = uploader.put(session["id"], 2, parts[1][:-1])
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("分片大小不正确：第 2 片应为 65536 字节")
    assert received(uploader, session) == [1]


def test_bytes_past_the_declared_size_are_refused(uploader, started):
    session, parts = started
    beyond = uploader.put(session["id"], session["part_count"] + 1, b"x" * 10)
    assert beyond.status_code == 400
    assert "超出文件的声明大小" in beyond.json()["detail"]
    for number in range(2, session["part_count"]):
        uploader.put(session["id"], number, parts[number - 1])
    last = session["part_count"]
    longer = uploader.put(session["id"], last, parts[last - 1] + b"extra")
    assert longer.status_code == 400 and "分片大小不正确" in longer.json()["detail"]


def test_completing_with_missing_parts_is_refused(uploader, started):
    session, _parts = started
    answer = uploader.client.post(f"{API}/{session['id']}/complete")
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("文件还没有传完：缺少第 2、3")
    assert uploader.status(session["id"]).json()["status"] == "uploading"


def test_an_empty_file_or_a_wrong_type_is_refused_before_any_byte(uploader, venues):
    empty = uploader.start(venues["a"], file_name="a.mp4", size=0)
    assert empty.status_code == 400 and empty.json()["detail"] == "文件是空的（0 字节），无法上传。"
    exe = uploader.start(venues["a"], file_name="setup.exe", size=100)
    assert exe.status_code == 400 and "不支持的视频格式“.exe”" in exe.json()["detail"]
    huge = uploader.start(venues["a"], file_name="a.jpg", size=30 * 1024 * 1024, kind="image")
    assert huge.status_code == 400 and huge.json()["detail"].startswith(
        "文件过大：图片文件不能超过"
    )
    assert not UploadSession.objects.exists()


def test_an_executable_renamed_mp4_is_refused_at_completion_and_removed(uploader, venues):
    body = uploader.upload(venues["a"], executable_bytes(), file_name="电影.mp4").json()
    assert body["status"] == "rejected" and body["status_label"] == "未通过检查"
    assert body["error"].startswith("文件内容与扩展名不符：扩展名为“.mp4”，实际内容是elf")
    assert media.stored_files("assets") == []
    assert list(staging_dir().iterdir()) == []
    assert not MediaAsset.objects.exists()


def test_a_header_only_video_is_refused_by_the_probe(uploader, venues, clips):
    data = clips["small"].read_bytes()[:2000]  # an MP4 start: magic numbers pass, no media
    body = uploader.upload(venues["a"], data, file_name="cut.mp4").json()
    assert body["status"] == "rejected"
    assert "无法识别的媒体文件" in body["error"]
    assert media.stored_files("assets") == []


def test_a_whole_file_checksum_that_does_not_match_is_refused(uploader, venues, clips):
    data = clips["pdf"].read_bytes()
    body = uploader.upload(
        venues["a"], data, file_name="a.pdf", kind="document", sha256=sha256(b"else")
    ).json()
    assert body["status"] == "rejected" and "SHA-256 与上传前计算的不一致" in body["error"]
    assert media.stored_files("assets") == []


def test_quota_refuses_before_any_byte_and_again_at_completion(uploader, venues, clips):
    StorageQuota.objects.create(venue=venues["a"], limit_gb=1)
    over = uploader.start(venues["a"], file_name="a.mp4", size=2 * 1024**3)
    assert over.status_code == 413
    detail = over.json()["detail"].replace("\xa0", " ")  # filesizeformat's no-break spaces
    assert detail.startswith(
        "存储空间不足：醴陵市文化馆的配额为 1.0 GB，已使用 0 字节，剩余 1.0 GB"
    )
    assert not UploadSession.objects.exists()

    data = clips["pdf"].read_bytes()
    session = uploader.start(venues["a"], file_name="a.pdf", size=len(data), kind="document")
    session = session.json()
    for number, chunk in enumerate(chunks(data, session["chunk_size"]), start=1):
        uploader.put(session["id"], number, chunk)
    # Meanwhile the venue's other files fill the quota.
    make_asset(venues["a"], content=b"%PDF-1.4 filler", filename="f.pdf")
    MediaAsset.objects.filter(file_size__lt=100).update(file_size=1024**3)
    body = uploader.complete(session["id"]).json()
    assert body["status"] == "rejected" and body["error"].startswith("存储空间不足")
    assert MediaAsset.objects.count() == 1
    assert list(staging_dir().iterdir()) == []


def test_uploads_in_progress_count_against_the_quota(uploader, venues):
    StorageQuota.objects.create(venue=venues["a"], limit_gb=1)
    half = 600 * 1024 * 1024
    assert uploader.start(venues["a"], file_name="a.mp4", size=half).status_code == 201
    second = uploader.start(venues["a"], file_name="b.mp4", size=half)
    assert second.status_code == 413


def test_another_venues_editor_sees_no_session(started, venues, django_capture_on_commit_callbacks):
    session, parts = started
    other = Client()
    other.force_login(editor_of(venues["b"]))
    stranger = Uploader(other, django_capture_on_commit_callbacks)
    for answer in (
        stranger.status(session["id"]),
        stranger.put(session["id"], 2, parts[1]),
        stranger.abort(session["id"]),
        other.post(f"{API}/{session['id']}/complete"),
    ):
        assert answer.status_code == 404
        assert answer.json()["detail"] == "找不到该上传任务。"
    refused = stranger.start(venues["a"], file_name="a.mp4", size=100)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "您没有为“醴陵市文化馆”上传媒体文件的权限。"


def test_anonymous_callers_and_missing_csrf_tokens_are_refused(started, venues):
    session, parts = started
    anonymous = Client()
    assert anonymous.get(f"{API}/{session['id']}").status_code == 401
    answer = anonymous.post(API, {}, content_type="application/json")
    assert answer.status_code == 401 and answer.json()["detail"] == "请先登录管理后台。"

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor_of(venues["a"], "a-editor-2"))
    forged = strict.post(
        API,
        {"venue": "liling-main", "title": "x", "kind": "video", "file_name": "a.mp4", "size": 9},
        content_type="application/json",
    )
    assert forged.status_code == 403 and "CSRF" in forged.json()["detail"]

    nobody = Client()
    nobody.force_login(make_user("resident"))
    refused = Uploader(nobody, None).start(venues["a"], file_name="a.mp4", size=100)
    assert refused.status_code == 403
