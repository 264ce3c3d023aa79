"""Wagtail's own search (admin pages, images, documents, snippets) understands Chinese words."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.query import Phrase

from resources.models import Teacher
from tests.factories import make_article, make_document, make_image, make_user
from tests.resources.factories import make_teacher

CALLIGRAPHY = "县文化馆举办书法培训课程"
DANCE = "攸县广场舞比赛通知"


@pytest.fixture
def pages(network):
    venue_page = network["liling"].page
    return (
        make_article(venue_page, CALLIGRAPHY, publish=True),
        make_article(venue_page, DANCE, publish=True),
    )


@pytest.fixture
def admin(client, network):
    client.force_login(make_user("hub-admin", superuser=True))
    return client


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def titles(results):
    return {obj.title for obj in results}


def listed(response, name):
    assert response.status_code == 200
    return {obj.title if hasattr(obj, "title") else obj.name for obj in response.context[name]}


def test_the_configured_backend_segments_for_this_database():
    from django.db import connection

    backend = get_search_backend()
    vendor_class = {"sqlite": "SQLiteSearchBackend", "postgresql": "PostgresSearchBackend"}
    assert type(backend).__name__ == f"Segmented{vendor_class[connection.vendor]}"


def test_page_search_finds_a_word_inside_a_chinese_title(pages):
    calligraphy, dance = pages
    assert titles(Page.objects.search("书法")) == {CALLIGRAPHY}
    assert titles(Page.objects.search("培训课程")) == {CALLIGRAPHY}
    assert titles(Page.objects.search("广场舞")) == {DANCE}
    assert titles(Page.objects.search("剪纸")) == set()


def test_traditional_characters_find_simplified_titles(pages):
    assert titles(Page.objects.search("書法")) == {CALLIGRAPHY}
    assert titles(Page.objects.autocomplete("書")) == {CALLIGRAPHY}


def test_operators_keep_wagtail_semantics(pages):
    assert titles(Page.objects.search("书法广场舞", operator="and")) == set()
    assert titles(Page.objects.search("书法广场舞", operator="or")) == {CALLIGRAPHY, DANCE}


def test_phrases_match_adjacent_characters_only(pages):
    assert titles(Page.objects.search(Phrase("书法培训"))) == {CALLIGRAPHY}
    assert titles(Page.objects.search(Phrase("培训书法"))) == set()


def test_autocomplete_completes_a_word_prefix(pages):
    assert titles(Page.objects.autocomplete("书")) == {CALLIGRAPHY}
    assert titles(Page.objects.autocomplete("文化馆书")) == {CALLIGRAPHY}


def test_a_retitled_page_is_found_by_its_new_words_only(pages):
    calligraphy, _ = pages
    calligraphy.title = "县文化馆举办剪纸培训课程"
    calligraphy.save_revision().publish()
    assert titles(Page.objects.search("剪纸")) == {"县文化馆举办剪纸培训课程"}
    assert titles(Page.objects.search("书法")) == set()


def test_admin_page_search(admin, pages):
    url = reverse("wagtailadmin_pages:search")
    assert listed(admin.get(url, {"q": "书法"}), "pages") == {CALLIGRAPHY}
    assert listed(admin.get(url, {"q": "書法"}), "pages") == {CALLIGRAPHY}
    assert listed(admin.get(url, {"q": "书法 live:true"}), "pages") == {CALLIGRAPHY}
    assert listed(admin.get(url, {"q": '"广场舞比赛"'}), "pages") == {DANCE}


def test_page_chooser_and_read_api_search(admin, pages):
    response = admin.get(reverse("wagtailadmin_choose_page_search"), {"q": "书法"})
    assert listed(response, "pages") == {CALLIGRAPHY}
    response = admin.get("/api/v2/pages/", {"search": "書法"})
    assert {item["title"] for item in response.json()["items"]} == {CALLIGRAPHY}


def test_admin_page_search_survives_a_query_without_words(admin, pages):
    response = admin.get(reverse("wagtailadmin_pages:search"), {"q": "！？"})
    assert response.status_code == 200


def test_admin_image_search(admin, network, media_root):
    collection = network["liling"].collection
    make_image(collection, "湘绣作品展")
    make_image(collection, "醴陵瓷器")
    url = reverse("wagtailimages:index")
    assert listed(admin.get(url, {"q": "湘绣"}), "images") == {"湘绣作品展"}
    # A word inside the title: Wagtail's own prefix match only finds the start of a title.
    assert listed(admin.get(url, {"q": "作品展"}), "images") == {"湘绣作品展"}


def test_admin_document_search(admin, network, media_root):
    collection = network["youxian"].collection
    make_document(collection, "非遗传承人申报指南")
    make_document(collection, "场馆开放时间表")
    response = admin.get(reverse("wagtaildocs:index"), {"q": "传承人"})
    assert listed(response, "documents") == {"非遗传承人申报指南"}


def test_snippet_model_search_and_admin_listing(admin, network):
    make_teacher(network["liling"], name="石峰", bio="醴陵书法家协会会员，擅长楷书。")
    make_teacher(network["youxian"], name="李燕", bio="花鼓戏演员。")
    found = get_search_backend().search("书法家", Teacher)
    assert {teacher.name for teacher in found} == {"石峰"}
    response = admin.get(reverse(Teacher.snippet_viewset.get_url_name("list")), {"q": "楷书"})
    assert listed(response, "object_list") == {"石峰"}
