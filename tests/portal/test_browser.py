"""A resident on a phone finds a township branch and its opening hours, in a real browser.

Drives Debian's Chromium (/usr/bin/chromium, installed by `make chromium`); never downloads one.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; serialized_rollback restores what migrations created
    # (Wagtail's root page, collections, permissions) for the tests that run after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def phone_page():
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    # while one runs (SynchronousOnlyOperation). So the test body only drives the browser:
    # the data is built by fixtures set up before, and flushed by teardowns run after, this one.
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
        )
        page = context.new_page()
        # Closed network: nothing may be fetched from anywhere but the live server.
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("http://localhost", "http://127.0.0.1"))
                else route.abort()
            ),
        )
        yield page
        context.close()
        browser.close()


def _fits_phone_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_resident_finds_branch_opening_hours_on_a_phone(live_server, network, phone_page):
    page = phone_page
    failed_requests = []
    page.on("requestfailed", lambda request: failed_requests.append(request.url))

    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    # The stylesheet applied: body text of at least 18px, no sideways scrolling on a phone.
    body_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_size >= 18
    assert _fits_phone_width(page)
    assert "7" in page.locator("#venue-count").inner_text()  # the fixture network has 7 venues
    _shoot(page, "home-phone.png")

    page.locator("#directory-link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="场馆导航", level=1).is_visible()
    # Grouped by district, the hub's district first.
    districts = page.locator("section.district h2").all_inner_texts()
    assert districts[0] == "天元区"
    assert set(districts) == {"天元区", "醴陵市", "攸县"}
    pukou_entry = page.locator('[data-venue="liling-pukou"]')
    assert "分馆" in pukou_entry.locator(".badge").inner_text()
    assert "每周开放 56 小时" in pukou_entry.inner_text()
    assert _fits_phone_width(page)
    _shoot(page, "directory-phone.png")

    pukou_entry.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="醴陵市文化馆浦口分馆", level=1).is_visible()

    # The breadcrumb shows where the branch sits in the venue tree.
    crumbs = page.get_by_role("navigation", name="当前位置").get_by_role("link")
    assert crumbs.all_inner_texts() == ["首页", "株洲市群众艺术馆", "醴陵市文化馆"]

    hours = page.locator("#opening-hours")
    assert hours.is_visible()
    assert "每周开放 56 小时，其中免费 56 小时" in hours.locator("#weekly-hours").inner_text()
    rows = hours.locator("tbody tr")
    assert rows.count() == 7
    assert rows.locator("th").all_inner_texts()[0].startswith("周一")
    assert rows.locator("th").all_inner_texts()[6].startswith("周日")
    for i in range(7):
        cell = rows.nth(i).locator("td").inner_text()
        assert "09:00–17:00" in cell
        assert "免费" in cell

    # The service point below the branch is linked from it.
    child = page.locator("#child-venues").get_by_role("link", name="石门村服务点")
    assert child.is_visible()
    assert _fits_phone_width(page)
    _shoot(page, "venue-phone.png")

    # Keyboard users get a working skip link with a visible focus outline.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible()
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"

    assert failed_requests == []
