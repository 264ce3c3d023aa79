"""Wagtail's read API serves only what the public may see."""

import pytest
from wagtail.models import CollectionViewRestriction

from ..factories import make_article, make_document, make_image


@pytest.fixture
def media(network):
    public_image = make_image(network["liling"].collection, "公开图片")
    private_image = make_image(network["youxian"].collection, "内部图片")
    private_doc = make_document(network["youxian"].collection, "内部文件")
    CollectionViewRestriction.objects.create(
        collection=network["youxian"].collection,
        restriction_type=CollectionViewRestriction.LOGIN,
    )
    return public_image, private_image, private_doc


def titles(client, endpoint):
    response = client.get(f"/api/v2/{endpoint}/")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_images_and_documents_in_restricted_collections_are_not_listed(client, media):
    assert "公开图片" in titles(client, "images")
    assert "内部图片" not in titles(client, "images")
    assert "内部文件" not in titles(client, "documents")
    _public, private_image, _doc = media
    assert client.get(f"/api/v2/images/{private_image.pk}/").status_code == 404


def test_pages_api_lists_live_pages_only(client, network):
    make_article(network["liling"].page, "草稿新闻")
    titles_listed = titles(client, "pages")
    assert "醴陵市文化馆" in titles_listed
    assert "草稿新闻" not in titles_listed
