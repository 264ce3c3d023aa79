"""Streaming processed media: public files from storage with Range, restricted ones through
per-request playlists with short-lived signed links, and a usage event per play."""

import re
from urllib.parse import urljoin
from urllib.request import urlopen

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from media_pipeline import playback
from media_pipeline.models import AssetProcessing, RenditionKind, Status
from media_pipeline.playback import playback_for
from resources.serving import asset_served
from tests.factories import editor_of, make_user
from tests.resources.factories import make_asset

from .playing import body, long_clip, processed, site_path, uri_lines  # noqa: F401

pytestmark = pytest.mark.django_db

HLS = "application/vnd.apple.mpegurl"


def stored(name):
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def resolve(base, uri):
    return site_path(urljoin(f"http://testserver{base}", uri))


@pytest.fixture
def events():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    asset_served.connect(receiver, dispatch_uid="test-streaming-usage")
    yield seen
    asset_served.disconnect(dispatch_uid="test-streaming-usage")


@pytest.fixture
def public_video(network, local_storage, long_clip):  # noqa: F811
    return processed(network["liling"], long_clip, "video")


@pytest.fixture
def owner_only_video(network, local_storage, long_clip):  # noqa: F811
    return processed(network["liling"], long_clip, "video", visibility="owner")


def test_a_public_video_is_served_from_storage_with_ranges(client, public_video):
    links = playback_for(public_video)
    assert not links.signed and "?" not in links.hls

    master = client.get(links.hls)
    assert master.status_code == 200
    assert master["Content-Type"] == HLS
    assert "public" in master["Cache-Control"] and "max-age=3600" in master["Cache-Control"]
    row = public_video.processing
    master_text = body(master)
    assert master_text == stored(f"{row.output_prefix}master.m3u8")

    (variant_uri,) = uri_lines(master_text.decode())
    variant_path = resolve(links.hls, variant_uri)
    variant = client.get(variant_path)
    assert variant.status_code == 200
    segments = uri_lines(body(variant).decode())
    assert segments == ["seg_00000.ts", "seg_00001.ts", "seg_00002.ts"]

    segment_path = resolve(variant_path, segments[1])
    whole = stored(f"{row.output_prefix}360p/seg_00001.ts")
    response = client.get(segment_path, HTTP_RANGE="bytes=188-375")
    assert response.status_code == 206
    assert response["Content-Type"] == "video/mp2t"
    assert response["Content-Range"] == f"bytes 188-375/{len(whole)}"
    assert body(response) == whole[188:376]

    mp4 = client.get(links.mp4, HTTP_RANGE="bytes=0-")
    assert mp4.status_code == 206 and mp4["Content-Type"] == "video/mp4"
    poster = client.get(links.poster)
    assert poster.status_code == 200 and poster["Content-Type"] == "image/jpeg"


def test_only_the_current_renditions_of_visible_assets_are_served(client, public_video):
    prefix = public_video.processing.output_prefix
    run = prefix.split("/")[2]
    pk = public_video.pk

    def get(run, relative):
        url = reverse("media_stream:file", kwargs={"pk": pk, "run": run, "relative": relative})
        return client.get(url).status_code

    assert get(run, "master.m3u8") == 200
    assert get("0123456789ab", "master.m3u8") == 404  # an older or made-up run
    assert get(run, "missing.m3u8") == 404
    assert get(run, "../../x.m3u8") == 404
    assert get(run, "360p/seg_00000.exe") == 404
    assert client.post(resolve("/", playback_for(public_video).hls)).status_code == 405


def test_a_restricted_video_is_404_for_those_who_may_not_see_it(client, network, owner_only_video):
    links = playback_for(owner_only_video)
    unsigned = links.hls.split("?")[0]
    assert client.get(unsigned).status_code == 404
    client.force_login(editor_of(network["youxian"]))
    assert client.get(unsigned).status_code == 404
    client.force_login(make_user("hub-admin", superuser=True))
    assert client.get(unsigned).status_code == 200


def test_a_restricted_playlist_is_made_per_request_with_signed_links(
    client, settings, owner_only_video
):
    settings.MEDIA_STREAM_URL_SECONDS = 300
    links = playback_for(owner_only_video)
    assert links.signed and links.expires_in == 300
    assert re.search(r"\?expires=\d+&signature=", links.hls)

    master = client.get(links.hls)  # the signature alone grants access: no session here
    assert master.status_code == 200
    assert "no-store" in master["Cache-Control"] and "private" in master["Cache-Control"]
    (variant_url,) = uri_lines(master.content.decode())
    assert variant_url.startswith("/stream/") and "signature=" in variant_url

    variant = client.get(variant_url)
    assert variant.status_code == 200 and variant["Content-Type"] == HLS
    segments = uri_lines(variant.content.decode())
    assert len(segments) == 3 and all("signature=" in url for url in segments)
    prefix = owner_only_video.processing.output_prefix
    for number, url in enumerate(segments):
        response = client.get(url)
        assert response.status_code == 200
        assert body(response) == stored(f"{prefix}360p/seg_{number:05d}.ts")
    # Each request makes a fresh playlist, never a cached one.
    assert client.get(links.hls)["Cache-Control"] == master["Cache-Control"]


def test_a_copied_segment_link_stops_working_after_its_lifetime(
    client, settings, monkeypatch, owner_only_video
):
    settings.MEDIA_STREAM_URL_SECONDS = 300
    issued = playback.now()
    master = client.get(playback_for(owner_only_video).hls)
    variant = client.get(uri_lines(master.content.decode())[0])
    first, second, _third = uri_lines(variant.content.decode())

    def at(seconds):
        monkeypatch.setattr(playback, "now", lambda: issued + seconds)

    at(299)
    assert client.get(first).status_code == 200
    at(303)
    expired = client.get(first)
    assert expired.status_code == 403
    assert "过期" in expired.content.decode()
    # The second segment is due 4 s into the video: its link lasts 4 s longer.
    assert client.get(second).status_code == 200
    at(306)
    assert client.get(second).status_code == 403
    # Neither a forged signature nor one of another file opens a segment.
    at(0)
    forged = re.sub(r"signature=[^&]+", "signature=forged", first)
    assert client.get(forged).status_code == 403
    other_query = first.split("?")[1]
    assert client.get(second.split("?")[0] + "?" + other_query).status_code == 403


def test_a_restricted_asset_plays_for_its_venue_without_a_signature(
    client, network, settings, monkeypatch, owner_only_video
):
    """Signed links expired on the page (a long pause): the venue's own staff still get in."""
    settings.MEDIA_STREAM_URL_SECONDS = 300
    links = playback_for(owner_only_video)
    monkeypatch.setattr(playback, "now", lambda: 10**10)
    assert client.get(links.hls).status_code == 403
    client.force_login(editor_of(network["liling"]))
    for url in (links.hls, links.hls.split("?")[0]):  # expired, and without a signature
        response = client.get(url)
        assert response.status_code == 200
        assert "Cookie" in response["Vary"]
        assert all("signature=" in url for url in uri_lines(response.content.decode()))


def test_plays_and_downloads_send_usage_events(client, public_video, events):
    links = playback_for(public_video)
    client.get(links.hls)
    client.get(links.hls)
    variant = resolve(links.hls, uri_lines(body(client.get(links.hls)).decode())[0])
    client.get(variant)
    client.get(resolve(variant, "seg_00000.ts"))
    client.get(links.mp4, HTTP_RANGE="bytes=0-")  # the MP4 fallback starts: a play
    client.get(links.mp4, HTTP_RANGE="bytes=0-1")  # Safari's probe: not a play
    client.get(links.mp4, HTTP_RANGE="bytes=5000-")  # a seek: not a play
    client.head(links.hls)
    original = reverse("resources:asset_file", args=[public_video.pk])
    client.get(original)
    client.get(original, HTTP_RANGE="bytes=100-")  # the same download, resumed: not counted
    client.head(original)

    assert [event["action"] for event in events] == ["play"] * 4 + ["download"]
    for event in events:
        assert event["instance"].pk == public_video.pk
        assert event["venue_id"] == public_video.owner_id
        assert event["at"].tzinfo is not None
        assert re.fullmatch(r"[0-9a-f]{32}", event["session"])
    # The same visitor is one anonymous session; no session is created for counting.
    assert len({event["session"] for event in events}) == 1
    assert "sessionid" not in client.cookies


def test_the_session_key_of_a_logged_in_visitor_is_hashed(client, network, public_video, events):
    editor = editor_of(network["liling"])
    client.force_login(editor)
    client.get(playback_for(public_video).hls)
    (event,) = events
    session_key = client.session.session_key
    assert session_key not in event["session"] and editor.username not in event["session"]
    client.logout()
    client.get(playback_for(public_video).hls)
    assert events[1]["session"] != event["session"]


def test_audio_and_pdf_renditions_are_served(client, owner, local_storage, clips):
    audio = processed(owner, clips["tone"], "audio")
    links = playback_for(audio)
    response = client.get(links.audio, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206 and response["Content-Type"] == "audio/mp4"
    assert client.get(links.waveform)["Content-Type"] == "image/png"

    pdf = processed(owner, clips["pdf"], "document", visibility="staff")
    links = playback_for(pdf)
    assert links.signed and links.pdf_preview
    assert client.get(links.pdf_preview)["Content-Type"] == "image/png"
    assert client.get(links.pdf_preview.split("?")[0]).status_code == 404


def test_the_s3_path_signs_playlists_with_presigned_bucket_urls(
    client,
    owner,
    s3_storage,
    settings,
    long_clip,  # noqa: F811
):
    settings.MEDIA_STREAM_URL_SECONDS = 60
    asset = processed(owner, long_clip, "video", visibility="staff")
    row = asset.processing
    links = playback_for(asset)

    variant_url = uri_lines(client.get(links.hls).content.decode())[0]
    assert variant_url.startswith("/stream/")
    segments = uri_lines(client.get(variant_url).content.decode())
    assert len(segments) == 3
    for number, url in enumerate(segments):
        assert url.startswith(s3_storage.url) and "X-Amz-Signature=" in url
        # Valid for the lifetime after the segment is due: 0 s, 4 s and 8 s into the video.
        assert re.search(r"X-Amz-Expires=(\d+)", url).group(1) == str(60 + 4 * number)
        with urlopen(url) as response:  # over HTTP from the moto server, no credentials
            assert response.read() == s3_storage.get(f"{row.output_prefix}360p/seg_{number:05d}.ts")

    redirect = client.get(links.mp4)
    assert redirect.status_code == 302
    assert "no-store" in redirect["Cache-Control"]
    with urlopen(redirect["Location"]) as response:
        assert response.headers["Content-Type"] == "video/mp4"
        assert response.read() == s3_storage.get(f"{row.output_prefix}video.mp4")

    # A public asset's master is the stored one; its variant still gets presigned segments.
    type(asset).objects.filter(pk=asset.pk).update(visibility="public")
    asset.refresh_from_db()
    links = playback_for(asset)
    master = client.get(links.hls)
    assert master.content == s3_storage.get(row.renditions.get(kind=RenditionKind.HLS_MASTER).path)
    variant = client.get(resolve(links.hls, uri_lines(master.content.decode())[0]))
    assert all("X-Amz-Signature=" in url for url in uri_lines(variant.content.decode()))


# --- the asset page --------------------------------------------------------------------------


def detail_url(asset):
    return reverse("catalogue:detail", args=["assets", asset.pk])


def test_the_asset_page_embeds_the_player(client, public_video):
    html = client.get(detail_url(public_video)).content.decode()
    links = playback_for(public_video)
    assert f'data-hls="{links.hls}"' in html
    assert f'<source src="{links.mp4}" type="video/mp4">' in html
    assert f'poster="{links.poster}"' in html and 'width="640" height="360"' in html
    assert "media_pipeline/vendor/hls.min.js" in html and "media_pipeline/player.js" in html


def test_the_page_of_a_restricted_video_carries_signed_links(client, network, owner_only_video):
    assert client.get(detail_url(owner_only_video)).status_code == 404
    client.force_login(editor_of(network["liling"]))
    html = client.get(detail_url(owner_only_video)).content.decode()
    hls = re.search(r'data-hls="([^"]+)"', html).group(1).replace("&amp;", "&")
    client.logout()
    assert "signature=" in hls and client.get(hls).status_code == 200


def test_the_page_shows_processing_with_its_percentage_then_the_failure(
    client, network, local_storage
):
    asset = make_asset(network["liling"], kind="video", filename="a.mp4", content=b"\0" * 64)
    AssetProcessing.objects.filter(asset=asset).update(status=Status.PROCESSING, progress=42)
    html = client.get(detail_url(asset)).content.decode()
    assert (
        '<span class="media-player__label">处理中</span> <span class="media-player__percent">42%</span>'
        in html
    )
    assert "<video" not in html and "hls.min.js" not in html

    reason = "文件中没有视频画面；如果这是音频文件，请把类型改为“音频”后重试。"
    AssetProcessing.objects.filter(asset=asset).update(status=Status.FAILED, error=reason)
    html = client.get(detail_url(asset)).content.decode()
    assert f"处理失败：{reason}" in html


def test_audio_and_image_pages(client, network, local_storage, clips):
    audio = processed(network["liling"], clips["tone"], "audio")
    html = client.get(detail_url(audio)).content.decode()
    links = playback_for(audio)
    assert (
        f'<audio class="media-player__audio" controls preload="none" src="{links.audio}">' in html
    )
    assert f'src="{links.waveform}"' in html

    image = processed(network["liling"], clips["photo"], "image")
    html = client.get(detail_url(image)).content.decode()
    assert "media-player" not in html.split("</head>")[1]
