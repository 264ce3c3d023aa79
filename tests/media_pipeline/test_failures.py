"""Bad input ends 失败 with a Chinese reason, and nothing of the attempt stays in storage."""

import pytest
from pypdf import PdfWriter

from media_pipeline import video
from media_pipeline.errors import ProcessingError
from media_pipeline.models import Status
from media_pipeline.processing import process
from tests.resources.factories import make_asset

from . import media

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(2000)
SCRIPT = b'#!/bin/sh\n# totally a video\nrm -rf "$HOME"\n'


def first_30_percent(path):
    data = path.read_bytes()
    return data[: len(data) * 3 // 10]


def assert_failed(row, reason):
    assert row.status == Status.FAILED
    assert reason in row.error
    assert not row.renditions.exists()
    assert media.stored_files() == []


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        # The index (moov) of a plain MP4 is at its end: cut, it is not recognisable at all.
        ("cut.mp4", lambda clips: first_30_percent(clips["hd"]), "无法识别的媒体文件"),
        # A faststart MP4 keeps its index: cut, it claims 6 s but only the start decodes.
        ("cut-faststart.mp4", lambda c: first_30_percent(c["faststart"]), "文件不完整"),
        ("program.mp4", lambda clips: ELF, "无法识别的媒体文件"),
        ("script.mp4", lambda clips: SCRIPT, "无法识别的媒体文件"),
        ("empty.mp4", lambda clips: b"", "文件是空的"),
        ("tone.mp3", lambda clips: clips["tone"].read_bytes(), "没有视频画面"),
    ],
)
def test_bad_video_fails_with_a_reason_and_leaves_nothing(
    owner, local_storage, clips, name, content, reason
):
    asset = make_asset(owner, content=content(clips), filename=name, kind="video")
    assert_failed(process(asset), reason)


def test_audio_without_sound_fails(owner, local_storage, tmp_path):
    silent_film = media.make_clip(tmp_path / "silent.mp4", seconds=1, audio=False)
    assert_failed(process(media.store(owner, silent_film, "audio")), "没有音频内容")


def test_a_pdf_with_more_pages_than_allowed_is_refused(owner, local_storage, clips, settings):
    settings.MEDIA_PDF_MAX_PAGES = 2
    row = process(media.store(owner, clips["pdf"], "document"))
    assert_failed(row, "PDF 共 3 页，超过允许的 2 页上限")


def test_a_pdf_with_a_bomb_sized_page_is_refused(owner, local_storage, tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=500_000, height=500_000)
    path = tmp_path / "huge.pdf"
    writer.write(path)
    assert_failed(process(media.store(owner, path, "document")), "PDF 第一页尺寸异常")


def test_a_broken_pdf_is_refused(owner, local_storage):
    asset = make_asset(owner, content=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert_failed(process(asset), "PDF 文件已损坏")


def test_a_failure_after_uploads_deletes_what_the_attempt_stored(
    owner, local_storage, clips, monkeypatch
):
    stored_before_failing = []

    def broken_stills(*args):
        stored_before_failing.extend(media.stored_files())
        raise ProcessingError("无法从视频中截取画面，文件可能已损坏。")

    monkeypatch.setattr(video, "_stills", broken_stills)
    row = process(media.store(owner, clips["small"], "video"))
    assert any(name.endswith("/360p/index.m3u8") for name in stored_before_failing)
    assert any(name.endswith("/video.mp4") for name in stored_before_failing)
    assert_failed(row, "无法从视频中截取画面")


def test_a_failed_reprocessing_removes_the_earlier_renditions(
    owner, local_storage, clips, django_capture_on_commit_callbacks
):
    asset = media.store(owner, clips["small"], "video")
    assert process(asset).status == Status.READY
    assert media.stored_files()
    # The stored original is replaced by garbage under the same name.
    with open(local_storage / asset.file.name, "wb") as handle:
        handle.write(SCRIPT)
    with django_capture_on_commit_callbacks(execute=True):
        row = process(asset)
    assert_failed(row, "无法识别的媒体文件")
