"""The media store (S3, moto's server over HTTP) down or hung: uploads fail within seconds with a
503 saying so in Chinese and leave no row without its file nor file without its row; background
work waits for the store instead of failing; public pages still render."""

import io
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from media_pipeline.models import AssetProcessing, Status, UploadedPart, UploadSession
from media_pipeline.processing import process
from media_pipeline.storage_faults import RETRY_DELAY
from media_pipeline.tasks import process_asset, resume_stale
from media_pipeline.upload_cleanup import COMPLETING_STALE, cleanup
from portal.models import VenuePage
from resources.models import MediaAsset
from tests.factories import make_image
from tests.media_pipeline import media
from tests.media_pipeline.upload_client import chunks

from .stores import unreachable
from .worker_settings import TASKS as DATABASE_TASKS

pytestmark = pytest.mark.django_db

# A refused connection fails at once (one retry after a back-off under a second); a hung store
# is given the read timeout on each attempt (with settings.S3_CLIENT_CONFIG's defaults: 2 × 3 s).
CONFIG = settings.S3_CLIENT_CONFIG
BOUND = {
    "down": 5.0,
    "slow": CONFIG.retries["total_max_attempts"] * (CONFIG.read_timeout + 1.0) + 1.5,
}
MESSAGE = "媒体存储服务暂时无法连接"


def _png(size):
    """An uncompressed PNG of `size`² pixels (3 bytes each); a gradient, quick to process."""
    buffer = io.BytesIO()
    image = PILImage.linear_gradient("L").resize((size, size)).convert("RGB")
    image.save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def _multipart_uploads(bucket):
    return bucket.endpoint.client.list_multipart_uploads(Bucket=bucket.name).get("Uploads", [])


def _timed(call):
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


@pytest.mark.parametrize("how", ["down", "slow"])
def test_starting_an_upload_answers_503_within_seconds(how, uploader, venues, media_on_s3):
    with unreachable(media_on_s3, how):
        answer, seconds = _timed(
            lambda: uploader.start(venues["a"], file_name="海报.png", kind="image", size=1000)
        )
    assert answer.status_code == 503
    assert MESSAGE in answer.json()["detail"]
    assert answer["Retry-After"] == "60"
    assert seconds < BOUND[how], f"{how}: answered after {seconds:.1f} s"
    assert UploadSession.objects.count() == 0
    assert _multipart_uploads(media_on_s3) == []


def test_an_upload_interrupted_by_the_store_going_down_completes_once_it_is_back(
    uploader, venues, media_on_s3
):
    data = _png(1700)  # 8.7 MB: two parts, as S3 parts are 8 MiB here
    session = uploader.start(venues["a"], file_name="海报.png", kind="image", size=len(data))
    session = session.json()
    first, second = chunks(data, session["chunk_size"])
    assert uploader.put(session["id"], 1, first).status_code == 200

    with unreachable(media_on_s3, "down"):
        refused, seconds = _timed(lambda: uploader.put(session["id"], 2, second))
    assert refused.status_code == 503 and MESSAGE in refused.json()["detail"]
    assert seconds < BOUND["down"]
    # The refused part is not recorded; the stored one is in S3's multipart upload.
    assert list(UploadedPart.objects.values_list("number", flat=True)) == [1]
    (multipart,) = _multipart_uploads(media_on_s3)
    listed = media_on_s3.endpoint.client.list_parts(
        Bucket=media_on_s3.name, Key=multipart["Key"], UploadId=multipart["UploadId"]
    )
    assert [part["PartNumber"] for part in listed["Parts"]] == [1]

    assert uploader.put(session["id"], 2, second).status_code == 200
    with unreachable(media_on_s3, "down"):
        waiting = uploader.complete(session["id"]).json()
    # Not the file's fault: it waits, neither rejected nor an asset without its file.
    assert waiting["status"] == "completing" and waiting["error"] == ""
    assert MediaAsset.objects.count() == 0

    # The store is back; the periodic cleanup requeues the completion.
    later = timezone.now() + COMPLETING_STALE + timedelta(seconds=1)
    with uploader.capture(execute=True):
        assert cleanup(now=later).requeued == ["海报.png"]
    done = uploader.status(session["id"]).json()
    assert done["status"] == "completed", done["error"]
    asset = MediaAsset.objects.get()
    assert media_on_s3.get(asset.file.name) == data
    assert _multipart_uploads(media_on_s3) == []
    originals = [key for key in media_on_s3.object_keys() if not key.startswith("renditions/")]
    assert originals == [asset.file.name]  # one row, one file


def test_processing_waits_for_the_store_instead_of_failing(
    venues, media_on_s3, tmp_path, django_capture_on_commit_callbacks
):
    photo = media.make_photo(tmp_path / "photo.jpg", size=(640, 480))
    asset = media.store(venues["a"], photo, "image")  # its queued processing is not run yet

    with unreachable(media_on_s3, "down"):
        row, seconds = _timed(lambda: process(asset))
        assert row.status == Status.PENDING  # 待处理 again, not 失败
        assert MESSAGE in row.error
        assert row.attempts == 0  # an outage does not use up the asset's attempts
        assert seconds < BOUND["down"]
        # The periodic resume runs it again; the store is still down, so it waits again.
        with django_capture_on_commit_callbacks(execute=True):
            assert resume_stale(timedelta(0)) == [asset.pk]
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.PENDING, 0)

    with django_capture_on_commit_callbacks(execute=True):
        assert resume_stale(timedelta(0)) == [asset.pk]
    row = AssetProcessing.objects.get(asset=asset)
    assert row.status == Status.READY, row.error
    assert (row.attempts, row.error) == (1, "")
    stored = set(media_on_s3.object_keys())
    assert set(row.renditions.values_list("path", flat=True)) <= stored
    # Nothing but the original and this run's renditions: no leftovers of the failed runs.
    assert all(key.startswith(row.output_prefix) for key in stored - {asset.file.name})


@pytest.mark.parametrize("kind", ["image", "document"])
def test_wagtail_uploads_answer_503_and_store_nothing(kind, admin_client, media_on_s3):
    if kind == "image":
        model, url = get_image_model(), reverse("wagtailimages:add")
        upload = SimpleUploadedFile("海报.png", _png(8), content_type="image/png")
    else:
        model, url = get_document_model(), reverse("wagtaildocs:add")
        upload = SimpleUploadedFile("说明.txt", "文化馆".encode(), content_type="text/plain")
    before = model.objects.count()
    with unreachable(media_on_s3, "down"):
        answer, seconds = _timed(
            lambda: admin_client.post(url, {"title": "海报", "file": upload, "collection": 1})
        )
    assert answer.status_code == 503
    assert MESSAGE in answer.content.decode()
    assert seconds < BOUND["down"]
    assert model.objects.count() == before
    assert media_on_s3.object_keys() == []


def test_a_public_page_with_an_image_renders_while_the_store_is_down(client, venues, media_on_s3):
    page = VenuePage.objects.get(venue=venues["a"])
    cover = make_image(venues["a"].collection, "封面")
    page.cover = cover
    page.save_revision().publish()
    assert media_on_s3.object_keys() == [cover.file.name]  # no rendition made yet

    with unreachable(media_on_s3, "down"):
        answer, seconds = _timed(lambda: client.get(page.url))
    assert answer.status_code == 200
    assert page.title in answer.content.decode()
    assert seconds < BOUND["down"] + 1

    # Once the store is back the rendition is made as usual.
    assert client.get(page.url).status_code == 200
    assert len(media_on_s3.object_keys()) == 2


def test_with_the_database_worker_postponed_processing_is_queued_a_minute_later(
    venues, media_on_s3, tmp_path
):
    photo = media.make_photo(tmp_path / "photo.jpg", size=(64, 48))
    asset = media.store(venues["a"], photo, "image")
    with override_settings(TASKS=DATABASE_TASKS), unreachable(media_on_s3, "down"):
        before = timezone.now()
        assert process_asset.call(asset.pk) == Status.PENDING
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="process_asset")
    assert queued.args_kwargs["args"] == [asset.pk]
    assert queued.run_after - before >= RETRY_DELAY
