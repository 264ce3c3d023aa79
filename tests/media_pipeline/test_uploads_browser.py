"""The upload page in headless Chromium: upload.js slices the file, hashes and sends each chunk,
shows its progress, stops when the line fails, and after a reload resumes from the server's
received parts with the same file chosen again, sending only the parts the server lacks.

Drives Debian's Chromium (/usr/bin/chromium, `make chromium`), like tests/portal/test_browser.py.
"""

import re

import pytest
from playwright.sync_api import expect

from media_pipeline.models import Status
from resources.models import MediaAsset
from tests.browser import chromium_page

from .upload_client import sha256

PART_URL = re.compile(r"/api/v1/media/uploads/[0-9a-f-]+/parts/(\d+)$")
SESSION_URL = re.compile(r"/api/v1/media/uploads/[0-9a-f-]+")

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; serialized_rollback restores what migrations created.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("local_storage", "small_chunks"),
]


@pytest.fixture
def session_cookie(client, editor_a):
    client.force_login(editor_a)
    return client.cookies["sessionid"].value


def test_the_page_uploads_in_chunks_and_resumes_after_a_reload(
    live_server, session_cookie, venues, clips
):
    source = clips["small"]
    sent = []
    with chromium_page() as page:
        context = page.context
        context.add_cookies(
            [{"name": "sessionid", "value": session_cookie, "url": live_server.url}]
        )
        session_urls = []
        page.on("request", lambda request: _record_part(request, sent, session_urls))
        answered = []
        page.on("requestfinished", lambda request: _record_part(request, answered))

        # The line drops while the third chunk is on its way (answered as refused, so the page
        # stops at once instead of retrying); the chunks sent beside it may arrive.
        def refuse_third(route):
            if PART_URL.search(route.request.url).group(1) == "3":
                route.fulfill(status=400, json={"detail": "线路中断（测试）"})
            else:
                route.continue_()

        page.route(PART_URL, refuse_third)
        page.goto(live_server.url + "/admin/media/upload/")
        page.set_input_files("input[type=file]", str(source))
        assert page.input_value("[name=title]") == "small"  # from the file name
        assert page.input_value("[name=kind]") == "video"  # from the extension
        page.fill("[name=title]", "戏曲排练")
        page.click("[data-upload-start]")
        message = page.locator("[data-upload-message]")
        expect(message).to_contain_text("线路中断（测试）", timeout=20_000)
        for _ in range(300):  # the chunks sent beside the refused one are answered
            if len(answered) == len(sent):
                break
            page.wait_for_timeout(100)
        first_round = list(sent)
        status = context.request.get(live_server.url + session_urls[0]).json()
        stored = set(status["received_parts"])
        assert 3 in first_round and 3 not in stored and 1 in stored
        assert max(first_round) < 3 + status["parallel_parts"]  # never past the window
        assert page.locator("progress").get_attribute("value") != "0"

        page.unroute(PART_URL)
        page.reload()
        page.set_input_files("input[type=file]", str(source))
        page.fill("[name=title]", "戏曲排练")
        page.click("[data-upload-start]")
        expect(message).to_contain_text("上传成功：《戏曲排练》已保存", timeout=60_000)
        assert page.locator("[data-upload-percent]").inner_text() == "100%"

    # After the reload only the parts the server lacked were sent (a part upload.js retried
    # after a transient refusal counts once).
    missing = [n for n in range(1, status["part_count"] + 1) if n not in stored]
    assert sorted(set(sent[len(first_round) :])) == missing

    asset = MediaAsset.objects.get()
    assert (asset.title, asset.sha256) == ("戏曲排练", sha256(source.read_bytes()))
    assert asset.processing.status == Status.READY, asset.processing.error


def _record_part(request, sent, session_urls=None):
    match = PART_URL.search(request.url)
    if match and request.method == "PUT":
        sent.append(int(match.group(1)))
        if session_urls is not None:
            session_urls.append(SESSION_URL.search(request.url).group(0))
