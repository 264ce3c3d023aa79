"""A resident on a phone finds a township branch and its opening hours, in a real browser.

Drives Debian's Chromium (/usr/bin/chromium, installed by `make chromium`); never downloads one.
"""

import pytest

from tests.browser import chromium_page, fits_phone_width, shoot

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; serialized_rollback restores what migrations created
    # (Wagtail's root page, collections, permissions) for the tests that run after this one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def phone_page():
    with chromium_page(phone=True) as page:
        yield page


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
    assert fits_phone_width(page)
    assert "7" in page.locator("#venue-count").inner_text()  # the fixture network has 7 venues
    shoot(page, "home-phone.png")

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
    assert fits_phone_width(page)
    shoot(page, "directory-phone.png")

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
    assert fits_phone_width(page)
    shoot(page, "venue-phone.png")

    # Keyboard users get a working skip link with a visible focus outline.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.is_visible()
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"

    assert failed_requests == []
