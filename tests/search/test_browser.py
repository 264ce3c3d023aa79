"""A resident on a phone types pinyin, picks a suggestion and reads highlighted results."""

import pytest

from tests.browser import fits_phone_width, shoot
from tests.portal.test_browser import phone_page  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_resident_searches_by_pinyin_on_a_phone(live_server, small_catalogue, phone_page):  # noqa: F811
    page = phone_page
    assert page.goto(live_server.url + "/search/").status == 200
    box = page.locator("#search-q")
    box.click()
    box.type("shaoer", delay=30)
    suggestion = page.locator("#search-suggestions li", has_text="少儿书法培训班")
    suggestion.wait_for(timeout=5000)
    suggestion.dispatch_event("mousedown")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("#search-q").input_value() == "少儿书法培训班"
    first = page.locator(".search-result").first
    assert "少儿书法培训班" in first.inner_text()
    assert page.locator(".search-result mark").count() > 0
    # On a phone the results come first and the filters are folded behind one button.
    assert not page.locator(".search-facets").is_visible()
    assert fits_phone_width(page)
    shoot(page, "search-phone.png")

    # A facet narrows the results; the chosen value is marked and can be removed.
    page.goto(live_server.url + "/search/?q=书法")
    page.locator(".search-filters > summary").click()
    page.locator(".search-facets summary", has_text="区县").click()
    page.locator(".facet__value", has_text="攸县").first.click()
    assert page.locator(".search-result").count() == 1
    assert "成人书法提高班" in page.locator(".search-result").first.inner_text()
    assert page.locator(".facet__value.is-selected").count() == 1
