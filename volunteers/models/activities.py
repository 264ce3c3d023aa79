"""Volunteer activities, their shifts, sign-ups and the service records (hours) they yield.

A Shift is the counter row every sign-up locks: `taken` counts the places held and a database
CHECK keeps it at or below `places` (the pattern of training.models.Offering), so no code path
can over-fill a shift. Service records keep started/ended as aware datetimes; their hours never
exceed the shift's length, and the service date is the Shanghai date the service started on."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..rules import HOURS_PLACES

HUNDREDTH = Decimal(1).scaleb(-HOURS_PLACES)


def hours_between(start, end):
    """Hours from `start` to `end` (aware datetimes), to the hundredth, rounded down."""
    seconds = Decimal((end - start).total_seconds())
    return (seconds / 3600).quantize(HUNDREDTH, rounding="ROUND_DOWN")


class Activity(models.Model):
    title = models.CharField(_("活动名称"), max_length=120)
    venue = models.ForeignKey(
        "network.Venue",
        verbose_name=_("组织场馆"),
        on_delete=models.PROTECT,
        related_name="volunteer_activities",
    )
    grid = models.ForeignKey(
        "volunteers.Grid",
        verbose_name=_("网格"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    location = models.CharField(_("地点"), max_length=200, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(_("活动介绍"), blank=True)
    published = models.BooleanField(
        _("已发布"), default=True, help_text=_("发布后志愿者可以看到并报名。")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务活动")
        verbose_name_plural = _("志愿服务活动")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.title


class Shift(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="shifts"
    )
    role = models.CharField(_("岗位"), max_length=60)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    places = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1)])
    taken = models.PositiveIntegerField(_("已报名"), default=0, editable=False)

    class Meta:
        verbose_name = _("班次")
        verbose_name_plural = _("班次")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("places")),
                name="volunteers_shift_not_overfilled",
                violation_error_message=_("报名人数不能超过名额。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="volunteers_shift_ends_after_start",
                violation_error_message=_("结束时间必须晚于开始时间。"),
            ),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{self.activity} · {self.role} · {start:%Y-%m-%d %H:%M}"

    @property
    def duration_hours(self):
        return hours_between(self.starts_at, self.ends_at)

    @property
    def places_left(self):
        return max(self.places - self.taken, 0)


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    CANCELLED = "cancelled", _("已取消")
    DECLINED = "declined", _("未录用")


# Sign-ups that hold one of the shift's places.
HOLDING = (SignupStatus.SIGNED_UP, SignupStatus.CONFIRMED)


class ShiftSignup(models.Model):
    # A shift people signed up for (and so perhaps served in) is never deleted with its records.
    shift = models.ForeignKey(
        Shift, verbose_name=_("班次"), on_delete=models.PROTECT, related_name="signups"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("志愿者"),
        on_delete=models.CASCADE,
        related_name="signups",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.SIGNED_UP
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("确认/取消时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("班次报名")
        verbose_name_plural = _("班次报名")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status__in=HOLDING),
                name="volunteers_one_signup_per_shift",
                violation_error_message=_("您已报名该班次，不能重复报名。"),
            ),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True)
                | Q(checked_in_at__isnull=False, checked_out_at__gt=F("checked_in_at")),
                name="volunteers_signup_out_after_in",
                violation_error_message=_("签退时间必须晚于签到时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} · {self.shift}"


class RecordSource(models.TextChoices):
    QR = "qr", _("扫码签到签退")
    STAFF = "staff", _("工作人员录入")
    SELF = "self", _("本人申报")


class RecordStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("未通过")


class ServiceRecord(models.Model):
    """One volunteer's service in one shift: the hours that count once confirmed."""

    signup = models.OneToOneField(
        ShiftSignup, verbose_name=_("班次报名"), on_delete=models.CASCADE, related_name="record"
    )
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("服务时长（小时）"), max_digits=6, decimal_places=HOURS_PLACES)
    service_date = models.DateField(_("服务日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=5, choices=RecordSource.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.PENDING
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("服务记录")
        verbose_name_plural = _("服务记录")
        ordering = ["-started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gt=F("started_at")),
                name="volunteers_record_ends_after_start",
                violation_error_message=_("结束时间必须晚于开始时间。"),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="volunteers_record_positive_hours"
            ),
        ]
        indexes = [models.Index(fields=["status", "service_date"])]

    def __str__(self):
        return f"{self.signup} · {self.hours} h"

    @property
    def volunteer(self):
        return self.signup.volunteer

    @property
    def shift(self):
        return self.signup.shift
