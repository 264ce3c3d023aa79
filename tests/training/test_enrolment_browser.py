"""A resident on a phone finds a course on the menu and enrols, in a real browser.

Drives Debian's Chromium (/usr/bin/chromium, installed by `make chromium`); never downloads one.
"""

import pytest
from django.test import Client

from tests.browser import PHONE, chromium_page, fits_phone_width
from tests.training.courses import open_course
from tests.training.factories import make_resident

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; serialized_rollback restores what migrations created.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def signed_in_resident(network):
    """A course with places and a resident's session cookie, built before the browser starts
    (Django refuses ORM calls while Playwright's event loop runs in this thread)."""
    course = open_course(network["pukou"], title="少儿书法启蒙", capacity=2)
    resident = make_resident(real_name="刘小明")
    client = Client()
    client.force_login(resident.user)
    return course, client.cookies["sessionid"].value


@pytest.fixture
def phone_page(signed_in_resident):
    with chromium_page(phone=True) as page:
        yield page


def test_resident_enrols_from_a_phone(live_server, signed_in_resident, phone_page):
    course, session_id = signed_in_resident
    page = phone_page
    page.context.add_cookies([{"name": "sessionid", "value": session_id, "url": live_server.url}])

    assert page.goto(live_server.url + "/courses/").status == 200
    assert page.get_by_role("heading", name="课程菜单", level=1).is_visible()
    card = page.locator(f'[data-course="{course.pk}"]')
    assert "剩余 2 个名额" in card.inner_text()
    assert fits_phone_width(page)

    card.get_by_role("link", name="少儿书法启蒙").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="少儿书法启蒙", level=1).is_visible()
    button = page.locator("#enrol-button")
    assert button.inner_text() == "报名"
    assert button.bounding_box()["width"] > PHONE["width"] * 0.7  # a full-width button
    button.click()
    page.wait_for_load_state()

    assert "报名成功！" in page.locator(".notices").inner_text()
    assert "已报名" in page.locator("#enrol-status").inner_text()
    assert "共 2 个，剩余 1 个" in page.locator("#enrol").inner_text()
    assert page.locator("#cancel-button").is_visible()
    assert fits_phone_width(page)

    page.get_by_role("link", name="我的课程与签到码").click()
    page.wait_for_load_state()
    assert page.locator("#check-in-code svg").is_visible()
    assert "少儿书法启蒙" in page.locator("#current-courses").inner_text()
    assert fits_phone_width(page)
