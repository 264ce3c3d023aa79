import pytest
from django.test import RequestFactory

from metrics.buffer import buffer
from metrics.rules import is_bot
from metrics.services import record

from .conftest import BROWSER

BOTS = [
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "",
]
PEOPLE = [
    BROWSER,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0",
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
]


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_are_not_recorded(user_agent):
    request = RequestFactory().get("/", HTTP_USER_AGENT=user_agent)
    assert is_bot(user_agent)
    assert record("page_view", request=request) is False
    assert len(buffer) == 0


@pytest.mark.parametrize("user_agent", PEOPLE)
def test_browsers_are_recorded_with_an_anonymous_visitor(user_agent):
    request = RequestFactory().get("/", HTTP_USER_AGENT=user_agent, REMOTE_ADDR="10.1.2.3")
    assert not is_bot(user_agent)
    assert record("page_view", request=request) is True
    (event,) = buffer._events
    # An HMAC of address, browser and day: the same visitor today, but not who they are.
    assert len(event["visitor"]) == 32 and "10.1.2.3" not in event["visitor"]
