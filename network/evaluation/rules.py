"""The evaluation's defaults as data, in one place: the hub copies them into a year's indicator
system (models.IndicatorSystem.from_defaults) and edits that copy; nothing else repeats them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..plan import OPENING_DUTIES, Level


class ScoringRule(models.TextChoices):
    LINEAR = "linear", _("线性（达到目标值得满分）")
    RANK = "rank", _("同层级排名")
    PASS_FAIL = "pass_fail", _("达标/不达标")
    MANUAL = "manual", _("评审打分")


class Grade(models.TextChoices):
    """Best first: a grade's position in this list is its order."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


GRADE_ORDER = [grade.value for grade in Grade]

# The levels the hub evaluates (the hub itself is not ranked against anyone).
EVALUATED_LEVELS = (Level.MAIN, Level.BRANCH, Level.POINT)
# A system's weights add up to this many points.
TOTAL_POINTS = Decimal(100)
# Points and raw values are kept to the hundredth.
POINTS_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Thresholds:
    excellent: Decimal
    good: Decimal
    passing: Decimal
    # Venues at or above this score share the reward, in proportion to their score above it.
    qualifying_line: Decimal


DEFAULT_THRESHOLDS = Thresholds(
    excellent=Decimal(90), good=Decimal(75), passing=Decimal(60), qualifying_line=Decimal(60)
)
# Reward budget (以奖代补, yuan) per level when the hub has not set one.
DEFAULT_BUDGETS = {Level.MAIN: 300_000, Level.BRANCH: 500_000, Level.POINT: 200_000}

# 摘牌 is proposed for a venue graded 不合格 this many years running…
DELIST_AFTER_FAILED_YEARS = 2
# …or, at a level with an opening duty, with no opening recorded in the whole year.
DELIST_NO_OPENING_LEVELS = tuple(OPENING_DUTIES)


@dataclass(frozen=True)
class DefaultIndicator:
    code: str
    name: str
    source: str  # a key of sources.SOURCES
    weight: int
    target: Decimal
    rule: str = ScoringRule.LINEAR


def _outlet_indicators(opening_target):
    """Branches and service points: opening duty first, then services, sharing and satisfaction."""
    return (
        DefaultIndicator(
            "open", _("免费开放达标率（%）"), "opening_compliance", 20, opening_target
        ),
        DefaultIndicator("activities", _("举办活动（场）"), "activities_held", 10, Decimal(24)),
        DefaultIndicator("participants", _("参与人次"), "participants", 10, Decimal(2000)),
        DefaultIndicator("sessions", _("培训课时（节）"), "training_sessions", 10, Decimal(48)),
        DefaultIndicator("enrolments", _("培训报名（人次）"), "enrolments", 5, Decimal(300)),
        DefaultIndicator(
            "volunteers", _("志愿服务时长（小时）"), "volunteer_hours", 10, Decimal(500)
        ),
        DefaultIndicator(
            "satisfaction", _("群众满意度（平均星级）"), "satisfaction", 10, Decimal(5)
        ),
        DefaultIndicator(
            "usage", _("资源使用（排名）"), "contribution_use", 10, Decimal(0), ScoringRule.RANK
        ),
        DefaultIndicator(
            "inspection", _("入网考察"), "inspection", 5, Decimal(1), ScoringRule.PASS_FAIL
        ),
        DefaultIndicator("review", _("评审打分"), "manual", 10, Decimal(0), ScoringRule.MANUAL),
    )


DEFAULT_SYSTEMS = {
    Level.MAIN: (
        DefaultIndicator("activities", _("举办活动（场）"), "activities_held", 15, Decimal(60)),
        DefaultIndicator("participants", _("参与人次"), "participants", 10, Decimal(10000)),
        DefaultIndicator("sessions", _("培训课时（节）"), "training_sessions", 10, Decimal(200)),
        DefaultIndicator("enrolments", _("培训报名（人次）"), "enrolments", 10, Decimal(1500)),
        DefaultIndicator(
            "contributions", _("共享资源贡献（条）"), "catalogue_contributions", 10, Decimal(30)
        ),
        DefaultIndicator(
            "usage", _("资源被使用（排名）"), "contribution_use", 10, Decimal(0), ScoringRule.RANK
        ),
        DefaultIndicator("loans", _("资源出借（次）"), "loans_provided", 10, Decimal(50)),
        DefaultIndicator(
            "volunteers", _("志愿服务时长（小时）"), "volunteer_hours", 5, Decimal(2000)
        ),
        DefaultIndicator(
            "satisfaction", _("群众满意度（平均星级）"), "satisfaction", 10, Decimal(5)
        ),
        DefaultIndicator("review", _("评审打分"), "manual", 10, Decimal(0), ScoringRule.MANUAL),
    ),
    # 达标率 counted against 90 % of the year's weeks: a week or five of closure is allowed.
    Level.BRANCH: _outlet_indicators(Decimal(90)),
    Level.POINT: _outlet_indicators(Decimal(90)),
}
