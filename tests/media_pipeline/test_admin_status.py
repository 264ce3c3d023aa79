"""The admin's media asset listing: a 处理状态 column with the percentage or the failure reason,
and a retry button that queues a failed asset again."""

from functools import partial

import pytest
from django.urls import reverse

from media_pipeline.models import AssetProcessing, Status
from media_pipeline.tasks import process_asset
from tests.factories import editor_of, make_user
from tests.resources.factories import make_asset

pytestmark = pytest.mark.django_db

LIST_URL = reverse("wagtailsnippets_resources_mediaasset:list")
REASON = "文件中没有视频画面；如果这是音频文件，请把类型改为“音频”后重试。"


def retry_url(asset):
    return reverse("wagtailsnippets_resources_mediaasset:retry_processing", args=[asset.pk])


def set_state(asset, status, **fields):
    AssetProcessing.objects.filter(asset=asset).update(status=status, **fields)


@pytest.fixture
def assets(network, local_storage):
    liling, youxian = network["liling"], network["youxian"]
    made = {
        "working": make_asset(liling, title="排练录像", kind="video", filename="a.mp4"),
        "failed": make_asset(liling, title="坏掉的录像", kind="video", filename="b.mp4"),
        "theirs": make_asset(youxian, title="攸县录像", kind="video", filename="c.mp4"),
        "image": make_asset(liling, title="海报", kind="image", filename="p.png"),
    }
    set_state(made["working"], Status.PROCESSING, progress=37)
    set_state(made["failed"], Status.FAILED, error=REASON)
    set_state(made["theirs"], Status.FAILED, error=REASON)
    return made


def test_the_listing_shows_progress_reasons_and_retry_buttons(client, network, assets):
    client.force_login(editor_of(network["liling"]))
    html = client.get(LIST_URL).content.decode()
    assert "处理状态" in html
    assert "处理中 37%" in html and 'value="37"' in html
    assert REASON in html
    assert "待处理 0%" in html  # the image, waiting for its WebP/AVIF renditions
    # A retry button for the venue's own failed asset only.
    assert retry_url(assets["failed"]) in html
    assert retry_url(assets["theirs"]) not in html


def test_the_status_column_costs_no_query_per_row(client, network, assets):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor_of(network["liling"]))
    client.get(LIST_URL)  # per-user caches warmed

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST_URL).status_code == 200
        return len(captured)

    before = queries()
    for number in range(5):
        extra = make_asset(network["liling"], kind="video", filename=f"x{number}.mp4")
        set_state(extra, Status.FAILED, error=REASON)
    assert queries() == before


def test_retry_queues_a_failed_asset(client, network, assets, django_capture_on_commit_callbacks):
    client.force_login(editor_of(network["liling"]))
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(retry_url(assets["failed"]), HTTP_REFERER=f"{LIST_URL}?kind=video")
    assert response.status_code == 302 and response["Location"] == f"{LIST_URL}?kind=video"
    row = AssetProcessing.objects.get(asset=assets["failed"])
    assert (row.status, row.error, row.attempts) == (Status.PENDING, "", 0)
    assert [
        c.args for c in callbacks if isinstance(c, partial) and c.func == process_asset.enqueue
    ] == [(assets["failed"].pk,)]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["已将“坏掉的录像”重新加入处理队列。"]


def test_retry_is_refused_where_it_does_not_apply(client, network, assets):
    client.force_login(editor_of(network["liling"]))
    assert client.get(retry_url(assets["failed"])).status_code == 405
    denied = client.post(retry_url(assets["theirs"]))  # Wagtail turns 403 into a redirect
    assert denied.status_code == 302 and denied["Location"] == reverse("wagtailadmin_home")
    assert AssetProcessing.objects.get(asset=assets["theirs"]).status == Status.FAILED
    response = client.post(retry_url(assets["working"]), HTTP_REFERER="https://evil.example/")
    assert response["Location"] == LIST_URL  # never back to another site
    assert AssetProcessing.objects.get(asset=assets["working"]).status == Status.PROCESSING

    owner_only = make_asset(network["youxian"], kind="video", filename="d.mp4", visibility="owner")
    assert client.post(retry_url(owner_only)).status_code == 404

    client.force_login(make_user("hub-admin", superuser=True))
    assert client.post(retry_url(assets["theirs"])).status_code == 302
    assert AssetProcessing.objects.get(asset=assets["theirs"]).status == Status.PENDING
