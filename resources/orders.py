"""Ordering from the menu (点单配送, 超市化服务): a branch or service point orders a course package
or a programme from the hub or its main centre, which delivers it on a date.

The provider's teachers and programmes are booked through Loans (resources.loans), so the
database's no-double-booking guarantee covers orders too. Orders link their loans through a
table of their own: a new column on resources_loan would make SQLite rebuild that table and drop
its overlap triggers. Every transition goes through resources.order_services.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network.plan import ORDER_RATING_RANGE

from .vocab import CourseStatus, Visibility

# What is on a provider's menu: its courses and programmes other venues may see, courses
# once they leave the draft stage.
MENU_VISIBILITIES = (Visibility.PUBLIC, Visibility.STAFF)
MENU_COURSE_EXCLUDED_STATUSES = (CourseStatus.DRAFT,)


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", _("已点单")
    ACCEPTED = "accepted", _("已受理")
    SCHEDULED = "scheduled", _("已排期")
    DELIVERED = "delivered", _("已配送")
    RATED = "rated", _("已评价")
    DECLINED = "declined", _("已拒绝")
    CANCELLED = "cancelled", _("已取消")


class ServiceOrderQuerySet(models.QuerySet):
    def for_venues(self, venues):
        """Orders in which one of `venues` orders or provides."""
        return self.filter(Q(orderer__in=venues) | Q(provider__in=venues))


class ServiceOrder(models.Model):
    """One order of a course package or a programme, from the ordering venue to the provider."""

    orderer = models.ForeignKey(
        "network.Venue",
        verbose_name=_("点单场馆"),
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    provider = models.ForeignKey(
        "network.Venue",
        verbose_name=_("配送场馆"),
        on_delete=models.PROTECT,
        related_name="received_service_orders",
    )
    course = models.ForeignKey(
        "resources.Course",
        verbose_name=_("课程包"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    programme = models.ForeignKey(
        "resources.Programme",
        verbose_name=_("节目/服务项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_orders",
    )
    date = models.DateField(_("配送日期"))
    start_time = models.TimeField(_("开始时间"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=200)
    audience_size = models.PositiveIntegerField(_("预计人数"), validators=[MinValueValidator(1)])
    note = models.TextField(_("备注"), blank=True)

    status = models.CharField(
        _("状态"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    # The provider's teachers and programme booked for the date (kept after a release, as history).
    loans = models.ManyToManyField(
        "resources.Loan",
        verbose_name=_("占用的资源"),
        blank=True,
        editable=False,
        related_name="service_orders",
    )
    decline_reason = models.TextField(_("拒绝理由"), blank=True)
    attendance = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    delivery_note = models.TextField(_("配送情况"), blank=True)
    photos = models.ManyToManyField(
        "wagtailimages.Image", verbose_name=_("现场照片"), blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    rating_comment = models.TextField(_("评价"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("点单人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("点单时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ServiceOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("点单")
        verbose_name_plural = _("点单")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, programme__isnull=True)
                | Q(course__isnull=True, programme__isnull=False),
                name="resources_order_exactly_one_item",
                violation_error_message=_("每次点单必须且只能选择一个课程包或节目。"),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=ORDER_RATING_RANGE[0], rating__lte=ORDER_RATING_RANGE[1]),
                name="resources_order_rating_range",
                violation_error_message=_("评分超出范围。"),
            ),
            models.CheckConstraint(
                condition=~Q(orderer=models.F("provider")),
                name="resources_order_not_own_venue",
                violation_error_message=_("不能向本馆点单。"),
            ),
        ]

    def __str__(self):
        return f"{self.orderer} 点单 {self.item}（{self.date}）"

    @property
    def item(self):
        return self.course or self.programme

    @property
    def item_kind(self):
        return _("课程包") if self.course_id else _("节目/服务项目")


class OrderEvent(models.Model):
    """The order's timeline: every step, who took it and when (reports count these)."""

    order = models.ForeignKey(
        ServiceOrder, verbose_name=_("点单"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(
        _("原状态"), max_length=12, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=12, choices=OrderStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("点单记录")
        verbose_name_plural = _("点单记录")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.order_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"
