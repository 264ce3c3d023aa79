"""GET /api/v1/assets/{id}: status, metadata and playback links, signed where restricted."""

import pytest
from django.urls import reverse

from media_pipeline.models import AssetProcessing, Status
from tests.factories import editor_of
from tests.resources.factories import make_asset

from .playing import long_clip, processed, site_path  # noqa: F401

pytestmark = pytest.mark.django_db


def api_url(asset_id):
    return reverse("api-v1:asset_detail", kwargs={"asset_id": asset_id})


def test_a_processed_public_video(client, network, local_storage, long_clip):  # noqa: F811
    asset = processed(network["liling"], long_clip, "video", title="花鼓戏选段")
    response = client.get(api_url(asset.pk))
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "花鼓戏选段"
    assert (data["kind"], data["kind_label"]) == ("video", "视频")
    assert (data["venue"], data["venue_code"]) == ("醴陵市文化馆", "liling-main")
    assert (data["status"], data["status_label"], data["progress"]) == ("ready", "可用", 100)
    assert data["error"] == ""
    assert data["duration"] == pytest.approx(9, abs=0.1)
    assert (data["width"], data["height"]) == (640, 360)
    assert data["signed"] is False and data["expires_in"] is None
    assert data["poster"].startswith("http://testserver/stream/")
    assert len(data["thumbnails"]) == 3
    playback = data["playback"]
    assert playback["hls"].endswith("/master.m3u8") and playback["mp4"].endswith("/video.mp4")
    assert playback["audio"] is None and playback["pdf_preview"] is None
    assert data["file"] == f"http://testserver/catalogue/assets/{asset.pk}/file/"

    master = client.get(site_path(playback["hls"]))
    assert master.status_code == 200
    assert b"#EXT-X-STREAM-INF" in b"".join(master.streaming_content)
    assert client.get(site_path(data["poster"]))["Content-Type"] == "image/jpeg"


def test_a_restricted_asset_is_404_unless_visible_and_then_signed(
    client,
    network,
    local_storage,
    long_clip,  # noqa: F811
):
    asset = processed(network["liling"], long_clip, "video", visibility="owner")
    response = client.get(api_url(asset.pk))
    assert response.status_code == 404
    assert response.json() == {"detail": "找不到该媒体资源，或您没有查看权限。"}
    assert client.get(api_url(asset.pk + 1000)).json() == response.json()
    client.force_login(editor_of(network["youxian"]))
    assert client.get(api_url(asset.pk)).status_code == 404

    client.force_login(editor_of(network["liling"]))
    data = client.get(api_url(asset.pk)).json()
    assert data["signed"] is True and data["expires_in"] == 300
    links = [data["poster"], *data["thumbnails"], data["playback"]["hls"], data["playback"]["mp4"]]
    assert all("signature=" in link for link in links)
    client.logout()  # a signed link works for whoever holds it, for a while
    assert client.get(site_path(data["playback"]["hls"])).status_code == 200
    assert client.get(site_path(data["playback"]["mp4"])).status_code == 200


def test_processing_and_failure_are_reported_in_chinese(client, network, local_storage):
    asset = make_asset(network["liling"], content=b"\0" * 64, filename="a.mp4", kind="video")
    AssetProcessing.objects.filter(asset=asset).update(status=Status.PROCESSING, progress=42)
    data = client.get(api_url(asset.pk)).json()
    assert (data["status"], data["status_label"], data["progress"]) == ("processing", "处理中", 42)
    assert data["playback"] == {"hls": None, "mp4": None, "audio": None, "pdf_preview": None}
    assert data["poster"] is None and data["thumbnails"] == []

    reason = "文件不完整：只能读出 2.0 秒，而文件标明的时长是 10.0 秒，可能上传中断或文件被截断。"
    AssetProcessing.objects.filter(asset=asset).update(status=Status.FAILED, error=reason)
    data = client.get(api_url(asset.pk)).json()
    assert (data["status"], data["status_label"], data["error"]) == ("failed", "失败", reason)


def test_audio_document_and_image_assets(client, network, local_storage, clips):
    audio = client.get(api_url(processed(network["liling"], clips["tone"], "audio").pk)).json()
    assert audio["playback"]["audio"].endswith("/audio.m4a")
    assert audio["waveform"].endswith("/waveform.png") and audio["playback"]["hls"] is None
    assert audio["duration"] == pytest.approx(3, abs=0.1)

    pdf = client.get(api_url(processed(network["liling"], clips["pdf"], "document").pk)).json()
    assert pdf["page_count"] == 3 and pdf["playback"]["pdf_preview"].endswith("/preview.png")

    image = processed(network["liling"], clips["photo"], "image")
    data = client.get(api_url(image.pk)).json()
    assert (data["status"], data["status_label"]) == ("ready", "可用")
    assert (data["width"], data["height"]) == (1200, 800)
    assert data["playback"]["hls"] is None and audio["images"] == pdf["images"] == []
    # WebP and AVIF at each width up to the image's own, narrowest first, served by /stream.
    shown = [(item["type"], item["width"], item["height"]) for item in data["images"]]
    assert shown == [
        ("image/avif", 480, 320),
        ("image/webp", 480, 320),
        ("image/avif", 960, 640),
        ("image/webp", 960, 640),
    ]
    for item in data["images"]:
        response = client.get(site_path(item["url"]))
        assert response.status_code == 200 and response["Content-Type"] == item["type"]


def test_a_restricted_images_renditions_are_signed(client, network, local_storage, clips):
    image = processed(network["liling"], clips["photo"], "image", visibility="owner")
    client.force_login(editor_of(network["liling"]))
    urls = [item["url"] for item in client.get(api_url(image.pk)).json()["images"]]
    assert len(urls) == 4 and all("signature=" in url for url in urls)
    client.logout()
    assert client.get(site_path(urls[0])).status_code == 200


def test_wrong_id_type_is_a_chinese_error(client, db):
    response = client.get("/api/v1/assets/abc")
    assert response.status_code == 422
    assert "参数格式不正确" in response.json()["detail"]


def test_described_in_the_openapi_document(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/assets/{asset_id}"]["get"]
    assert operation["summary"] == "媒体资源详情与播放地址"
    assert "签名" in operation["description"] and operation["tags"] == ["媒体资源"]
    assert set(operation["responses"]) == {"200", "404"}
    fields = schema["components"]["schemas"]["AssetOut"]["properties"]
    assert fields["status_label"]["description"].startswith("处理状态")
    assert "hls" in schema["components"]["schemas"]["PlaybackOut"]["properties"]
    assert "WebP/AVIF" in fields["images"]["description"]
