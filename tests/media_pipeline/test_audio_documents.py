"""Audio (AAC rendition + waveform) and documents (PDF page count + first-page preview)."""

import pytest
from django.core.files.storage import default_storage

from media_pipeline.models import RenditionKind, Status
from media_pipeline.probe import probe
from media_pipeline.processing import process
from tests.resources.factories import make_asset

from . import media

pytestmark = pytest.mark.django_db


def test_audio_gets_an_m4a_a_waveform_and_its_duration(owner, local_storage, clips, tmp_path):
    row = process(media.store(owner, clips["tone"], "audio"))
    assert row.status == Status.READY, row.error
    assert (row.audio_codec, row.video_codec, row.width) == ("mp3", "", None)
    assert row.duration == pytest.approx(3, abs=0.1)

    audio = row.renditions.get(kind=RenditionKind.AUDIO)
    assert audio.path.endswith(".m4a")
    found = probe(media.fetch(audio.path, tmp_path))
    assert (found.audio_codec, found.has_video) == ("aac", False)
    assert found.duration == pytest.approx(3, abs=0.1) == audio.duration
    assert 100_000 < found.bitrate < 160_000

    waveform = row.renditions.get(kind=RenditionKind.WAVEFORM)
    data = media.fetch(waveform.path, tmp_path).read_bytes()
    assert (
        media.image_size(data) == ("PNG", (1200, 240)) == ("PNG", (waveform.width, waveform.height))
    )


def test_a_video_uploaded_as_audio_keeps_only_its_sound(owner, local_storage, clips, tmp_path):
    row = process(media.store(owner, clips["small"], "audio"))
    assert row.status == Status.READY, row.error
    assert sorted(row.renditions.values_list("kind", flat=True)) == ["audio", "waveform"]
    found = probe(media.fetch(row.renditions.get(kind="audio").path, tmp_path))
    assert (found.has_video, found.audio_codec) == (False, "aac")


def test_pdf_page_count_and_first_page_preview(owner, local_storage, clips, tmp_path):
    row = process(media.store(owner, clips["pdf"], "document"))
    assert row.status == Status.READY, row.error
    assert row.page_count == 3
    (preview,) = row.renditions.all()
    assert preview.kind == RenditionKind.PDF_PREVIEW
    data = media.fetch(preview.path, tmp_path).read_bytes()
    # 595×842 points with the longer side rendered at 1200 pixels.
    assert (
        media.image_size(data) == ("PNG", (848, 1200)) == ("PNG", (preview.width, preview.height))
    )


def test_a_document_that_is_not_a_pdf_is_ready_without_renditions(owner, local_storage):
    asset = make_asset(owner, content=b"PK\x03\x04" + bytes(100), filename="plan.docx")
    row = process(asset)
    assert row.status == Status.READY
    assert not row.renditions.exists()
    assert row.page_count is None
    assert media.stored_files() == []
    assert default_storage.exists(asset.file.name)
