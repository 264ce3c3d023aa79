"""GET /api/v1/assets/{id}: a media asset's processing status, metadata and playback links."""

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from resources.models import MediaAsset

from .models import RenditionKind
from .playback import is_public, link, playback_for, processing_of
from .streaming import CONTENT_TYPES

router = Router(tags=["媒体资源"])


class ErrorOut(Schema):
    detail: str


class PlaybackOut(Schema):
    hls: str | None = Field(description="HLS 主播放列表（视频）")
    mp4: str | None = Field(description="MP4 渐进式视频（不支持 HLS 时使用）")
    audio: str | None = Field(description="M4A（AAC）音频")
    pdf_preview: str | None = Field(description="PDF 首页预览图（PNG）")


class ImageOut(Schema):
    url: str
    type: str = Field(description="MIME 类型：image/webp 或 image/avif")
    width: int
    height: int


class AssetOut(Schema):
    id: int
    title: str
    kind: str = Field(description="类型代码：video、audio、image、document")
    kind_label: str = Field(description="类型名称")
    venue: str = Field(description="所属场馆")
    venue_code: str
    status: str = Field(description="处理状态代码：pending、processing、ready、failed")
    status_label: str = Field(description="处理状态：待处理、处理中、可用、失败")
    progress: int = Field(description="处理进度（0–100）")
    error: str = Field(description="失败原因（仅在失败时）")
    duration: float | None = Field(description="时长（秒）")
    width: int | None = Field(description="画面宽度（像素）")
    height: int | None = Field(description="画面高度（像素）")
    page_count: int | None = Field(description="PDF 页数")
    poster: str | None = Field(description="视频封面帧")
    thumbnails: list[str] = Field(description="视频缩略图")
    waveform: str | None = Field(description="音频波形图")
    images: list[ImageOut] = Field(
        description="图片的 WebP/AVIF 衍生图（多个宽度，不放大），可用于 <picture> 与 srcset"
    )
    playback: PlaybackOut = Field(description="播放地址（处理完成后才有）")
    file: str = Field(description="原文件（查看/下载）")
    signed: bool = Field(description="地址是否为限时签名链接（非公开资源）")
    expires_in: int | None = Field(description="签名链接的有效期（秒），从媒体播放到相应位置时起算")


@router.get(
    "/assets/{asset_id}",
    response={200: AssetOut, 404: ErrorOut},
    summary="媒体资源详情与播放地址",
    description=(
        "返回处理状态（待处理、处理中、可用、失败及原因）、时长、画面尺寸、封面和缩略图，以及"
        "HLS 与 MP4 播放地址（音频为 M4A，PDF 为首页预览）。非公开资源的地址是限时签名链接，"
        "过期后请重新请求本接口。无权查看的资源返回 404。"
    ),
    url_name="asset_detail",
)
def asset_detail(request, asset_id: int):
    asset = (
        MediaAsset.objects.visible_to(request.user)
        .select_related("owner", "processing")
        .filter(pk=asset_id)
        .first()
    )
    if asset is None:
        raise HttpError(404, _("找不到该媒体资源，或您没有查看权限。"))
    info = playback_for(asset)

    def absolute(url):
        return request.build_absolute_uri(url) if url else None

    return {
        "id": asset.pk,
        "title": asset.title,
        "kind": asset.kind,
        "kind_label": asset.get_kind_display(),
        "venue": asset.owner.name,
        "venue_code": asset.owner.code,
        "status": info.status,
        "status_label": info.status_label,
        "progress": info.progress,
        "error": info.error,
        "duration": info.duration,
        "width": info.width,
        "height": info.height,
        "page_count": info.page_count,
        "poster": absolute(info.poster),
        "thumbnails": [absolute(url) for url in info.thumbnails],
        "waveform": absolute(info.waveform),
        "images": image_renditions(asset, info, absolute),
        "playback": {
            name: absolute(getattr(info, name)) for name in ("hls", "mp4", "audio", "pdf_preview")
        },
        "file": absolute(reverse("resources:asset_file", args=[asset.pk])),
        "signed": info.signed,
        "expires_in": info.expires_in,
    }


def image_renditions(asset, info, absolute):
    """An image's renditions, narrowest first (links signed as for playback)."""
    row = processing_of(asset)
    if row is None or not info.ready:
        return []
    restricted = not is_public(asset)
    renditions = row.renditions.filter(kind=RenditionKind.IMAGE).order_by("width", "name")
    return [
        {
            "url": absolute(link(rendition, restricted)),
            "type": CONTENT_TYPES[rendition.path.rsplit(".", 1)[1]],
            "width": rendition.width,
            "height": rendition.height,
        }
        for rendition in renditions
    ]
