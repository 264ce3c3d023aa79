"""Borrowing between venues (借用): the Loan model and its status vocabulary.

The "no double booking" guarantee lives in the database, not here: migration 0003_loans adds an
exclusion constraint (PostgreSQL) or triggers (SQLite) over (resource_key, booked_from..booked_until)
for exclusive loans in a holding status. resources.loan_services translates its error.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LoanStatus(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    DECLINED = "declined", _("已拒绝")
    CANCELLED = "cancelled", _("已取消")
    LENT = "lent", _("已借出")
    IN_USE = "in_use", _("使用中")
    RETURNED = "returned", _("已归还")
    OVERDUE = "overdue", _("逾期")


# Statuses in which the item is booked: overlapping exclusive loans in these are refused.
HOLDING_STATUSES = (
    LoanStatus.APPROVED,
    LoanStatus.LENT,
    LoanStatus.IN_USE,
    LoanStatus.OVERDUE,
)
# Statuses that still await the lender's decision or the loan's end.
OPEN_STATUSES = (LoanStatus.REQUESTED, *HOLDING_STATUSES)

# Name shared by the PostgreSQL exclusion constraint and the SQLite triggers' error message, so
# the service recognises the overlap error on both databases.
NO_OVERLAP_CONSTRAINT = "resources_loan_no_overlap"

# The kinds of items one can borrow: resource_key prefix → Loan foreign key field.
ITEM_FIELDS = {"teacher": "teacher", "programme": "programme", "asset": "teaching_asset"}


class LoanQuerySet(models.QuerySet):
    def for_venues(self, venues):
        """Loans in which one of `venues` lends or borrows."""
        return self.filter(Q(lender__in=venues) | Q(borrower__in=venues))

    def holding(self):
        return self.filter(status__in=HOLDING_STATUSES)

    def overlapping(self, resource_key, booked_from, booked_until):
        """Exclusive loans of one item whose booked period (both ends inclusive) overlaps."""
        return self.filter(
            resource_key=resource_key,
            exclusive=True,
            booked_from__lte=booked_until,
            booked_until__gte=booked_from,
        )


class Loan(models.Model):
    """One venue borrowing another venue's teacher, programme or teaching asset for some dates."""

    teacher = models.ForeignKey(
        "resources.Teacher",
        verbose_name=_("师资"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,  # the loan history must outlive nothing it refers to
        related_name="loans",
    )
    programme = models.ForeignKey(
        "resources.Programme",
        verbose_name=_("节目/服务项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    teaching_asset = models.ForeignKey(
        "resources.TeachingAsset",
        verbose_name=_("教学资产"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    # Denormalised so the database can compare "the same item" in one column: "teacher:12".
    resource_key = models.CharField(_("资源"), max_length=40, editable=False, db_index=True)
    # False for digital teaching assets, which many venues may use at once.
    exclusive = models.BooleanField(_("独占"), default=True, editable=False)

    lender = models.ForeignKey(
        "network.Venue",
        verbose_name=_("出借场馆"),
        on_delete=models.PROTECT,
        related_name="lent_loans",
        editable=False,
    )
    borrower = models.ForeignKey(
        "network.Venue",
        verbose_name=_("借用场馆"),
        on_delete=models.PROTECT,
        related_name="borrowed_loans",
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    # The period the item is booked for, buffers for transport and preparation included.
    booked_from = models.DateField(_("占用开始"), editable=False)
    booked_until = models.DateField(_("占用结束"), editable=False)
    purpose = models.TextField(_("用途"))

    status = models.CharField(
        _("状态"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.REQUESTED
    )
    decision_reason = models.TextField(_("审批意见"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("借用")
        verbose_name_plural = _("借用")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["resource_key", "booked_from", "booked_until"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    teacher__isnull=False, programme__isnull=True, teaching_asset__isnull=True
                )
                | Q(teacher__isnull=True, programme__isnull=False, teaching_asset__isnull=True)
                | Q(teacher__isnull=True, programme__isnull=True, teaching_asset__isnull=False),
                name="resources_loan_exactly_one_item",
                violation_error_message=_("每次借用必须且只能选择一项资源。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="resources_loan_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            ),
            models.CheckConstraint(
                condition=Q(booked_until__gte=models.F("booked_from")),
                name="resources_loan_booking_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(lender=models.F("borrower")),
                name="resources_loan_not_own_venue",
                violation_error_message=_("不能向本馆借用。"),
            ),
        ]

    def __str__(self):
        return f"{self.borrower} 借用 {self.item}（{self.start_date} 至 {self.end_date}）"

    def save(self, *args, **kwargs):
        item = self.item
        if item is not None:
            self.resource_key = self.key_for(item)
            self.exclusive = not getattr(item, "is_digital", False)
            if self.lender_id is None:
                self.lender_id = item.owner_id
            # Buffers are fixed when the loan is made: later rule changes do not move bookings.
            if self._state.adding or self.booked_from is None or self.booked_until is None:
                self.booked_from = self.start_date - timedelta(days=item.buffer_days_before)
                self.booked_until = self.end_date + timedelta(days=item.buffer_days_after)
        super().save(*args, **kwargs)

    @property
    def item(self):
        return self.teacher or self.programme or self.teaching_asset

    @property
    def item_kind(self):
        """The item's model verbose name: 师资, 节目/服务项目 or 教学资产."""
        item = self.item
        return item._meta.verbose_name if item is not None else ""

    @staticmethod
    def key_for(item):
        for prefix, field in ITEM_FIELDS.items():
            if isinstance(item, Loan._meta.get_field(field).related_model):
                return f"{prefix}:{item.pk}"
        raise TypeError(f"{type(item).__name__} cannot be borrowed")

    def set_item(self, item):
        for field in ITEM_FIELDS.values():
            setattr(self, field, None)
        prefix = self.key_for(item).split(":")[0]
        setattr(self, ITEM_FIELDS[prefix], item)

    @property
    def days(self):
        return (self.end_date - self.start_date).days + 1

    @property
    def is_holding(self):
        return self.status in HOLDING_STATUSES
