"""Which venue a served page counts for, without a query per view.

A page belongs to the nearest VenuePage above it (PortalPage.owning_venue). Wagtail's tree
paths make that a prefix lookup: the paths of all venue pages (a few hundred) are kept in
memory for VENUE_PATHS_SECONDS, and dropped at once in this process when a venue page is
saved, moved or deleted (other processes catch up within the period).
"""

import time

from wagtail.models import Page

VENUE_PATHS_SECONDS = 300
_cache = {"paths": None, "loaded": 0.0}


def _venue_paths():
    if _cache["paths"] is None or time.monotonic() - _cache["loaded"] > VENUE_PATHS_SECONDS:
        from portal.models import VenuePage

        _cache["paths"] = dict(VenuePage.objects.values_list("path", "venue_id"))
        _cache["loaded"] = time.monotonic()
    return _cache["paths"]


def forget_venue_paths(**kwargs):
    _cache["paths"] = None


def venue_for_page(page):
    """The pk of the venue whose subtree holds `page`, or None (the portal home, say)."""
    paths = _venue_paths()
    for end in range(len(page.path), 0, -Page.steplen):
        venue_id = paths.get(page.path[:end])
        if venue_id is not None:
            return venue_id
    return None
