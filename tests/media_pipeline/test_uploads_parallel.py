"""Parts on their way side by side: the server takes any part within MEDIA_UPLOAD_PARALLEL_PARTS
of the first missing one, in any order, and assembles them by number; a part claimed but not yet
written is not counted as received."""

import io

import pytest
from django.db import connection

from media_pipeline import uploads
from media_pipeline.upload_models import UploadSession
from media_pipeline.upload_storage import parts_backend
from resources.models import MediaAsset

from .upload_client import chunks, send_in_window, sha256

MIB = 1024 * 1024


def send(session, number, data):
    return uploads.receive_part(session, number, io.BytesIO(data), len(data), sha256(data))


@pytest.mark.django_db
@pytest.mark.usefixtures("local_storage", "small_chunks")
def test_parts_within_the_window_arrive_in_any_order(uploader, venues, clips, settings):
    settings.MEDIA_UPLOAD_PARALLEL_PARTS = 3
    data = clips["small"].read_bytes()
    started = uploader.start(venues["a"], file_name="乱序.mp4", size=len(data)).json()
    assert started["parallel_parts"] == 3
    parts = chunks(data, started["chunk_size"])
    assert len(parts) >= 4

    third = uploader.put(started["id"], 3, parts[2]).json()
    assert third["next_part"] == 1  # part 1 is still missing
    assert uploader.put(started["id"], 2, parts[1]).status_code == 200
    assert uploader.put(started["id"], 4, parts[3]).status_code == 409  # 1 missing: 1..3 only
    assert uploader.put(started["id"], 1, parts[0]).json()["next_part"] == 4
    for number in range(4, len(parts) + 1):
        assert uploader.put(started["id"], number, parts[number - 1]).status_code == 200

    body = uploader.complete(started["id"]).json()
    assert body["status"] == "completed", body["error"]
    asset = MediaAsset.objects.get(pk=body["asset"]["id"])
    assert asset.sha256 == sha256(data)
    assert asset.file.read() == data


@pytest.mark.django_db
@pytest.mark.usefixtures("local_storage", "small_chunks")
def test_a_claimed_part_whose_write_failed_is_sent_again(uploader, venues, editor_a, clips):
    data = clips["small"].read_bytes()
    started = uploader.start(venues["a"], file_name="断线.mp4", size=len(data)).json()
    parts = chunks(data, started["chunk_size"])
    session = UploadSession.objects.get(pk=started["id"])
    # The number is claimed, then the worker dies before the bytes are written.
    uploads._claim_part(session, 1, len(parts[0]), sha256(parts[0]))

    status = uploader.status(started["id"]).json()
    assert (status["received_parts"], status["received_bytes"]) == ([], 0)
    refused = uploader.client.post(f"/api/v1/media/uploads/{started['id']}/complete")
    assert refused.status_code == 400 and "缺少第 1、" in refused.json()["detail"]

    for number, part in enumerate(parts, start=1):
        assert uploader.put(started["id"], number, part).status_code == 200
    body = uploader.complete(started["id"]).json()
    assert body["status"] == "completed", body["error"]
    assert MediaAsset.objects.get(pk=body["asset"]["id"]).file.read() == data


def parallel_upload(session, data):
    parts = chunks(data, session.chunk_size)
    return send_in_window(
        lambda number: send(session, number, parts[number - 1]),
        len(parts),
        uploads.parallel_parts(),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("where", ["local", "s3"])
def test_parts_sent_in_parallel_assemble_into_the_file(where, request):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: the parallel path is exercised on PostgreSQL")
    venues, editor_a = request.getfixturevalue("venues"), request.getfixturevalue("editor_a")
    if where == "s3":
        bucket = request.getfixturevalue("s3_storage")
        request.getfixturevalue("settings").MEDIA_UPLOAD_CHUNK_SIZE = 5 * MIB
        size = 3 * 5 * MIB + 12345  # S3's parts are 5 MiB at least
    else:
        request.getfixturevalue("local_storage")
        request.getfixturevalue("small_chunks")
        size = 40 * 64 * 1024 + 999
    data = (b"culturehall-" * (size // 12 + 1))[:size]
    session = uploads.create_session(
        editor_a, venue=venues["a"], title="并行", kind="document", file_name="p.pdf", size=size
    )
    assert session.part_count >= 4

    assert parallel_upload(session, data) == []

    assert list(session.stored_parts().values_list("number", flat=True)) == list(
        range(1, session.part_count + 1)
    )
    # Assembled as completion does (its content check would refuse these bytes, no PDF).
    backend = parts_backend()
    backend.assemble(session, list(session.stored_parts()))
    with backend.open(session) as stored:
        assert b"".join(stored.chunks()) == data
    if where == "s3":
        uploads_left = bucket.endpoint.client.list_multipart_uploads(Bucket=bucket.name)
        assert uploads_left.get("Uploads", []) == []
        assert bucket.object_keys() == [session.storage_key]
