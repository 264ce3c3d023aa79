"""The Content-Security-Policy breaks nothing in a real browser: public pages and the admin's
page editor (Wagtail's inline scripts), dashboard (ECharts) and coverage map run without a
single violation. Drives Debian's Chromium (tests/browser.py)."""

import pytest
from django.test import Client

from tests.browser import chromium_page
from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def admin_session(network):
    """A hub administrator's session cookie and the pages to open, built before the browser."""
    client = Client()
    client.force_login(make_user("hub-admin", superuser=True))
    venue_page = network["pukou"].page
    pages = [
        "/",
        venue_page.url,
        "/search/?q=书法",
        "/admin/",
        f"/admin/pages/{venue_page.pk}/edit/",
        "/admin/network/coverage/",
        "/admin/metrics/dashboard/",
    ]
    return client.cookies["sessionid"].value, pages


def test_pages_run_without_policy_violations(live_server, admin_session):
    session_id, pages = admin_session
    violations = []
    with chromium_page() as page:
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.context.add_cookies(
            [{"name": "sessionid", "value": session_id, "url": live_server.url}]
        )
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            assert response.headers["content-security-policy"]
            page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)
