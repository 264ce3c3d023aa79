"""Volunteers (a resident's application, reviewed by the staff of the grid's venue) and the
teams each venue forms of its volunteers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..rules import AVAILABILITY, SKILLS

SKILL_LABELS = dict(SKILLS)
AVAILABILITY_LABELS = dict(AVAILABILITY)


class Team(models.Model):
    venue = models.ForeignKey(
        "network.Venue",
        verbose_name=gettext_lazy("所属场馆"),
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    name = models.CharField(gettext_lazy("团队名称"), max_length=60)
    description = models.TextField(gettext_lazy("团队介绍"), blank=True, max_length=500)
    showcase = models.BooleanField(
        gettext_lazy("在志愿者风采页展示"),
        default=True,
        help_text=gettext_lazy("展示团队名称、介绍、人数和服务时长；成员只展示同意公开的。"),
    )
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("志愿者团队")
        verbose_name_plural = gettext_lazy("志愿者团队")
        ordering = ["venue__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "name"],
                name="volunteers_team_name_per_venue",
                violation_error_message=gettext_lazy("本场馆已有同名团队。"),
            )
        ]

    def __str__(self):
        return self.name


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", gettext_lazy("待审核")
    APPROVED = "approved", gettext_lazy("已通过")
    REJECTED = "rejected", gettext_lazy("未通过")


class Volunteer(models.Model):
    resident = models.OneToOneField(
        "training.Resident",
        verbose_name=gettext_lazy("居民"),
        on_delete=models.CASCADE,
        related_name="volunteer",
    )
    # The grid decides the venue: its staff review the application and see the personal data.
    grid = models.ForeignKey(
        "volunteers.Grid",
        verbose_name=gettext_lazy("所属网格"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=gettext_lazy("团队"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    skills = models.JSONField(gettext_lazy("特长"), default=list, blank=True)
    skills_note = models.CharField(gettext_lazy("其他特长"), max_length=200, blank=True)
    availability = models.JSONField(gettext_lazy("可服务时间"), default=list, blank=True)
    preferred_area = models.CharField(gettext_lazy("希望服务的区域"), max_length=100, blank=True)
    introduction = models.TextField(gettext_lazy("自我介绍"), max_length=300, blank=True)
    showcase_consent = models.BooleanField(
        gettext_lazy("同意公开展示"),
        default=False,
        help_text=gettext_lazy(
            "同意后，姓名、团队、星级和服务时长会出现在志愿者风采页和年度排行榜，"
            "其他场馆的工作人员也能看到；手机号和身份证号任何时候都不公开。"
        ),
    )
    status = models.CharField(
        gettext_lazy("状态"),
        max_length=10,
        choices=VolunteerStatus.choices,
        default=VolunteerStatus.PENDING,
    )
    applied_at = models.DateTimeField(gettext_lazy("申请时间"))
    reviewed_at = models.DateTimeField(gettext_lazy("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.CharField(gettext_lazy("审核意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = gettext_lazy("志愿者")
        verbose_name_plural = gettext_lazy("志愿者")
        ordering = ["-applied_at", "pk"]
        indexes = [models.Index(fields=["status", "grid"])]

    def __str__(self):
        return self.resident.real_name

    @property
    def name(self):
        return self.resident.real_name

    @property
    def venue(self):
        return self.grid.venue

    @property
    def venue_id(self):
        return self.grid.venue_id

    @property
    def skill_labels(self):
        labels = [str(SKILL_LABELS[code]) for code in self.skills if code in SKILL_LABELS]
        return labels + ([self.skills_note] if self.skills_note else [])

    @property
    def availability_labels(self):
        return [str(AVAILABILITY_LABELS[c]) for c in self.availability if c in AVAILABILITY_LABELS]

    def clean(self):
        super().clean()
        unknown = [code for code in self.skills or [] if code not in SKILL_LABELS]
        if unknown:
            raise ValidationError({"skills": _("未知的特长：%(codes)s。") % {"codes": unknown}})
        unknown = [code for code in self.availability or [] if code not in AVAILABILITY_LABELS]
        if unknown:
            raise ValidationError(
                {"availability": _("未知的服务时间：%(codes)s。") % {"codes": unknown}}
            )
        if self.team_id and self.grid_id and self.team.venue_id != self.grid.venue_id:
            raise ValidationError(
                {
                    "team": _("团队“%(team)s”属于%(venue)s，不是该志愿者所属网格的场馆。")
                    % {"team": self.team, "venue": self.team.venue}
                }
            )
