"""What counts: bots are not visitors, and a visitor's repeated view is one view.

Data, not code: extend the patterns as new crawlers show up in the logs.
"""

import re
from datetime import time, timedelta
from functools import lru_cache

from .events import (
    ASSET_DOWNLOAD,
    ASSET_PLAY,
    ATTENDANCE,
    ENROLMENT,
    LOAN,
    OPENING_CHECKIN,
    ORDER_DELIVERED,
    PAGE_VIEW,
    RATING,
    SEARCH,
    VOLUNTEER_HOURS,
)

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


# When the daily aggregation runs (local time): after midnight, once yesterday is complete.
DAILY_AGGREGATION_AT = time(0, 30)

# Event types counted per object (asset, course, teacher…) each month for the top lists; page
# views are not (too many objects, and the venue rows already say how much each is seen).
OBJECT_RANKED_EVENTS = (ASSET_PLAY, ASSET_DOWNLOAD, ENROLMENT, ATTENDANCE, LOAN, RATING)

# --- the dashboards ---------------------------------------------------------------------------

DASHBOARD_MONTHS = 12  # months shown by the trend charts (the current one included)
DASHBOARD_TOP = 10  # rows of the top lists
DASHBOARD_CACHE_SECONDS = 300  # a chart's rows are reused this long per scope
SCREEN_REFRESH_SECONDS = 300  # the large screen reloads its figures this often
# The trend charts' lines: the public's use of the site, and the services venues provide.
USAGE_TREND_EVENTS = (PAGE_VIEW, SEARCH, ASSET_PLAY, ASSET_DOWNLOAD)
SERVICE_TREND_EVENTS = (ENROLMENT, ATTENDANCE, LOAN, ORDER_DELIVERED, OPENING_CHECKIN)
# The admin home page's key figures (this month so far): counts, except value totals for these.
KEY_FIGURE_EVENTS = (PAGE_VIEW, ASSET_PLAY, ENROLMENT, VOLUNTEER_HOURS)
VALUE_FIGURE_EVENTS = (VOLUNTEER_HOURS,)
