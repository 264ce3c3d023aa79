"""Helpers of the streaming, API and player tests: processed assets and reading responses."""

from urllib.parse import urlsplit

import pytest

from media_pipeline.models import Status
from media_pipeline.processing import process

from . import media


@pytest.fixture(scope="session")
def long_clip(tmp_path_factory):
    """A 9 s 640×360 video: one HLS rung of three segments (4 s, 4 s, 1 s)."""
    return media.make_clip(tmp_path_factory.mktemp("playing") / "nine.mp4", seconds=9)


def processed(owner, path, kind, **fields):
    """A stored asset of `path`, processed now; fails the test if processing failed."""
    asset = media.store(owner, path, kind, **fields)
    row = process(asset)
    assert row.status == Status.READY, row.error
    asset.refresh_from_db()
    return asset


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def uri_lines(playlist):
    return [line for line in playlist.splitlines() if line and not line.startswith("#")]


def site_path(url):
    """A URL without scheme and host, for the test client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
