"""Page caching (portal/page_cache.py): anonymous visitors get public pages from the cache,
publishing shows at once, and private pages, previews and signed-in users never get a cached
answer, whole or in fragments."""

import socket

import pytest
from wagtail.models import PageViewRestriction

from network.services import save_venue
from portal.models import ArticleIndexPage, ArticlePage

from ..factories import editor_of, make_article

pytestmark = pytest.mark.django_db
HEADER = "X-Page-Cache"


@pytest.fixture
def caching(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_FRAGMENT_CACHE_SECONDS = 300
    return settings


@pytest.fixture
def article(network):
    news = ArticleIndexPage(title="醴陵新闻")
    network["liling"].page.add_child(instance=news)
    news.save_revision().publish()
    return make_article(news, "醴陵书法展开幕", publish=True, summary="第一版摘要")


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def change_summary_behind_the_cache(page, summary):
    """Write the live row without Wagtail's publish (no signal): only a cache hides it."""
    ArticlePage.objects.filter(pk=page.pk).update(summary=summary)


def test_anonymous_visitor_gets_the_venue_page_from_the_cache(
    client, caching, network, django_assert_num_queries
):
    url = network["liling"].page.url
    first = get(client, url)
    assert first[HEADER] == "miss"
    with django_assert_num_queries(0):
        second = get(client, url)
    assert second[HEADER] == "hit"
    assert second.content == first.content
    # The page view is still counted (metrics' middleware reads this mark).
    assert (
        second.metrics_page
        == first.metrics_page
        == (network["liling"].page.pk, network["liling"].pk)
    )


def test_trivial_and_non_page_views_are_never_cached(client, caching):
    response = client.get("/healthz")
    assert response.content == b"ok"
    assert HEADER not in response
    assert HEADER not in client.get("/api/v1/search?q=书法")


def test_published_change_shows_immediately(client, caching, network, article):
    venue_page = network["liling"].page.specific
    get(client, venue_page.url)
    assert get(client, article.url)[HEADER] == "miss"
    assert get(client, article.url)[HEADER] == "hit"

    article.summary = "第二版摘要"
    article.save_revision().publish()
    response = get(client, article.url)
    assert response[HEADER] == "miss"
    assert "第二版摘要" in response.content.decode()

    # The venue page lists the venue's news: a new article appears on it at once.
    make_article(article.get_parent(), "醴陵新年音乐会", publish=True)
    assert "醴陵新年音乐会" in get(client, venue_page.url).content.decode()

    # So do changes to the venue itself (its address is on its page).
    venue = network["liling"]
    venue.address = "醴陵市解放路 88 号"
    save_venue(venue)
    assert "醴陵市解放路 88 号" in get(client, venue_page.url).content.decode()

    article.unpublish()
    assert client.get(article.url).status_code == 404


def test_stale_until_published_proves_the_cache_is_used(client, caching, article):
    get(client, article.url)
    change_summary_behind_the_cache(article, "未发布的改动")
    assert "未发布的改动" not in get(client, article.url).content.decode()


def test_private_page_is_never_in_the_shared_cache(client, caching, network, article):
    get(client, article.url)  # cached while public
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    # Restricting it ends the cached copy at once.
    response = client.get(article.url)
    assert response.status_code == 302
    assert HEADER not in response
    assert client.get(article.url).status_code == 302

    # A signed-in reader gets it rendered every time: neither the response nor its fragments
    # are stored, so a change shows without publishing.
    client.force_login(editor_of(network["liling"]))
    assert "第一版摘要" in get(client, article.url).content.decode()
    change_summary_behind_the_cache(article, "私密页面的改动")
    response = get(client, article.url)
    assert "私密页面的改动" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_signed_in_editor_never_gets_the_anonymous_copy(client, caching, network, article):
    url = network["liling"].page.url
    get(client, url)
    assert get(client, url)[HEADER] == "hit"
    client.force_login(editor_of(network["liling"]))
    response = get(client, url)
    assert HEADER not in response
    assert "portal/venue_page.html" in [t.name for t in response.templates]


def test_public_fragments_are_shared_by_signed_in_users_until_published(
    client, caching, network, article
):
    client.force_login(editor_of(network["liling"]))
    get(client, article.url)
    change_summary_behind_the_cache(article, "片段缓存之外的改动")
    assert "片段缓存之外的改动" not in get(client, article.url).content.decode()
    article.refresh_from_db()
    article.save_revision().publish()
    assert "片段缓存之外的改动" in get(client, article.url).content.decode()


def test_preview_is_never_answered_from_or_written_to_the_cache(client, caching, article):
    get(client, article.url)
    assert get(client, article.url)[HEADER] == "hit"
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.summary = "草稿摘要"
    draft.save_revision()

    # A preview without the editor's cookies (the riskiest case) still renders the draft.
    preview = draft.make_preview_request()
    assert "草稿摘要" in preview.content.decode()
    assert HEADER not in preview

    response = get(client, article.url)
    assert "草稿摘要" not in response.content.decode()
    assert "第一版摘要" in response.content.decode()


def _redis_reachable():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379")
def test_published_change_shows_immediately_with_redis(client, caching, network, article):
    prefix = f"test-page-cache-{id(article)}"
    caching.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": prefix,
        },
        "no-store": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    try:
        get(client, article.url)
        assert get(client, article.url)[HEADER] == "hit"
        article.summary = "Redis 第二版"
        article.save_revision().publish()
        assert "Redis 第二版" in get(client, article.url).content.decode()
    finally:
        import redis

        connection = redis.Redis.from_url("redis://127.0.0.1:6379/13")
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)
