"""What counts: bots are not visitors, and a visitor's repeated view is one view.

Data, not code: extend the patterns as new crawlers show up in the logs.
"""

import re
from datetime import timedelta
from functools import lru_cache

from .events import PAGE_VIEW

# Matched case-insensitively anywhere in the User-Agent. The generic words catch most crawlers
# (Baiduspider, 360Spider, Sogou web spider, Bytespider, YisouSpider, Googlebot, bingbot…);
# the rest are HTTP libraries, headless browsers and uptime monitors.
BOT_USER_AGENT_PATTERNS = [
    r"bot\b",
    r"bot/",
    r"spider",
    r"crawl",
    r"slurp",
    r"archiver",
    r"facebookexternalhit",
    r"headlesschrome",
    r"phantomjs",
    r"lighthouse",
    r"curl/",
    r"wget/",
    r"python-requests",
    r"python-urllib",
    r"python-httpx",
    r"aiohttp",
    r"go-http-client",
    r"java/",
    r"libwww-perl",
    r"scrapy",
    r"uptimerobot",
    r"pingdom",
    r"zabbix",
    r"check_http",
    r"feedfetcher",
]
# Every browser sends a User-Agent; a request without one is a script.
EMPTY_USER_AGENT_IS_BOT = True

# Event types whose repeats by the same visitor (same session, same page or asset) within the
# window count once. Applied when aggregating (see aggregate.py), so raw events stay complete.
DEDUP_WINDOWS = {PAGE_VIEW: timedelta(minutes=30)}

_BOT_RE = re.compile("|".join(BOT_USER_AGENT_PATTERNS), re.IGNORECASE)


@lru_cache(maxsize=2048)  # a site sees few distinct User-Agents; the regex runs once for each
def is_bot(user_agent):
    if not user_agent:
        return EMPTY_USER_AGENT_IS_BOT
    return _BOT_RE.search(user_agent) is not None
