"""Opening beyond the weekly timetable: holiday exceptions and the openings that really happened.

HoursException replaces a venue's weekly slots on one date (节假日闭馆 or 调整时段); ActualOpening
is a staff check-in (开馆打卡 … 闭馆打卡) or an imported record, so compliance can be measured
against what happened (network.compliance).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable


class HoursException(Orderable):
    """On `date` the venue opens only in these rows' slots; a row without times: closed all day."""

    venue = ParentalKey("network.Venue", on_delete=models.CASCADE, related_name="hours_exceptions")
    date = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=60, help_text=_("如“春节”“国庆节”“设备检修”。"))
    opens = models.TimeField(_("开放"), null=True, blank=True, help_text=_("留空表示全天闭馆。"))
    closes = models.TimeField(_("闭馆"), null=True, blank=True)
    closes_next_day = models.BooleanField(_("次日闭馆"), default=False)
    is_free = models.BooleanField(_("免费/低收费"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("节假日开放调整")
        verbose_name_plural = _("节假日开放调整")
        ordering = ["date", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False),
                name="network_exception_times_together",
                violation_error_message=_("开放和闭馆时间须同时填写，或同时留空（全天闭馆）。"),
            ),
        ]

    def __str__(self):
        if self.opens is None:
            return _("%(date)s %(reason)s 闭馆") % {"date": self.date, "reason": self.reason}
        return f"{self.date} {self.reason} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningSource(models.TextChoices):
    CHECKIN = "checkin", _("打卡")
    IMPORT = "import", _("导入")


class ActualOpening(models.Model):
    venue = models.ForeignKey(
        "network.Venue", on_delete=models.CASCADE, related_name="actual_openings"
    )
    opened_at = models.DateTimeField(_("开馆时间"))
    closed_at = models.DateTimeField(_("闭馆时间"), null=True, blank=True)
    is_free = models.BooleanField(_("免费/低收费"), default=True)
    source = models.CharField(_("来源"), max_length=10, choices=OpeningSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("实际开放记录")
        verbose_name_plural = _("实际开放记录")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gt=F("opened_at")),
                name="network_actual_closes_after_opens",
                violation_error_message=_("闭馆时间必须晚于开馆时间。"),
            ),
            # One open check-in per venue: a second 开馆打卡 before 闭馆打卡 is refused.
            models.UniqueConstraint(
                fields=["venue"],
                condition=Q(closed_at__isnull=True),
                name="network_one_open_checkin",
                violation_error_message=_("该场馆已开馆打卡，请先闭馆打卡。"),
            ),
        ]

    def __str__(self):
        return f"{self.venue} {self.opened_at:%Y-%m-%d %H:%M}"
