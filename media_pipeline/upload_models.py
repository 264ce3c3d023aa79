"""Chunked uploads in progress, the parts received, and each venue's storage quota.

Imported by media_pipeline/models.py so Django registers them with the app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from resources.vocab import AssetKind, Visibility

GIB = 1024**3


class UploadStatus(models.TextChoices):
    UPLOADING = "uploading", _("上传中")
    COMPLETING = "completing", _("校验中")
    COMPLETED = "completed", _("已完成")
    REJECTED = "rejected", _("未通过检查")
    ABORTED = "aborted", _("已放弃")
    EXPIRED = "expired", _("已过期")


# Sessions that hold (or are about to hold) bytes in storage, and so count against the quota.
OPEN_STATUSES = (UploadStatus.UPLOADING, UploadStatus.COMPLETING)


class UploadSession(models.Model):
    """One file on its way into media storage, part by part, in order.

    Local storage: the parts are written at their offsets into one staging file, which becomes
    the asset's file when complete. S3: the parts are the parts of an S3 multipart upload to the
    asset's final key (`upload_id`), completed or aborted by S3 itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    venue = models.ForeignKey(
        "network.Venue", verbose_name=_("所属场馆"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.CASCADE
    )
    title = models.CharField(_("标题"), max_length=150)
    kind = models.CharField(_("类型"), max_length=10, choices=AssetKind.choices)
    visibility = models.CharField(
        _("可见范围"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    file_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("声明大小（字节）"))
    declared_sha256 = models.CharField(_("声明的 SHA-256"), max_length=64, blank=True)
    chunk_size = models.PositiveIntegerField(_("分片大小（字节）"))
    storage_key = models.CharField(_("存储路径"), max_length=255)
    upload_id = models.CharField(_("S3 分段上传 ID"), max_length=1024, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=UploadStatus.choices, default=UploadStatus.UPLOADING
    )
    assembled = models.BooleanField(_("已合并"), default=False)
    error = models.TextField(_("未通过的原因"), blank=True)
    asset = models.ForeignKey(
        "resources.MediaAsset",
        verbose_name=_("媒体资源"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate = models.BooleanField(_("与已有文件相同"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    expires_at = models.DateTimeField(_("过期时间"))

    class Meta:
        verbose_name = _("分片上传")
        verbose_name_plural = _("分片上传")
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def part_count(self):
        return max(1, -(-self.size // self.chunk_size))

    def part_size(self, number):
        """Bytes part `number` (1-based) must have: chunk_size, except the last part's rest."""
        if number < self.part_count:
            return self.chunk_size
        return self.size - (self.part_count - 1) * self.chunk_size

    def stored_parts(self):
        return self.parts.filter(stored_at__isnull=False).order_by("number")

    def first_missing_part(self, stored_numbers):
        """The lowest part number not in `stored_numbers` (part_count + 1 when none is)."""
        stored = set(stored_numbers)
        return next(n for n in range(1, self.part_count + 2) if n not in stored)


class UploadedPart(models.Model):
    """A part of a session, with the checksum the client sent and S3's ETag. The row is made
    (claiming the number for that checksum) before the bytes are written, outside any lock, so
    parts go to storage side by side; `stored_at` is set once they are there."""

    session = models.ForeignKey(UploadSession, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField(_("序号"))
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    etag = models.CharField(_("ETag"), max_length=100, blank=True)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    stored_at = models.DateTimeField(_("保存时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("已接收分片")
        verbose_name_plural = _("已接收分片")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="media_upload_part_unique")
        ]

    def __str__(self):
        return f"{self.session_id} #{self.number}"


class StorageQuota(models.Model):
    """The storage a venue may use, set by the hub; venues without one get the default
    (settings.MEDIA_UPLOAD_DEFAULT_QUOTA_GB)."""

    venue = models.OneToOneField(
        "network.Venue",
        verbose_name=_("场馆"),
        on_delete=models.CASCADE,
        related_name="storage_quota",
    )
    limit_gb = models.PositiveIntegerField(
        _("配额（GB）"), help_text=_("该场馆的媒体文件（含转码生成的文件）最多可占用的空间。")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("存储配额")
        verbose_name_plural = _("存储配额")
        ordering = ["venue__code"]

    def __str__(self):
        return f"{self.venue}: {self.limit_gb} GB"

    @property
    def limit_bytes(self):
        return self.limit_gb * GIB
