"""Driving /api/v1/media/uploads from tests as upload.js does: a session, then the chunks in
order with their SHA-256, then completion (with the on-commit work run, so the completion task
and the processing it queues happen inline)."""

import hashlib
import sys
import threading
from pathlib import Path

import pytest
from django.db import connections

from media_pipeline import ffmpeg
from tests.factories import editor_of
from tests.resources.factories import make_two_venues

API = "/api/v1/media/uploads"


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def chunks(data, size):
    return [data[start : start + size] for start in range(0, len(data), size)]


def send_in_window(send_one, count, width):
    """send_one(n) for parts 1..count from `width` threads, never starting part n while a part
    before n - width + 1 is unanswered: the window upload.js keeps. Returns the errors."""
    lock = threading.Condition()
    answered, errors = set(), []
    state = {"next": 1, "first_missing": 1}

    def take():
        with lock:
            while not errors and state["next"] <= count:
                if state["next"] < state["first_missing"] + width:
                    state["next"] += 1
                    return state["next"] - 1
                lock.wait()
            return None

    def answer(number, error=None):
        with lock:
            if error is not None:
                errors.append(repr(error))
            answered.add(number)
            while state["first_missing"] in answered:
                state["first_missing"] += 1
            lock.notify_all()

    def worker():
        try:
            while (number := take()) is not None:
                try:
                    send_one(number)
                except BaseException as error:  # noqa: BLE001 - returned to the caller
                    answer(number, error)
                else:
                    answer(number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(width)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def executable_bytes():
    """The start of a real executable (the running Python), to be renamed .mp4."""
    return Path(sys.executable).resolve().read_bytes()[:300_000]


def make_noisy_clip(path, *, seconds):
    """A video that barely compresses (lossless noise), for files above S3's 5 MiB part size:
    about 6 MB a second."""
    source = f"testsrc2=size=640x360:rate=25:duration={seconds},noise=alls=60:allf=t+u"
    ffmpeg.run(
        ["-f", "lavfi", "-i", source, "-f", "lavfi", "-i", f"sine=duration={seconds}"]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p"]
        + ["-c:a", "aac", "-shortest", str(path)]
    )
    return Path(path)


class Uploader:
    def __init__(self, client, capture):
        self.client = client
        self.capture = capture  # django_capture_on_commit_callbacks

    def start(self, venue, *, file_name, size, kind="video", title="排练录像", **extra):
        body = {"venue": venue.code, "title": title, "kind": kind, "file_name": file_name}
        body.update(size=size, **extra)
        return self.client.post(API, body, content_type="application/json")

    def put(self, session_id, number, data, checksum=None):
        return self.client.put(
            f"{API}/{session_id}/parts/{number}",
            data,
            content_type="application/octet-stream",
            headers={"X-Chunk-SHA256": sha256(data) if checksum is None else checksum},
        )

    def status(self, session_id):
        return self.client.get(f"{API}/{session_id}")

    def complete(self, session_id):
        """Ask for completion, let the completion task (and the processing it queues) run, and
        return the session's status after that."""
        with self.capture(execute=True):
            answer = self.client.post(f"{API}/{session_id}/complete")
        assert answer.status_code == 202, answer.json()
        assert answer.json()["status"] == "completing"
        return self.status(session_id)

    def abort(self, session_id):
        return self.client.delete(f"{API}/{session_id}")

    def upload(self, venue, data, *, file_name, kind="video", **extra):
        """The whole upload in one go; returns the completion response."""
        created = self.start(venue, file_name=file_name, size=len(data), kind=kind, **extra)
        assert created.status_code == 201, created.json()
        session = created.json()
        for number, chunk in enumerate(chunks(data, session["chunk_size"]), start=1):
            answer = self.put(session["id"], number, chunk)
            assert answer.status_code == 200, answer.json()
        return self.complete(session["id"])


@pytest.fixture
def venues(db):
    return make_two_venues()


@pytest.fixture
def editor_a(venues):
    return editor_of(venues["a"])


@pytest.fixture
def uploader(client, editor_a, django_capture_on_commit_callbacks):
    client.force_login(editor_a)
    return Uploader(client, django_capture_on_commit_callbacks)


@pytest.fixture
def small_chunks(settings):
    settings.MEDIA_UPLOAD_CHUNK_SIZE = 64 * 1024  # several parts for a small local clip
