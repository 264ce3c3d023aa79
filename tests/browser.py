"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium (installed by
`make chromium`), never a downloaded one, on a closed network.

Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls while
one runs (SynchronousOnlyOperation). So a browser test builds its data in fixtures set up before
the browser starts, and its body only drives the browser.
"""

import shutil
import time
from contextlib import contextmanager
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
LOCAL_ORIGINS = ("http://localhost", "http://127.0.0.1")


@contextmanager
def chromium_page(*, phone=False, extra_args=()):
    """A new page in a fresh browser, as a phone (390 × 844, touch) when asked. Nothing may be
    fetched from anywhere but the live server."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    device = (
        {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
        if phone
        else {}
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
        )
        context = browser.new_context(locale="zh-CN", **device)
        page = context.new_page()
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(LOCAL_ORIGINS) else route.abort()
            ),
        )
        try:
            yield page
        finally:
            context.close()
            browser.close()


def wait_for_js(page, expression, timeout=20_000):
    """page.wait_for_function for pages under the Content-Security-Policy: that one compiles
    its predicate inside the page, which the policy refuses ('unsafe-eval'). page.evaluate runs
    through the DevTools protocol, outside the page's policy."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} ms: {expression}")
        page.wait_for_timeout(100)


def fits_phone_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
