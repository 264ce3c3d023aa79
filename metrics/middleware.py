"""Page views, counted for the venue whose subtree holds the page.

Wagtail's before_serve_page hook (wagtail_hooks.py) marks the request with (page, venue); the
mark is copied onto the response, so a response kept by Django's cache middleware carries it
too. Keep this middleware above UpdateCacheMiddleware, so cached answers are counted as well.
"""

from .events import PAGE_VIEW
from .services import record


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        mark = getattr(response, "metrics_page", None)
        if mark is not None and request.method == "GET" and response.status_code == 200:
            page_id, venue_id = mark
            record(PAGE_VIEW, request=request, venue=venue_id, object_key=f"page:{page_id}")
        return response

    def process_template_response(self, request, response):
        # Runs before the response is rendered and cached: the mark goes into the cache with it.
        mark = getattr(request, "metrics_page", None)
        if mark is not None:
            response.metrics_page = mark
        return response
