"""Serving asset files from local storage: permission checks and HTTP Range."""

import pytest
from django.urls import reverse

from resources.serving import RangeNotSatisfiable, asset_served, parse_range
from resources.uploads import store_asset
from tests.factories import editor_of, make_user

from .test_uploads import make_asset, png_bytes, upload


def body(response):
    return b"".join(response.streaming_content)


def url_of(asset):
    return reverse("resources:asset_file", args=[asset.pk])


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-0", (0, 0)),
        ("bytes=10-19", (10, 19)),
        ("bytes=90-", (90, 99)),
        ("bytes=-5", (95, 99)),
        ("bytes=-500", (0, 99)),
        ("bytes=95-500", (95, 99)),
        ("bytes = 1 - 2", (1, 2)),
        ("bytes=5-1", None),  # invalid: ignored, whole file
        ("bytes=0-1,5-6", None),  # multi-range: whole file (RFC 9110 allows ignoring)
        ("items=0-1", None),
        ("bytes=-", None),
        ("bytes=abc", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 100) == expected


@pytest.mark.parametrize(
    ("header", "size"), [("bytes=100-", 100), ("bytes=-0", 100), ("bytes=-1", 0)]
)
def test_parse_range_unsatisfiable(header, size):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, size)


@pytest.fixture
def asset_content():
    return png_bytes(80, 60)


@pytest.fixture
def private_asset(network, local_storage, asset_content):
    """An owner-venue-only image of 醴陵市文化馆, on local disk."""
    return store_asset(
        make_asset(network["liling"], visibility="owner", title="内部排练照"),
        upload("rehearsal.png", asset_content),
    )


@pytest.mark.django_db
def test_range_requests_on_local_storage(client, network, private_asset, asset_content):
    client.force_login(editor_of(network["liling"]))
    size = len(asset_content)
    url = url_of(private_asset)

    response = client.get(url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(size)
    assert response["Content-Type"] == "image/png"
    assert response["ETag"] == f'"{private_asset.sha256}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert "inline" in response["Content-Disposition"]
    assert body(response) == asset_content

    cases = [
        ("bytes=0-99", 0, 99),
        ("bytes=1000-1999", 1000, 1999),
        (f"bytes={size - 10}-", size - 10, size - 1),
        ("bytes=-7", size - 7, size - 1),
        (f"bytes=5-{size + 5000}", 5, size - 1),
    ]
    for header, start, end in cases:
        response = client.get(url, HTTP_RANGE=header)
        assert response.status_code == 206, header
        assert response["Content-Range"] == f"bytes {start}-{end}/{size}", header
        assert response["Content-Length"] == str(end - start + 1), header
        assert body(response) == asset_content[start : end + 1], header

    response = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"

    # A range with a stale validator gets the whole (changed) file; a matching one the range.
    response = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"')
    assert response.status_code == 200
    assert body(response) == asset_content
    response = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=response["ETag"])
    assert response.status_code == 206
    assert body(response) == asset_content[:10]

    # Multi-range is answered with the whole file.
    response = client.get(url, HTTP_RANGE="bytes=0-1,4-5")
    assert response.status_code == 200
    assert body(response) == asset_content

    response = client.head(url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10"
    assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_private_asset_is_404_for_everyone_but_its_venue(client, network, private_asset):
    url = url_of(private_asset)
    missing = reverse("resources:asset_file", args=[private_asset.pk + 1000])

    anonymous = client.get(url)
    assert anonymous.status_code == 404
    # Same answer as an id that does not exist: existence is not revealed.
    assert client.get(missing).status_code == 404

    client.force_login(editor_of(network["youxian"]))
    assert client.get(url).status_code == 404
    # The governing hub's editor is another venue too; only superusers see owner-only entries.
    client.force_login(editor_of(network["hub"]))
    assert client.get(url).status_code == 404

    client.force_login(editor_of(network["liling"]))
    assert client.get(url).status_code == 200
    client.force_login(make_user("admin", superuser=True))
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_staff_and_public_visibility(client, network, local_storage):
    liling = network["liling"]
    staff_only = store_asset(
        make_asset(liling, visibility="staff"), upload("s.png", png_bytes(8, 8))
    )
    public = store_asset(make_asset(liling, visibility="public"), upload("p.png", png_bytes(8, 8)))

    assert client.get(url_of(staff_only)).status_code == 404
    assert client.get(url_of(public)).status_code == 200

    client.force_login(editor_of(network["youxian"]))
    assert client.get(url_of(staff_only)).status_code == 200


@pytest.mark.django_db
def test_asset_served_signal_fires_once_per_authorised_download(client, network, private_asset):
    served = []

    def receiver(sender, instance, request, **kwargs):
        served.append((instance.pk, request.user.username))

    asset_served.connect(receiver, dispatch_uid="test-asset-served")
    try:
        client.get(url_of(private_asset))  # anonymous: 404, not counted
        editor = editor_of(network["liling"])
        client.force_login(editor)
        client.get(url_of(private_asset))
    finally:
        asset_served.disconnect(dispatch_uid="test-asset-served")
    assert served == [(private_asset.pk, editor.username)]
