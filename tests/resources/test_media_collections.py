"""Media assets in Wagtail collections: the admin form offers a venue's staff their own venue's
collections, the listing filters by collection, and a collection holding media is not deleted by
the admin (deleted in code, its assets are kept, unfiled)."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from resources.models import MediaAsset

from ..factories import editor_of, make_user
from .factories import make_asset, make_two_venues
from .test_admin_listing import xlsx_rows
from .test_uploads import png_bytes

pytestmark = pytest.mark.django_db

ADD_URL = reverse("wagtailsnippets_resources_mediaasset:add")
LIST_URL = reverse("wagtailsnippets_resources_mediaasset:list")


@pytest.fixture
def venues(local_storage):
    venues = make_two_venues()
    for key in ("a", "b"):
        top = Collection.objects.get(pk=venues[key].collection_id)
        venues[f"{key}_drama"] = top.add_child(name="戏曲")
    return venues


def collection_options(html):
    """{pk: label} of the form's 集合 select (the empty choice left out)."""
    select = re.search(r'<select name="collection".*?</select>', html, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', select, re.S)
    return {int(pk): unescape(label) for pk, label in options}


def selected_collection(html):
    select = re.search(r'<select name="collection".*?</select>', html, re.S).group(0)
    return re.search(r'<option value="(\d*)"[^>]*selected', select).group(1)


def post_new_image(client, owner, collection):
    data = {
        "title": "海报",
        "kind": "image",
        "owner": owner.pk,
        "visibility": "public",
        "collection": collection.pk,
        "file": SimpleUploadedFile("poster.png", png_bytes(), content_type="image/png"),
    }
    return client.post(ADD_URL, data)


def test_editors_choose_among_their_venues_collections(client, venues):
    a, b = venues["a"], venues["b"]
    client.force_login(editor_of(a))
    html = client.get(ADD_URL).content.decode()
    assert "集合" in html
    offered = collection_options(html)
    assert set(offered) == {a.collection_id, venues["a_drama"].pk}
    assert "↳ 戏曲" in offered[venues["a_drama"].pk]  # Wagtail's indented tree
    assert selected_collection(html) == str(a.collection_id)  # a new asset: the venue's own

    response = post_new_image(client, a, venues["b_drama"])
    assert response.status_code == 200
    assert "只能选择您所在场馆的集合。" in response.content.decode()
    assert not MediaAsset.objects.exists()

    response = post_new_image(client, a, venues["a_drama"])
    assert response.status_code == 302
    assert MediaAsset.objects.get().collection == venues["a_drama"]

    client.force_login(make_user("hub-admin", superuser=True))
    offered = collection_options(client.get(ADD_URL).content.decode())
    assert {b.collection_id, venues["b_drama"].pk, Collection.get_first_root_node().pk} <= set(
        offered
    )


def test_an_assets_current_collection_stays_choosable(client, venues):
    a = venues["a"]
    asset = make_asset(a, collection=venues["b_drama"])  # e.g. filed so by the hub
    client.force_login(editor_of(a))
    url = reverse("wagtailsnippets_resources_mediaasset:edit", args=[asset.pk])
    html = client.get(url).content.decode()
    assert venues["b_drama"].pk in collection_options(html)
    assert selected_collection(html) == str(venues["b_drama"].pk)


def test_the_listing_filters_by_collection(client, venues):
    a = venues["a"]
    make_asset(a, title="花鼓戏录像", collection=venues["a_drama"])
    make_asset(a, title="馆内通知", collection=Collection.objects.get(pk=a.collection_id))
    make_asset(a, title="未归档")
    client.force_login(editor_of(a))
    assert 'name="collection"' in client.get(LIST_URL).content.decode()

    def titles(**params):
        rows = xlsx_rows(client.get(LIST_URL, {"export": "xlsx", **params}))
        return {row[0] for row in rows[1:]}

    assert titles() == {"花鼓戏录像", "馆内通知", "未归档"}
    assert titles(collection=venues["a_drama"].pk) == {"花鼓戏录像"}
    assert titles(collection=a.collection_id) == {"馆内通知"}


def test_deleting_a_collection_keeps_its_assets_unfiled(venues):
    asset = make_asset(venues["a"], collection=venues["a_drama"])
    venues["a_drama"].delete()
    asset.refresh_from_db()
    assert asset.collection is None


def test_the_admin_refuses_to_delete_a_collection_that_holds_media(client, venues):
    asset = make_asset(venues["a"], collection=venues["a_drama"])
    client.force_login(make_user("hub-admin", superuser=True))
    url = reverse("wagtailadmin_collections:delete", args=[venues["a_drama"].pk])
    page = client.get(url).content.decode()
    assert "1 个媒体资源" in page and f"?collection={venues['a_drama'].pk}" in page
    client.post(url)
    assert Collection.objects.filter(pk=venues["a_drama"].pk).exists()
    asset.refresh_from_db()
    assert asset.collection == venues["a_drama"]
