"""Page caching: whole responses for anonymous visitors, fragments through Wagtail's cache tags.

Whole responses (PageCacheMiddleware): a GET of a public Wagtail page by a visitor without a
session cookie is answered from the cache, before sessions, authentication and page routing
run, so a cached page costs about what a trivial view does. Stored only when Wagtail's serve
view answered 200 without setting a cookie (no CSRF token, no session) and without
``Cache-Control: private/no-cache/no-store`` (Wagtail marks every page with view restrictions
so), and only for pages without view restrictions (checked again here): private pages never
reach the shared cache. Previews (Wagtail runs them through the middleware as "dummy"
requests) and requests with a session cookie (editors, residents, visitors who typed a page
password) are never answered from or written to the cache.

Fragments: page templates wrap their expensive parts in ``{% wagtailpagecache %}``, which
Wagtail skips in previews; the context processor below points the tag at a cache that stores
nothing (``no-store``) when the page has view restrictions.

Invalidation: every entry holds a generation; publishing, unpublishing, moving or deleting a page,
changing a view restriction, a site or a venue (its name, hours and links are on many pages)
starts a new generation, so the next request renders afresh. Pages also list children, news and
events, hence one generation for all rather than per-page keys. The local date is in the key too
("today" in the opening hours, upcoming events). Other data shown on pages (catalogue counts)
may lag by at most PAGE_CACHE_SECONDS.

Several app servers must share one cache (REDIS_URL): with the in-process default each process
has its own generation, and other processes serve an old page until it expires. Each process
also keeps copies of hot pages (LocalCopies) so that a hit costs no round trip to Redis.
"""

import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from wagtail import hooks
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

logger = logging.getLogger(__name__)
GENERATION_KEY = "page-cache:generation"
NO_STORE_CACHE = "no-store"  # a DummyCache alias (settings.CACHES): fragments of private pages
STATUS_HEADER = "X-Page-Cache"
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")


# --- generation ------------------------------------------------------------------------------


def current_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Evicted or never set: a fresh value, so entries of an older generation never return.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _new_generation():
    local_copies.clear()
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # the cache is down: it serves nothing stale either; publishing goes on
        logger.warning("页面缓存不可用，未能使已缓存页面失效。", exc_info=True)


def invalidate_pages(**kwargs):
    """Start a new generation now and again after the commit: a request that read the old
    rows between the two would otherwise cache them under the new generation."""
    _new_generation()
    transaction.on_commit(_new_generation)


def connect_invalidation():
    from network.models import OpeningHours, Venue

    page_signals = {"published": page_published, "unpublished": page_unpublished}
    page_signals["moved"] = post_page_move
    for name, signal in page_signals.items():
        signal.connect(invalidate_pages, dispatch_uid=f"page_cache_page_{name}")
    for model in (PageViewRestriction, Site, Venue, OpeningHours):
        label = model._meta.label_lower
        post_save.connect(invalidate_pages, sender=model, dispatch_uid=f"page_cache_{label}_save")
        post_delete.connect(invalidate_pages, sender=model, dispatch_uid=f"page_cache_{label}_del")


# --- whole responses ---------------------------------------------------------------------------


def _response_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page-cache:{timezone.localdate().isoformat()}:{digest}"


def _is_page_url(request):
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return match.url_name == "wagtail_serve"


def _may_use_cache(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and not getattr(request, "is_dummy", False)  # Wagtail's previews run the middleware too
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and _is_page_url(request)  # the API, admin and other views never pay for a lookup
    )


def _may_store(request, response):
    match = request.resolver_match
    cache_control = response.get("Cache-Control", "").lower()
    return (
        match is not None
        and match.url_name == "wagtail_serve"
        and getattr(request, "page_is_public", False)
        and not getattr(request, "is_preview", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
    )


class LocalCopies:
    """This process's copies of recent entries, served without asking the shared cache while
    its generation was read less than PAGE_CACHE_LOCAL_SECONDS ago: a hit then costs no round
    trip. Publishing in this process drops them at once; other processes within that time."""

    MAX_ENTRIES = 200

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = OrderedDict()
        self.generation = None
        self.checked_at = float("-inf")

    def get(self, key):
        if time.monotonic() - self.checked_at >= settings.PAGE_CACHE_LOCAL_SECONDS:
            return None
        with self.lock:
            return self.entries.get(key)

    def note_generation(self, generation):
        with self.lock:
            if generation != self.generation:
                self.entries.clear()
                self.generation = generation
            self.checked_at = time.monotonic()

    def put(self, key, entry):
        with self.lock:
            if entry[0] == self.generation:
                self.entries[key] = entry
                if len(self.entries) > self.MAX_ENTRIES:
                    self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.generation = None
            self.checked_at = float("-inf")


local_copies = LocalCopies()


class PageCacheMiddleware:
    """Place right after SecurityMiddleware (its redirect and headers still apply to hits) and
    below metrics' PageViewMiddleware (a hit carries the page-view mark and is counted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        try:
            key = _response_key(request)
            entry = local_copies.get(key)
            if entry is not None:
                return self._from_cache(entry)
            # One round trip to a shared cache: the entry and the generation it must belong to.
            found = cache.get_many([key, GENERATION_KEY])
            generation = found.get(GENERATION_KEY) or current_generation()
        except Exception:  # a bad Host header (answered 400 below) or the cache is down
            logger.warning("页面缓存不可用，直接生成页面。", exc_info=True)
            return self.get_response(request)
        local_copies.note_generation(generation)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            local_copies.put(key, entry)
            return self._from_cache(entry)
        response = self.get_response(request)
        if _may_store(request, response):
            headers = [(name, value) for name, value in response.items()]
            mark = getattr(response, "metrics_page", None)
            entry = (generation, response.status_code, headers, response.content, mark)
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("页面未能写入缓存。", exc_info=True)
            local_copies.put(key, entry)
            response[STATUS_HEADER] = "miss"
        return response

    @staticmethod
    def _from_cache(entry):
        _generation, status, headers, content, mark = entry
        response = HttpResponse(content, status=status, headers=dict(headers))
        response[STATUS_HEADER] = "hit"
        if mark is not None:
            response.metrics_page = mark
        return response


@hooks.register("before_serve_page")
def note_page_privacy(page, request, serve_args, serve_kwargs):
    """Whether the page being served may go into a shared cache (whole or in fragments)."""
    request.page_is_public = not page.get_view_restrictions().exists()


# --- fragments -------------------------------------------------------------------------------


def context(request):
    """For ``{% wagtailpagecache page_fragment_seconds "name" page_cache_generation
    page_cache_day using=page_fragment_cache %}`` in page templates."""
    public = getattr(request, "page_is_public", False)
    seconds = settings.PAGE_FRAGMENT_CACHE_SECONDS
    return {
        "page_fragment_cache": "default" if public and seconds > 0 else NO_STORE_CACHE,
        "page_fragment_seconds": seconds,
        "page_cache_generation": SimpleLazyObject(current_generation),
        "page_cache_day": SimpleLazyObject(lambda: timezone.localdate().isoformat()),
    }
