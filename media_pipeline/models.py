"""The processing state of a media asset and the renditions made from it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import profiles


class Status(models.TextChoices):
    PENDING = "pending", _("待处理")
    PROCESSING = "processing", _("处理中")
    READY = "ready", _("可用")
    FAILED = "failed", _("失败")


class RenditionKind(models.TextChoices):
    HLS_MASTER = "hls_master", _("HLS 主播放列表")
    HLS_VARIANT = "hls_variant", _("HLS 码率档")
    MP4 = "mp4", _("MP4 视频")
    POSTER = "poster", _("封面帧")
    THUMBNAIL = "thumbnail", _("缩略图")
    AUDIO = "audio", _("音频")
    WAVEFORM = "waveform", _("波形图")
    PDF_PREVIEW = "pdf_preview", _("PDF 首页预览")
    IMAGE = "image", _("图片")


def validate_rung_names(value):
    if not isinstance(value, list) or any(name not in profiles.RUNG_NAMES for name in value):
        raise ValidationError(
            _("清晰度只能从 %(names)s 中选择。") % {"names": "、".join(profiles.RUNG_NAMES)}
        )


class AssetProcessing(models.Model):
    """Where an asset's processing stands, what the probe found, and which run holds it.

    `work_prefix` (random per run) is the running attempt's token: every write of a run is
    conditional on it, so a run that was taken over (file replaced, stale run resumed) stops
    and cleans up. `output_prefix` holds the current renditions' files. `attempts` counts the
    runs since the asset was last queued (a file change or a retry)."""

    asset = models.OneToOneField(
        "resources.MediaAsset",
        verbose_name=_("媒体资源"),
        on_delete=models.CASCADE,
        related_name="processing",
    )
    status = models.CharField(
        _("处理状态"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    error = models.TextField(_("失败原因"), blank=True)
    renditions_wanted = models.JSONField(
        _("保留的清晰度"),
        default=list,
        blank=True,
        validators=[validate_rung_names],
        help_text=_("留空表示不超过原片清晰度的全部档位。"),
    )
    # What the probe found.
    duration = models.FloatField(_("时长（秒）"), null=True, blank=True)
    width = models.PositiveIntegerField(_("宽度"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高度"), null=True, blank=True)
    frame_rate = models.FloatField(_("帧率"), null=True, blank=True)
    video_codec = models.CharField(_("视频编码"), max_length=30, blank=True)
    audio_codec = models.CharField(_("音频编码"), max_length=30, blank=True)
    bitrate = models.PositiveBigIntegerField(_("码率（bit/s）"), null=True, blank=True)
    page_count = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    # Bookkeeping of runs.
    source_name = models.CharField(_("处理的源文件"), max_length=255, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    work_prefix = models.CharField(max_length=255, blank=True, editable=False)
    output_prefix = models.CharField(max_length=255, blank=True, editable=False)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("媒体处理")
        verbose_name_plural = _("媒体处理")
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self):
        return f"{self.asset_id}: {self.get_status_display()}"


class AssetRendition(models.Model):
    """One output of processing, stored in the same storage as the asset's file."""

    processing = models.ForeignKey(
        AssetProcessing, on_delete=models.CASCADE, related_name="renditions"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=RenditionKind.choices)
    name = models.CharField(_("名称"), max_length=30, blank=True)
    path = models.CharField(_("存储路径"), max_length=255)
    width = models.PositiveIntegerField(_("宽度"), null=True, blank=True)
    height = models.PositiveIntegerField(_("高度"), null=True, blank=True)
    bitrate = models.PositiveBigIntegerField(_("码率（bit/s）"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    duration = models.FloatField(_("时长（秒）"), null=True, blank=True)

    class Meta:
        verbose_name = _("媒体衍生文件")
        verbose_name_plural = _("媒体衍生文件")
        ordering = ["kind", "height", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["processing", "kind", "name"], name="media_rendition_unique_name"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name}".strip()


from .upload_models import StorageQuota, UploadedPart, UploadSession, UploadStatus  # noqa: E402,F401
