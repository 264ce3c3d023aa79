"""Fixtures of the media pipeline tests: media made once per session, local or S3 storage, and
fast encoder settings."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from tests.s3 import moto_server, s3_bucket, s3_storage  # noqa: F401  (fixtures)

from . import media
from .upload_client import editor_a, small_chunks, uploader, venues  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _fast_encoding(settings):
    settings.MEDIA_X264_PRESET = "ultrafast"  # the tests check structure, not quality
    settings.MEDIA_FFMPEG_THREADS = 2


@pytest.fixture
def local_storage(settings, tmp_path):
    """Default storage on local disk in a temporary MEDIA_ROOT; returns that directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_STORAGE = "local"
    settings.MEDIA_ROOT = tmp_path / "media"
    assert isinstance(default_storage, FileSystemStorage)
    return settings.MEDIA_ROOT


@pytest.fixture
def owner(db):
    from tests.resources.factories import make_two_venues

    return make_two_venues()["a"]


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Source media, generated once: a 10 s 720p30 video with sound (three 4 s segments), a
    4 s 360p25 one (no 720p rung may appear), a 2 s 60 fps one, a 3 s MP3, a 3-page PDF and a
    1200×800 JPEG."""
    folder = tmp_path_factory.mktemp("clips")
    return {
        "hd": media.make_clip(folder / "hd.mp4", seconds=10, size="1280x720"),
        "small": media.make_clip(folder / "small.mp4", seconds=4, rate=25),
        "fast": media.make_clip(folder / "fast.mp4", seconds=2, size="320x180", rate=60),
        "faststart": media.make_clip(folder / "faststart.mp4", seconds=6, faststart=True),
        "tone": media.make_tone(folder / "tone.mp3", seconds=3),
        "pdf": media.make_pdf(folder / "leaflet.pdf", pages=3),
        "photo": media.make_photo(folder / "photo.jpg", size=(1200, 800)),
    }
