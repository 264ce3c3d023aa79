"""The admin side of uploads: the upload page for venue staff, and the hub's quota settings
with each venue's usage."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from media_pipeline.models import StorageQuota
from tests.factories import editor_of, make_user
from tests.resources.factories import make_asset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_storage")]

UPLOAD_PAGE = "/admin/media/upload/"


def test_the_upload_page_offers_the_editors_own_venues_and_their_space(client, editor_a, venues):
    make_asset(venues["a"], content=b"%PDF-1.4 " + b"x" * 2048, filename="a.pdf")
    client.force_login(editor_a)
    page = client.get(UPLOAD_PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<progress max="100" value="0"' in html
    assert "media_pipeline/upload.js" in html
    venue_choices = page.context["form"].fields["venue"].queryset
    assert list(venue_choices) == [venues["a"]]
    ((venue, usage),) = page.context["usages"]
    assert (venue, usage.limit, usage.stored) == (venues["a"], 50 * 1024**3, 2057)
    config = json.loads(html.split('id="upload-config" type="application/json">')[1].split("<")[0])
    assert config["apiUrl"] == "/api/v1/media/uploads"
    assert "mp4" in config["kinds"]["video"]["extensions"]

    menu = client.get("/admin/").content.decode()
    assert UPLOAD_PAGE in menu


def test_the_upload_page_lists_unfinished_uploads(uploader, venues):
    uploader.start(venues["a"], file_name="长片.mp4", size=3 * 1024**2)
    html = uploader.client.get(UPLOAD_PAGE).content.decode()
    assert "未完成的上传" in html and "长片.mp4" in html


def test_staff_of_no_venue_cannot_open_the_upload_page(client, venues):
    outsider = make_user("outsider")
    client.force_login(outsider)
    assert client.get(UPLOAD_PAGE).status_code == 302  # no admin access: to the login page
    admin_access = Permission.objects.get(codename="access_admin")
    outsider.user_permissions.add(admin_access)
    client.force_login(outsider)
    refused = client.get(UPLOAD_PAGE)  # Wagtail turns PermissionDenied into a redirect
    assert (refused.status_code, refused.url) == (302, "/admin/")
    assert UPLOAD_PAGE not in client.get("/admin/").content.decode()


def test_the_hub_sets_quotas_and_sees_usage(client, venues):
    hub_admin = make_user("hub-admin", superuser=True)
    client.force_login(hub_admin)
    index = reverse("storage_quotas:index")
    add = client.post(reverse("storage_quotas:add"), {"venue": venues["a"].pk, "limit_gb": 120})
    assert add.status_code == 302
    assert StorageQuota.objects.get(venue=venues["a"]).limit_bytes == 120 * 1024**3
    make_asset(venues["a"], content=b"%PDF-1.4 " + b"x" * 2039, filename="a.pdf")
    listing = client.get(index).content.decode()
    assert "醴陵市文化馆" in listing and "120" in listing and "2.0\xa0KB（0%）" in listing

    client.force_login(editor_of(venues["b"]))
    assert client.get(index).status_code == 302  # Wagtail: no permission → dashboard
