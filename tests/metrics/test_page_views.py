import pytest

from metrics.buffer import buffer
from metrics.models import Event
from portal.models import HomePage
from tests.factories import make_article

from .conftest import BROWSER

CACHED = [
    "django.middleware.cache.UpdateCacheMiddleware",
    "django.middleware.cache.FetchFromCacheMiddleware",
]


def _views():
    buffer.flush()
    return list(Event.objects.filter(event_type="page_view").values_list("venue_id", "object_key"))


@pytest.mark.django_db
def test_a_page_view_counts_for_the_venue_whose_subtree_holds_the_page(client, network):
    liling_page = network["liling"].page
    article = make_article(liling_page, "醴陵新闻", publish=True)
    shimen_page = network["shimen"].page  # deeper: liling → pukou → shimen

    for url in (article.url, shimen_page.url, HomePage.objects.get().url):
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    home = HomePage.objects.get()
    assert _views() == [
        (network["liling"].pk, f"page:{article.pk}"),
        (network["shimen"].pk, f"page:{shimen_page.pk}"),
        (None, f"page:{home.pk}"),  # the portal home belongs to no venue: network-wide only
    ]


@pytest.mark.django_db
def test_not_counted_bots_errors_and_other_views(client, network):
    page = network["pukou"].page
    client.get(page.url, HTTP_USER_AGENT="Mozilla/5.0 (compatible; Baiduspider/2.0)")
    client.get(page.url + "no-such-page/", HTTP_USER_AGENT=BROWSER)
    client.get("/search/", HTTP_USER_AGENT=BROWSER)  # not a Wagtail page
    assert _views() == []


@pytest.mark.django_db
def test_views_served_from_the_page_cache_are_counted_for_their_venue(client, network, settings):
    settings.MIDDLEWARE = [
        settings.MIDDLEWARE[0],  # metrics: above the cache
        CACHED[0],
        *settings.MIDDLEWARE[1:],
        CACHED[1],
    ]
    settings.CACHE_MIDDLEWARE_SECONDS = 60
    page = network["pukou"].page
    first = client.get(page.url, HTTP_USER_AGENT=BROWSER)
    page.title = "改了标题"
    page.save_revision().publish()  # a cache hit still shows the old page
    second = client.get(page.url, HTTP_USER_AGENT=BROWSER)
    assert second.content == first.content and "max-age=60" in second["Cache-Control"]
    assert _views() == [(network["pukou"].pk, f"page:{page.pk}")] * 2
