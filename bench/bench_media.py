"""Benchmark: the media pipeline against the tools it drives, in one run.

    .venv/bin/python bench/bench_media.py [transcode] [upload]

A throw-away test database (SQLite file unless DATABASE_URL says otherwise) with two venues.

1. Transcoding: a generated 60-second 1920×1080 30 fps clip with audio, as a MediaAsset in local
   storage (a temporary MEDIA_ROOT), through media_pipeline.processing.process (probe, copy,
   HLS ladder, MP4 remux, poster, thumbnails, storing, database rows), against the same ffmpeg
   commands (built with media_pipeline.video's builders for the rungs the pipeline chose) run
   directly with subprocess. Order baseline, pipeline, baseline; compared with the mean
   baseline. Goal: ratio ≤ 1.10.
2. Upload of a 500 MiB file to a moto S3 server over HTTP (moto.server.ThreadedMotoServer, the
   storage configured as tests/s3.py does): the pipeline's chunked upload service in-process
   (create_session → receive_part for every part with its SHA-256, up to
   MEDIA_UPLOAD_PARALLEL_PARTS at once in the window upload.js keeps → request_completion → the
   parts assembled with CompleteMultipartUpload) against boto3 upload_file (default
   TransferConfig: 8 MB parts, 10 threads), boto3 before and after. The bytes are random, so the completion task's
   content check (which would refuse them) is not run: timed is the transfer, not the check.
   Goal: ratio ≤ 1.25. Extra line: the same upload through /api/v1/media/uploads with Django's
   test client (in-process WSGI, no sockets), parts in the same window.
"""

import hashlib
import io
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

CLIP_SECONDS = 60
UPLOAD_BYTES = 500 * 1024 * 1024
MIB = 1024 * 1024
GOAL_TRANSCODE = 1.10
GOAL_UPLOAD = 1.25
API = "/api/v1/media/uploads"


def verdict(passed, label):
    print(f"  {'PASS' if passed else 'MISS'}: {label}")


# --- transcoding ---------------------------------------------------------------------------


def make_clip(path):
    from media_pipeline import ffmpeg

    video = f"testsrc2=size=1920x1080:rate=30:duration={CLIP_SECONDS}"
    audio = f"sine=frequency=440:sample_rate=48000:duration={CLIP_SECONDS}"
    ffmpeg.run(
        ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio]
        + ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        + ["-c:a", "aac", "-shortest", str(path)]
    )


def direct_commands(source, work):
    """Every ffmpeg command processing runs for `source`, with its global options, in order."""
    from media_pipeline import ffmpeg, profiles
    from media_pipeline.probe import probe
    from media_pipeline.video import hls_variant_args, mp4_remux_args, still_args

    found = probe(source)
    rungs = profiles.ladder_for(found.width, found.height)
    rate = profiles.output_frame_rate(found.frame_rate)
    commands = [hls_variant_args(source, found, rung, rate, work / rung.name) for rung in rungs]
    commands.append(mp4_remux_args(work / rungs[-1].name, work / "video.mp4"))
    poster_at = found.duration * profiles.POSTER_AT
    commands.append(still_args(source, found, poster_at, rungs[-1].short_side, work / "p.jpg"))
    for number, at in enumerate(profiles.THUMBNAILS_AT, start=1):
        side, output = profiles.THUMBNAIL_SHORT_SIDE, work / f"{number}.jpg"
        commands.append(still_args(source, found, found.duration * at, side, output))
    prefix = [ffmpeg.ffmpeg_binary(), "-hide_banner", "-nostdin", "-nostats"]
    prefix += ["-loglevel", "error", "-filter_threads", ffmpeg.threads(), "-y"]
    return [prefix + args for args in commands], [rung.name for rung in rungs]


def children_cpu():
    """CPU seconds of the finished child processes (the ffmpeg runs): less sensitive than wall
    time to other work on a shared box."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_direct(source, tmp):
    work = tmp / "direct"
    commands, rungs = direct_commands(source, work)
    for name in rungs:
        (work / name).mkdir(parents=True)
    started, cpu = time.perf_counter(), children_cpu()
    for command in commands:
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL)
    seconds, cpu = time.perf_counter() - started, children_cpu() - cpu
    shutil.rmtree(work)
    return seconds, cpu, rungs


def bench_transcoding(tmp, venue):
    from django.conf import settings

    from media_pipeline import profiles
    from media_pipeline.models import RenditionKind, Status
    from media_pipeline.processing import process
    from tests.media_pipeline.media import store

    source = tmp / "clip.mp4"
    make_clip(source)
    asset = store(venue, source, "video", title="基准测试视频")  # processing queued, not run
    size = source.stat().st_size / MIB
    print(
        f"== transcoding: {CLIP_SECONDS} s 1920x1080 30 fps + AAC ({size:.0f} MiB), preset "
        f"{settings.MEDIA_X264_PRESET}, {settings.MEDIA_FFMPEG_THREADS} ffmpeg threads =="
    )
    first, first_cpu, rungs = run_direct(source, tmp)
    started, cpu = time.perf_counter(), children_cpu()
    row = process(asset)
    pipeline, cpu = time.perf_counter() - started, children_cpu() - cpu
    second, second_cpu, _rungs = run_direct(source, tmp)
    made = sorted(r.name for r in row.renditions.filter(kind=RenditionKind.HLS_VARIANT))
    if row.status != Status.READY or made != sorted(rungs):
        raise RuntimeError(f"pipeline ended {row.status} ({row.error}), rungs {made} vs {rungs}")
    baseline = (first + second) / 2
    ratio = pipeline / baseline
    print(
        f"  rungs {', '.join(rungs)} + MP4 remux + poster + {len(profiles.THUMBNAILS_AT)} thumbnails"
    )
    print(f"  direct ffmpeg     {first:7.1f} s, {second:.1f} s after (mean {baseline:.1f} s)")
    print(f"  pipeline process  {pipeline:7.1f} s   ratio {ratio:.3f}")
    base_cpu = (first_cpu + second_cpu) / 2
    print(
        f"  ffmpeg CPU time: direct {first_cpu:.1f} s, {second_cpu:.1f} s; pipeline {cpu:.1f} s"
        f"   ratio {cpu / base_cpu:.3f}; load average now {os.getloadavg()[0]:.1f}"
    )
    verdict(ratio <= GOAL_TRANSCODE, f"transcoding pipeline/direct {ratio:.3f} <= {GOAL_TRANSCODE}")
    return ratio <= GOAL_TRANSCODE


# --- upload to S3 --------------------------------------------------------------------------


def make_file(path):
    with open(path, "wb") as handle:
        for _ in range(UPLOAD_BYTES // (8 * MIB)):
            handle.write(os.urandom(8 * MIB))
        handle.write(os.urandom(UPLOAD_BYTES % (8 * MIB)))


def read_part(path, info, number):
    chunk = info["chunk_size"]
    with open(path, "rb") as handle:
        return os.pread(handle.fileno(), chunk, (number - 1) * chunk)


def pipeline_upload(path, venue, user):
    """The chunked upload service in-process, parts sent as upload.js sends them (as many at
    once as settings.MEDIA_UPLOAD_PARALLEL_PARTS allows); returns the session, assembled."""
    from media_pipeline import uploads
    from media_pipeline.upload_storage import parts_backend
    from tests.media_pipeline.upload_client import send_in_window

    session = uploads.create_session(
        user,
        venue=venue,
        title="基准上传",
        kind="video",
        file_name="bench.mp4",
        size=path.stat().st_size,
    )
    info = {"chunk_size": session.chunk_size}

    def send(number):
        data = read_part(path, info, number)
        checksum = hashlib.sha256(data).hexdigest()
        uploads.receive_part(session, number, io.BytesIO(data), len(data), checksum)

    errors = send_in_window(send, session.part_count, uploads.parallel_parts())
    assert not errors, errors
    session = uploads.request_completion(session)
    parts_backend().assemble(session, list(session.stored_parts()))
    return session


def http_upload(path, venue, user):
    """The same through the API with Django's test client (a client per sending thread)."""
    from django.test import Client

    from media_pipeline.upload_models import UploadSession
    from media_pipeline.upload_storage import parts_backend
    from tests.media_pipeline.upload_client import send_in_window

    client = Client()
    client.force_login(user)
    body = {"venue": venue.code, "title": "基准上传", "kind": "video", "file_name": "bench.mp4"}
    created = client.post(API, body | {"size": path.stat().st_size}, "application/json")
    assert created.status_code == 201, created.content
    info = created.json()
    senders = threading.local()

    def send(number):
        if not hasattr(senders, "client"):
            senders.client = Client()
            senders.client.force_login(user)
        data = read_part(path, info, number)
        answer = senders.client.put(
            f"{API}/{info['id']}/parts/{number}",
            data,
            "application/octet-stream",
            headers={"X-Chunk-SHA256": hashlib.sha256(data).hexdigest()},
        )
        assert answer.status_code == 200, answer.content

    errors = send_in_window(send, info["part_count"], info["parallel_parts"])
    assert not errors, errors
    assert client.post(f"{API}/{info['id']}/complete").status_code == 202
    session = UploadSession.objects.get(pk=info["id"])
    parts_backend().assemble(session, list(session.stored_parts()))
    return session


def empty(client, bucket):
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
    for upload in client.list_multipart_uploads(Bucket=bucket).get("Uploads", []):
        client.abort_multipart_upload(Bucket=bucket, Key=upload["Key"], UploadId=upload["UploadId"])


def bench_upload(tmp, venue, user):
    import boto3
    from botocore.config import Config
    from django.conf import settings
    from django.test import override_settings
    from moto.server import ThreadedMotoServer

    from tests.s3 import ACCESS_KEY, REGION, SECRET_KEY, s3_storage_options

    path = tmp / "upload.bin"
    make_file(path)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url, bucket = f"http://{host}:{port}", f"culturehall-bench-{uuid.uuid4().hex[:8]}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
        config=Config(s3={"addressing_style": "path"}),
    )
    client.create_bucket(Bucket=bucket)
    storages = {"BACKEND": "storages.backends.s3.S3Storage"}
    storages["OPTIONS"] = s3_storage_options(SimpleNamespace(name=bucket, url=url))
    print(f"== upload: {UPLOAD_BYTES / MIB:.0f} MiB of random bytes to moto S3 at {url} ==")

    def timed(upload):
        started = time.perf_counter()
        upload()
        seconds = time.perf_counter() - started
        empty(client, bucket)  # moto keeps objects in memory
        return UPLOAD_BYTES / MIB / seconds

    try:
        with override_settings(
            STORAGES={**settings.STORAGES, "default": storages}, MEDIA_STORAGE="s3"
        ):
            first = timed(lambda: client.upload_file(str(path), bucket, "bench/boto3.bin"))
            pipeline = timed(lambda: pipeline_upload(path, venue, user))
            second = timed(lambda: client.upload_file(str(path), bucket, "bench/boto3.bin"))
            http = timed(lambda: http_upload(path, venue, user))
    finally:
        empty(client, bucket)
        client.delete_bucket(Bucket=bucket)
        server.stop()
        path.unlink()
    baseline = (first + second) / 2
    ratio = baseline / pipeline  # time ratio = inverse of the throughput ratio
    chunk = settings.MEDIA_UPLOAD_CHUNK_SIZE // MIB
    width = settings.MEDIA_UPLOAD_PARALLEL_PARTS
    print(f"  boto3 upload_file      {first:7.1f} MiB/s, {second:.1f} after (mean {baseline:.1f})")
    print(
        f"  pipeline, in-process   {pipeline:7.1f} MiB/s   ratio {ratio:.3f} ({chunk} MiB parts, {width} at once)"
    )
    print(f"  pipeline, API (client) {http:7.1f} MiB/s   ratio {baseline / http:.3f} (extra)")
    verdict(ratio <= GOAL_UPLOAD, f"upload time pipeline/boto3 {ratio:.3f} <= {GOAL_UPLOAD}")
    return ratio <= GOAL_UPLOAD


def main():
    from bench_import import setup_django

    wanted = set(sys.argv[1:]) or {"transcode", "upload"}  # e.g. bench_media.py upload

    with tempfile.TemporaryDirectory(prefix="bench-media-") as name:
        tmp = Path(name)
        connection, old_name = setup_django(tmp)
        try:
            from django.test import override_settings

            from tests.factories import editor_of
            from tests.resources.factories import make_two_venues

            with override_settings(MEDIA_ROOT=str(tmp / "media")):
                venue = make_two_venues()["a"]
                user = editor_of(venue)
                print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs")
                if "transcode" in wanted:
                    bench_transcoding(tmp, venue)
                if "upload" in wanted:
                    bench_upload(tmp, venue, user)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
