"""The indicator systems the hub edits, reviewers' manual scores, and the stored evaluations.

An Evaluation is one version of a year's results for one system; its VenueResult and
IndicatorResult rows are the full breakdown as computed, so a published (frozen) version reads
the same whatever happens to the sources later.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from ..plan import Level
from . import rules
from .rules import Grade, ScoringRule
from .sources import SOURCES, source_choices


def _points_field(label, default=0, **kwargs):
    return models.DecimalField(
        label, max_digits=8, decimal_places=2, default=Decimal(default), **kwargs
    )


class IndicatorSystem(ClusterableModel):
    """指标体系: one year's indicators, thresholds and reward budget for one venue level."""

    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(
        _("层级"), max_length=10, choices=[(lv.value, lv.label) for lv in rules.EVALUATED_LEVELS]
    )
    total_points = _points_field(_("满分"), rules.TOTAL_POINTS)
    excellent_from = _points_field(_("优秀分数线"), rules.DEFAULT_THRESHOLDS.excellent)
    good_from = _points_field(_("良好分数线"), rules.DEFAULT_THRESHOLDS.good)
    pass_from = _points_field(_("合格分数线"), rules.DEFAULT_THRESHOLDS.passing)
    qualifying_line = _points_field(
        _("奖补起算线"),
        rules.DEFAULT_THRESHOLDS.qualifying_line,
        help_text=_("达到合格且不低于此分数的场馆，按超出此线的分数比例分配奖补资金。"),
    )
    reward_budget = models.BigIntegerField(
        _("奖补资金（元）"),
        default=0,
        validators=[MinValueValidator(0, _("奖补资金不能为负数。"))],
    )

    class Meta:
        verbose_name = _("考核指标体系")
        verbose_name_plural = _("考核指标体系")
        ordering = ["-year", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level"],
                name="network_evaluation_one_system_per_year_level",
                violation_error_message=_("该年度该层级已有考核指标体系。"),
            ),
            models.CheckConstraint(
                condition=models.Q(reward_budget__gte=0),
                name="network_evaluation_budget_not_negative",
                violation_error_message=_("奖补资金不能为负数。"),
            ),
        ]

    def __str__(self):
        return _("%(year)s年%(level)s考核") % {"year": self.year, "level": self.level_label}

    @property
    def level_label(self):
        return Level(self.level).label

    def threshold_errors(self):
        errors = []
        if not (0 <= self.pass_from <= self.good_from <= self.excellent_from <= self.total_points):
            errors.append(_("分数线须满足：0 ≤ 合格 ≤ 良好 ≤ 优秀 ≤ 满分。"))
        if self.qualifying_line < self.pass_from or self.qualifying_line > self.total_points:
            errors.append(_("奖补起算线不能低于合格分数线，也不能高于满分。"))
        if self.reward_budget is not None and self.reward_budget < 0:
            errors.append(_("奖补资金不能为负数。"))
        return errors

    def clean(self):
        super().clean()
        errors = self.threshold_errors()
        if errors:
            raise ValidationError(errors)

    def grade_for(self, score):
        if score >= self.excellent_from:
            return Grade.EXCELLENT
        if score >= self.good_from:
            return Grade.GOOD
        if score >= self.pass_from:
            return Grade.PASS
        return Grade.FAIL


class Indicator(Orderable):
    system = ParentalKey(IndicatorSystem, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=60)
    source = models.CharField(_("数据来源"), max_length=30, choices=source_choices)
    weight = _points_field(
        _("分值"), validators=[MinValueValidator(Decimal(0), _("分值不能为负数。"))]
    )
    target = models.DecimalField(
        _("目标值"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0), _("目标值不能为负数。"))],
        help_text=_("线性计分时达到目标值得满分；达标计分时不低于目标值得满分。"),
    )
    rule = models.CharField(_("计分方式"), max_length=10, choices=ScoringRule.choices)

    class Meta(Orderable.Meta):
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        constraints = [
            models.UniqueConstraint(
                fields=["system", "code"],
                name="network_evaluation_indicator_code_unique",
                violation_error_message=_("同一指标体系中指标代码不能重复。"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def source_label(self):
        source = SOURCES.get(self.source)
        return source.label if source else self.source


class ManualScore(models.Model):
    """A reviewer's points for a manual (评审打分) indicator of one venue."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="manual_scores"
    )
    venue = models.ForeignKey(
        "network.Venue", verbose_name=_("场馆"), on_delete=models.CASCADE, related_name="+"
    )
    points = _points_field(_("得分"))
    note = models.CharField(_("评审意见"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评审人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("评审打分")
        verbose_name_plural = _("评审打分")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "venue"],
                name="network_evaluation_one_manual_score",
                violation_error_message=_("该场馆的这一指标已有评分，请修改原评分。"),
            ),
        ]

    def __str__(self):
        return f"{self.venue} · {self.indicator}：{self.points}"

    def clean(self):
        super().clean()
        from .manual import manual_score_errors

        errors = manual_score_errors(self.indicator, self.venue, self.points)
        if errors:
            raise ValidationError({"points": errors})


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class Evaluation(models.Model):
    """One version of a system's results. Published versions are frozen: a recomputation
    makes a new draft version (based_on the published one) rather than touching them."""

    system = models.ForeignKey(
        IndicatorSystem,
        verbose_name=_("指标体系"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    version = models.PositiveIntegerField(_("版本"))
    status = models.CharField(
        _("状态"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("基于版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the run used, so the frozen version says it even if the system is edited later.
    settings_snapshot = models.JSONField(_("计算参数"), default=dict)
    unallocated = models.BigIntegerField(_("未分配资金（元）"), default=0)

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["-system__year", "system__level", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "version"], name="network_evaluation_version_unique"
            ),
            # At most one draft per system: recomputing a draft replaces it in place.
            models.UniqueConstraint(
                fields=["system"],
                condition=models.Q(status="draft"),
                name="network_evaluation_one_draft",
            ),
        ]

    def __str__(self):
        return _("%(system)s 第%(version)s版") % {"system": self.system, "version": self.version}

    @property
    def is_published(self):
        return self.status == EvaluationStatus.PUBLISHED


class VenueResult(models.Model):
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("考核结果"), on_delete=models.CASCADE, related_name="results"
    )
    venue = models.ForeignKey(
        "network.Venue", verbose_name=_("场馆"), on_delete=models.CASCADE, related_name="+"
    )
    venue_name = models.CharField(_("场馆名称"), max_length=120)  # as it was when computed
    score = _points_field(_("总分"))
    rank = models.PositiveIntegerField(_("排名"))
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices)
    reward = models.BigIntegerField(_("奖补资金（元）"), default=0)
    warned = models.BooleanField(_("通报"), default=False)
    delisting_proposed = models.BooleanField(_("建议摘牌"), default=False)
    delisting_reason = models.CharField(_("摘牌理由"), max_length=200, blank=True)
    delisting_confirmed_at = models.DateTimeField(_("摘牌确认时间"), null=True, blank=True)
    delisting_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("摘牌确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("场馆考核结果")
        verbose_name_plural = _("场馆考核结果")
        ordering = ["rank", "venue_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "venue"], name="network_evaluation_one_result_per_venue"
            ),
        ]

    def __str__(self):
        return f"{self.venue_name}：{self.score}"


class IndicatorResult(models.Model):
    """One line of a venue's breakdown: indicator, raw value, source, points."""

    result = models.ForeignKey(
        VenueResult, on_delete=models.CASCADE, related_name="indicator_results"
    )
    code = models.CharField(_("指标代码"), max_length=30)
    name = models.CharField(_("指标"), max_length=60)
    source = models.CharField(_("数据来源"), max_length=30)
    rule = models.CharField(_("计分方式"), max_length=10, choices=ScoringRule.choices)
    weight = _points_field(_("分值"))
    target = models.DecimalField(_("目标值"), max_digits=12, decimal_places=2, default=0)
    raw_value = models.DecimalField(
        _("原始值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    points = _points_field(_("得分"))
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("指标得分")
        verbose_name_plural = _("指标得分")
        ordering = ["sort_order"]

    def __str__(self):
        return f"{self.name}：{self.points}"

    @property
    def source_label(self):
        source = SOURCES.get(self.source)
        return source.label if source else self.source
