"""Every public page type renders with its own template; drafts are not public."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.models import ArticleIndexPage, EventIndexPage, EventPage, HomePage

from ..factories import make_article

pytestmark = pytest.mark.django_db


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def site_pages(network):
    liling = network["liling"].page
    news = publish(liling, ArticleIndexPage(title="醴陵新闻"))
    article = make_article(news, "醴陵市文化馆举办书法展", publish=True, summary="书法展摘要")
    events = publish(liling, EventIndexPage(title="醴陵活动"))
    start = timezone.now() + timedelta(days=3)
    event = publish(
        events,
        EventPage(
            title="少儿舞蹈公益培训",
            start=start,
            end=start + timedelta(hours=2),
            place="醴陵市文化馆二楼",
        ),
    )
    return {"news": news, "article": article, "events": events, "event": event}


def assert_renders(client, url, template, *texts):
    response = client.get(url)
    assert response.status_code == 200, url
    assert template in [t.name for t in response.templates], url
    body = response.content.decode()
    for text in texts:
        assert text in body, (url, text)
    return body


def test_home_and_venue_directory(client, site_pages, network):
    home = HomePage.objects.get()
    assert home.url == "/"
    body = assert_renders(client, "/", "portal/home_page.html", home.title)
    # The home lists the network's latest published news and upcoming events.
    assert "醴陵市文化馆举办书法展" in body
    assert "少儿舞蹈公益培训" in body
    assert_renders(client, "/venues/", "portal/venue_directory.html", network["pukou"].name)


@pytest.mark.parametrize("key", ["hub", "liling", "pukou", "shimen", "school"])
def test_venue_pages(client, site_pages, network, key):
    venue = network[key]
    assert_renders(client, venue.page.url, "portal/venue_page.html", venue.name)


def test_index_and_detail_pages(client, site_pages):
    pages = site_pages
    assert_renders(
        client, pages["news"].url, "portal/article_index_page.html", "醴陵市文化馆举办书法展"
    )
    assert_renders(client, pages["article"].url, "portal/article_page.html", "书法展摘要")
    assert_renders(client, pages["events"].url, "portal/event_index_page.html", "少儿舞蹈公益培训")
    assert_renders(client, pages["event"].url, "portal/event_page.html", "醴陵市文化馆二楼")


def test_drafts_are_not_public(client, site_pages, network):
    draft = make_article(site_pages["news"], "尚未发布的通知")
    assert client.get(draft.url).status_code == 404
    assert "尚未发布的通知" not in client.get(site_pages["news"].url).content.decode()
    assert "尚未发布的通知" not in client.get("/").content.decode()

    # A live page with unpublished changes shows its published version.
    article = site_pages["article"]
    article.title = "草稿中的新标题"
    article.save_revision()
    body = client.get(article.url).content.decode()
    assert "醴陵市文化馆举办书法展" in body
    assert "草稿中的新标题" not in body
