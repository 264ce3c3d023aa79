"""A processed video's page plays in headless Chromium over HLS, and seeking to the middle works:
with the browser's own HLS (Chromium 14x+, Safari) and with hls.js over Media Source Extensions
(what Firefox and older Chromium get; simulated by hiding native HLS from canPlayType).

Drives Debian's Chromium (/usr/bin/chromium, `make chromium`), like tests/portal/test_browser.py;
hls.js is the copy `make install-test` takes from the npm registry.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from media_pipeline.models import AssetProcessing, Status
from media_pipeline.processing import process
from tests.browser import chromium_page, wait_for_js

from . import media
from .playing import long_clip  # noqa: F401

AUTOPLAY = ["--autoplay-policy=no-user-gesture-required"]
HLS_JS = Path(settings.BASE_DIR) / "media_pipeline/static/media_pipeline/vendor/hls.min.js"
VIDEO = "document.querySelector('video.media-player__video')"
# Before player.js runs, the page's HLS link is swapped for one of an earlier, deleted run.
STALE_LINK = """
new MutationObserver((changes, observer) => {
  const video = document.querySelector("video[data-hls]");
  if (!video) return;
  video.dataset.hls = video.dataset.hls.replace(/\\/stream\\/(\\d+)\\/[0-9a-f]{12}\\//, "/stream/$1/0123456789ab/");
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""
WITHOUT_NATIVE_HLS = """
const canPlayType = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "" : canPlayType.call(this, type);
};
"""

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; serialized_rollback restores what migrations created.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def video_page(live_server, network, local_storage, long_clip):  # noqa: F811
    """The page of a processed 9 s video (committed: on_commit runs the immediate task)."""
    asset = media.store(network["liling"], long_clip, "video", title="花鼓戏《刘海砍樵》")
    if AssetProcessing.objects.get(asset=asset).status != Status.READY:
        process(asset)
    assert AssetProcessing.objects.get(asset=asset).status == Status.READY
    return live_server.url + reverse("catalogue:detail", args=["assets", asset.pk])


@pytest.fixture
def browser_page(video_page):
    # The data is built before Playwright's event loop starts (Django refuses ORM calls
    # while one runs in this thread), so this fixture depends on the page's fixture.
    if not HLS_JS.exists():
        pytest.fail(f"{HLS_JS} is missing: run `make install-test` (npm ci)")
    with chromium_page(extra_args=AUTOPLAY) as page:
        yield page


@pytest.mark.parametrize("native_hls", [True, False], ids=["browser-hls", "hls.js"])
def test_a_video_page_plays_over_hls_and_seeks(video_page, browser_page, native_hls):
    page = browser_page
    if not native_hls:
        page.add_init_script(WITHOUT_NATIVE_HLS)
    requested = []
    page.on("requestfinished", lambda request: requested.append(request.url))
    failures = []
    page.on(
        "requestfailed",  # a media stack may cancel a load it restarts: not a failure
        lambda request: request.failure == "net::ERR_ABORTED" or failures.append(request.url),
    )
    page.on("pageerror", lambda error: failures.append(str(error)))

    assert page.goto(video_page).status == 200
    wait_for_js(page, f"{VIDEO}.dataset.engine")
    engine = page.evaluate(f"{VIDEO}.dataset.engine")
    # HLS, never the MP4 fallback: the browser's own where it has it, else hls.js.
    has_native = page.evaluate(f"{VIDEO}.canPlayType('application/vnd.apple.mpegurl')")
    assert engine == ("native" if has_native else "hls.js")
    assert page.evaluate(f"{VIDEO}.getAttribute('poster')").endswith("/poster.jpg")
    # Nothing is streamed before play: a page view is not a play.
    assert not [url for url in requested if "/stream/" in url and "poster" not in url]

    page.evaluate(f"() => {{ const v = {VIDEO}; v.muted = true; return v.play(); }}")
    wait_for_js(page, f"{VIDEO}.currentTime > 1", timeout=20_000)
    assert any(url.endswith("/master.m3u8") for url in requested)
    assert any(url.endswith("/360p/seg_00000.ts") for url in requested)

    duration = page.evaluate(f"{VIDEO}.duration")
    assert duration == pytest.approx(9, abs=0.2)
    page.evaluate(f"() => {{ {VIDEO}.currentTime = {duration / 2}; }}")
    # Playing on from the middle: the position passes it, in the second segment.
    wait_for_js(
        page,
        f"(() => {{ const v = {VIDEO}; return !v.seeking && v.currentTime > {duration / 2 + 0.5}; }})()",
        timeout=20_000,
    )
    assert any(url.endswith("/360p/seg_00001.ts") for url in requested)
    assert failures == []


@pytest.mark.parametrize("native_hls", [True, False], ids=["browser-hls", "hls.js"])
def test_a_stale_link_is_renewed_from_the_api(video_page, browser_page, native_hls):
    """Links stop working (signed ones expire, a reprocessed asset gets a new run): the player
    asks the API for fresh ones and plays on."""
    page = browser_page
    page.add_init_script(STALE_LINK)
    if not native_hls:
        page.add_init_script(WITHOUT_NATIVE_HLS)
    statuses = []
    page.on("response", lambda response: statuses.append((response.url, response.status)))

    assert page.goto(video_page).status == 200
    assert "/0123456789ab/" in page.evaluate(f"{VIDEO}.dataset.hls")
    page.evaluate(f"() => {{ const v = {VIDEO}; v.muted = true; v.play().catch(() => {{}}); }}")
    wait_for_js(page, f"{VIDEO}.currentTime > 1", timeout=20_000)
    assert ("/0123456789ab/master.m3u8", 404) in [
        (url[url.index("/0123") :], status) for url, status in statuses if "/0123" in url
    ]
    assert any("/api/v1/assets/" in url and status == 200 for url, status in statuses)
