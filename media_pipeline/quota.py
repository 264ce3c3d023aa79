"""Each venue's storage quota: what it may use, what it uses, and whether a new file fits.

Usage counts every stored byte the venue answers for: its assets' original files and the
renditions made from them, plus the declared sizes of its uploads still in progress (so two
uploads started side by side cannot together pass the quota).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Sum
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .upload_models import GIB, OPEN_STATUSES, StorageQuota, UploadSession


class QuotaExceeded(Exception):
    """The file does not fit; the message is the Chinese explanation for the editor."""


@dataclass(frozen=True)
class Usage:
    limit: int  # bytes
    stored: int  # originals and renditions
    reserved: int  # uploads in progress

    @property
    def used(self):
        return self.stored + self.reserved

    @property
    def remaining(self):
        return max(self.limit - self.used, 0)

    @property
    def percent(self):
        return min(100, round(100 * self.used / self.limit)) if self.limit else 100


def limit_bytes(venue):
    quota = StorageQuota.objects.filter(venue=venue).values_list("limit_gb", flat=True).first()
    return (settings.MEDIA_UPLOAD_DEFAULT_QUOTA_GB if quota is None else quota) * GIB


def stored_bytes(venue):
    from resources.models import MediaAsset

    from .models import AssetRendition

    originals = MediaAsset.objects.filter(owner=venue).aggregate(total=Sum("file_size"))
    renditions = AssetRendition.objects.filter(processing__asset__owner=venue).aggregate(
        total=Sum("size")
    )
    return (originals["total"] or 0) + (renditions["total"] or 0)


def reserved_bytes(venue, exclude=None):
    sessions = UploadSession.objects.filter(venue=venue, status__in=OPEN_STATUSES)
    if exclude is not None:
        sessions = sessions.exclude(pk=exclude.pk)
    return sessions.aggregate(total=Sum("size"))["total"] or 0


def usage(venue, exclude=None):
    """The venue's Usage; `exclude` leaves one upload session out of the reserved bytes."""
    return Usage(
        limit=limit_bytes(venue),
        stored=stored_bytes(venue),
        reserved=reserved_bytes(venue, exclude),
    )


def check_room(venue, size, exclude=None):
    """Raise QuotaExceeded unless `size` more bytes fit in the venue's quota."""
    current = usage(venue, exclude)
    if size > current.remaining:
        raise QuotaExceeded(
            _(
                "存储空间不足：%(venue)s的配额为 %(limit)s，已使用 %(used)s，剩余 %(remaining)s，"
                "本文件 %(size)s。请删除不再需要的媒体文件，或联系总馆提高配额。"
            )
            % {
                "venue": venue.name,
                "limit": filesizeformat(current.limit),
                "used": filesizeformat(current.used),
                "remaining": filesizeformat(current.remaining),
                "size": filesizeformat(size),
            }
        )
