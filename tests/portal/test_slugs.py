"""Chinese titles get readable, stable ASCII (pinyin) slugs, in code and in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page

from portal.models import ArticlePage, VenuePage
from portal.slugs import pinyin_slug

from ..factories import admin_page_form_data, make_article, make_user

pytestmark = pytest.mark.django_db

TITLE = "县文化馆举办书法培训课程"
SLUG = "xian-wen-hua-guan-ju-ban-shu-fa-pei-xun-ke-cheng"


@pytest.fixture
def admin_client(client, network):
    user = get_user_model().objects.filter(is_superuser=True).first()
    client.force_login(user or make_user("root", superuser=True))
    return client


def admin_create(client, parent, title, slug=""):
    url = reverse("wagtailadmin_pages:add", args=["portal", "articlepage", parent.pk])
    data = admin_page_form_data(client.get(url))
    data["title"], data["slug"] = title, slug
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ArticlePage.objects.child_of(parent).order_by("-pk").first()


def admin_edit(client, page, **changes):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = admin_page_form_data(client.get(url))
    for field, value in changes.items():
        data[field] = value
    data["action-publish"] = "action-publish"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Page.objects.get(pk=page.pk).specific


def test_pinyin_slug():
    assert pinyin_slug(TITLE) == SLUG
    assert pinyin_slug("2025年“三下乡”活动") == "2025-nian-san-xia-xiang-huo-dong"
    assert len(pinyin_slug("文化" * 100)) <= 80


def test_programmatic_page_gets_pinyin_slug(network):
    page = make_article(network["liling"].page, TITLE)
    assert page.slug == SLUG
    assert page.url_path.endswith(f"/liling-main/{SLUG}/")


def test_admin_create_with_empty_slug(admin_client, network):
    page = admin_create(admin_client, network["liling"].page, TITLE)
    assert page.slug == SLUG
    assert page.slug.isascii()


def test_admin_chinese_slug_becomes_pinyin(admin_client, network):
    page = admin_create(admin_client, network["liling"].page, TITLE, slug="书法培训")
    assert page.slug == "shu-fa-pei-xun"


def test_siblings_with_the_same_title_get_distinct_slugs(admin_client, network):
    parent = network["pukou"].page
    first = make_article(parent, TITLE)
    second = admin_create(admin_client, parent, TITLE)
    third = make_article(parent, TITLE)
    assert [first.slug, second.slug, third.slug] == [SLUG, f"{SLUG}-2", f"{SLUG}-3"]
    # The same title under another parent may reuse the plain slug.
    assert make_article(network["huangfeng"].page, TITLE).slug == SLUG


def test_slug_stays_when_title_changes(admin_client, network):
    page = admin_create(admin_client, network["liling"].page, TITLE)
    page = admin_edit(admin_client, page, title="县文化馆书法培训课程改期")
    assert (page.title, page.slug, page.live) == ("县文化馆书法培训课程改期", SLUG, True)

    page.title = "县文化馆书法培训课程再次改期"
    page.save()
    page.save_revision().publish()
    assert Page.objects.get(pk=page.pk).slug == SLUG


def test_venue_page_slugs_are_venue_codes(network):
    for venue in network.values():
        assert VenuePage.objects.get(venue=venue).slug == venue.code
