"""Admission of a new branch or service point (入网): the application and its steps' records.

The steps (network.plan.ADMISSION_STEPS) are moved only by network.admission_services, which
guards each move with a conditional UPDATE on the current stage. The constraints below keep the
records consistent even against a bug there: a venue is linked exactly when the application is
运行中, and step dates never run backwards.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .plan import AdmissionStage, Level, OperatorType


class InspectionConclusion(models.TextChoices):
    PASS = "pass", _("通过")
    RECTIFY = "rectify", _("整改后复查")
    FAIL = "fail", _("不予通过")


def _private_path(folder, filename):
    # Unguessable names: files are served only through the permission-checking view.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"network/admission/{folder}/{uuid.uuid4().hex}{suffix}"


def agreement_path(instance, filename):
    return _private_path("agreements", filename)


def photo_path(instance, filename):
    return _private_path("inspections", filename)


def _ordered(later, earlier):
    return Q(**{f"{later}__isnull": True}) | Q(**{f"{later}__gte": F(earlier)})


class Application(models.Model):
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        on_delete=models.PROTECT,
        related_name="venue_applications",
    )
    # Entered in the admin by a reviewer for someone else: the account is not the applicant's,
    # so it does not join the new venue's editors at 挂牌.
    submitted_on_behalf = models.BooleanField(_("代为提交"), default=False)
    applied_on = models.DateField(_("申请日期"), default=timezone.localdate)
    organisation = models.CharField(_("申请单位"), max_length=120)
    level = models.CharField(
        _("申请类型"),
        max_length=10,
        choices=[(level, Level(level).label) for level in (Level.BRANCH, Level.POINT)],
    )
    operator_type = models.CharField(_("举办主体"), max_length=20, choices=OperatorType.choices)
    place_name = models.CharField(
        _("地名/简称"), max_length=60, help_text=_("挂牌名称中的“XX”，如“浦口”“石门村”。")
    )
    district = models.CharField(_("区县"), max_length=30)
    township = models.CharField(_("乡镇/街道"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    floor_area = models.DecimalField(
        _("面积（㎡）"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(0, _("面积不能为负数。"))],
    )
    has_functional_rooms = models.BooleanField(_("功能用房齐备"), default=False)
    has_training_room = models.BooleanField(_("有培训教室"), default=False)
    staff_count = models.PositiveIntegerField(_("专门人员数"), default=0)
    contact_name = models.CharField(_("联系人"), max_length=30)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    description = models.TextField(_("情况说明"), blank=True)

    reviewer = models.ForeignKey(
        "network.Venue",
        verbose_name=_("受理场馆"),
        on_delete=models.PROTECT,
        related_name="applications_to_review",
    )
    stage = models.CharField(
        _("进度"), max_length=12, choices=AdmissionStage.choices, default=AdmissionStage.INSPECTION
    )
    returned_from = models.CharField(
        _("退回时所在步骤"), max_length=12, choices=AdmissionStage.choices, blank=True
    )
    return_reason = models.TextField(_("退回理由"), blank=True)

    inspected_on = models.DateField(_("考察日期"), null=True, blank=True)
    inspectors = models.CharField(_("考察人员"), max_length=200, blank=True)
    checklist = models.JSONField(_("检查结果"), default=dict, blank=True)
    inspection_conclusion = models.CharField(
        _("考察结论"), max_length=10, choices=InspectionConclusion.choices, blank=True
    )
    inspection_notes = models.TextField(_("考察意见"), blank=True)

    agreement_file = models.FileField(_("合作协议"), upload_to=agreement_path, blank=True)
    agreement_generated = models.BooleanField(_("按模板生成"), default=False)
    agreement_signed_on = models.DateField(_("签订日期"), null=True, blank=True)

    trained_staff = models.CharField(_("参训人员"), max_length=200, blank=True)
    trained_on = models.DateField(_("培训日期"), null=True, blank=True)
    trained_by = models.CharField(_("培训单位/讲师"), max_length=120, blank=True)

    plaque_name = models.CharField(_("挂牌名称"), max_length=120, blank=True)
    plaqued_on = models.DateField(_("挂牌日期"), null=True, blank=True)
    venue = models.OneToOneField(
        "network.Venue",
        verbose_name=_("场馆"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="admission",
    )
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("入网申请")
        verbose_name_plural = _("入网申请")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_area__gte=0),
                name="network_application_area_not_negative",
                violation_error_message=_("面积不能为负数。"),
            ),
            models.CheckConstraint(
                condition=(Q(stage=AdmissionStage.OPERATING) & Q(venue__isnull=False))
                | (~Q(stage=AdmissionStage.OPERATING) & Q(venue__isnull=True)),
                name="network_application_venue_once_operating",
            ),
            models.CheckConstraint(
                condition=_ordered("inspected_on", "applied_on"),
                name="network_application_inspected_after_applied",
                violation_error_message=_("考察日期不能早于申请日期。"),
            ),
            models.CheckConstraint(
                condition=_ordered("agreement_signed_on", "inspected_on"),
                name="network_application_signed_after_inspected",
            ),
            models.CheckConstraint(
                condition=_ordered("trained_on", "agreement_signed_on"),
                name="network_application_trained_after_signed",
            ),
            models.CheckConstraint(
                condition=_ordered("plaqued_on", "trained_on"),
                name="network_application_plaqued_after_trained",
            ),
        ]

    def __str__(self):
        return f"{self.organisation}（{self.get_level_display()}）"


class AdmissionEvent(models.Model):
    """One line of an application's timeline: who did what, when, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20)
    from_stage = models.CharField(_("原进度"), max_length=12, blank=True)
    to_stage = models.CharField(_("新进度"), max_length=12, choices=AdmissionStage.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("入网申请记录")
        verbose_name_plural = _("入网申请记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.application} {self.action} {self.at:%Y-%m-%d %H:%M}"


class InspectionPhoto(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("现场照片"), upload_to=photo_path)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考察照片")
        verbose_name_plural = _("考察照片")
        ordering = ["pk"]

    def __str__(self):
        return self.image.name
