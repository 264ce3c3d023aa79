"""The city plan's rules, as data, in one place.

Source: 《株洲市推进文化馆总分馆制建设的实施方案》(2017), see ../shared/policy/. Views, forms
and services read these tables; nothing else in the project repeats a threshold or a suffix.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    HUB = "hub", _("中心馆")
    MAIN = "main", _("总馆")
    BRANCH = "branch", _("分馆")
    POINT = "point", _("服务点")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("周一")
    TUESDAY = 1, _("周二")
    WEDNESDAY = 2, _("周三")
    THURSDAY = 3, _("周四")
    FRIDAY = 4, _("周五")
    SATURDAY = 5, _("周六")
    SUNDAY = 6, _("周日")


class OperatorType(models.TextChoices):
    GOVERNMENT = "government", _("政府（文化馆、综合文化站）")
    COMMUNITY = "community", _("村（社区）综合文化服务中心")
    TRAINING_SCHOOL = "training_school", _("社会艺术培训机构")
    COMPANY_CLUB = "company_club", _("机关企事业单位文体活动室")
    PRIVATE_VENUE = "private_venue", _("民营文化场所")


class Status(models.TextChoices):
    APPLYING = "applying", _("申请中")
    INSPECTING = "inspecting", _("考察中")
    SIGNED = "signed", _("已签约")
    TRAINED = "trained", _("已培训")
    OPERATING = "operating", _("已挂牌/运行中")
    WARNED = "warned", _("通报")
    DELISTED = "delisted", _("已摘牌")


# Statuses in which a venue is part of the public network.
PUBLIC_STATUSES = (Status.OPERATING, Status.WARNED)


@dataclass(frozen=True)
class LevelRule:
    """How a venue of one level sits in the tree and how it must be named."""

    parents: tuple[str, ...]
    # Name = <parent name><place><suffix> when inherits_parent_name, else <place><suffix>.
    name_suffix: str = ""
    inherits_parent_name: bool = False
    # Levels that govern their subtree: they approve and publish their branches' pages.
    governs: bool = False
    # The plan's naming example, shown in error messages.
    example: str = ""


LEVEL_RULES = {
    Level.HUB: LevelRule(parents=(), governs=True, example="株洲市群众艺术馆"),
    Level.MAIN: LevelRule(
        parents=(Level.HUB,), name_suffix="文化馆", governs=True, example="醴陵市文化馆"
    ),
    Level.BRANCH: LevelRule(
        parents=(Level.MAIN, Level.HUB),
        name_suffix="分馆",
        inherits_parent_name=True,
        example="醴陵市文化馆浦口分馆",
    ),
    Level.POINT: LevelRule(
        parents=(Level.HUB, Level.MAIN, Level.BRANCH),
        name_suffix="服务点",
        inherits_parent_name=True,
        example="醴陵市文化馆浦口分馆石门村服务点",
    ),
}

# 县（市）区文化馆统一加挂“株洲市文化馆XX分馆”标牌: main centres carry a second plaque name
# built from the hub's public name (its alias, e.g. 株洲市文化馆) and their place name.
PLAQUE_SUFFIX = "分馆"
# The place in a main centre's plaque drops its 县（市）区 suffix (醴陵市 → 醴陵) unless that
# leaves one character (攸县 stays 攸县).
COUNTY_SUFFIXES = ("市", "县", "区")

# Training schools, company clubs and private venues apply to, and join, the hub directly.
HUB_AFFILIATED_OPERATORS = (
    OperatorType.TRAINING_SCHOOL,
    OperatorType.COMPANY_CLUB,
    OperatorType.PRIVATE_VENUE,
)


@dataclass(frozen=True)
class OpeningDuty:
    min_open_hours: Decimal
    min_free_hours: Decimal


# 分馆实施免费开放，每周不少于 48 小时；服务点每周开放不少于 48 小时，其中免费/低收费不低于 10 小时。
OPENING_DUTIES = {
    Level.BRANCH: OpeningDuty(min_open_hours=Decimal(48), min_free_hours=Decimal(48)),
    Level.POINT: OpeningDuty(min_open_hours=Decimal(48), min_free_hours=Decimal(10)),
}


@dataclass(frozen=True)
class AdmissionRequirement:
    min_floor_area: Decimal  # ㎡
    needs_functional_rooms: bool
    needs_training_room: bool
    needs_dedicated_staff: bool
    min_staff: int = 1  # 有专门人员: at least one


# 分馆：面积达到300㎡以上、功能用房齐备、有专门人员；服务点：面积达200㎡以上，有培训教室，有专门人员。
# The defaults of the hub's 场馆网络设置 (network.settings), where the thresholds can be changed.
ADMISSION_REQUIREMENTS = {
    Level.BRANCH: AdmissionRequirement(Decimal(300), True, False, True),
    Level.POINT: AdmissionRequirement(Decimal(200), False, True, True),
}

# Who may apply as what: 乡镇（街道）综合文化站 → 分馆; 村（社区）中心 and the hub-affiliated
# operators → 服务点.
APPLICANT_LEVELS = {
    OperatorType.GOVERNMENT: (Level.BRANCH,),
    OperatorType.COMMUNITY: (Level.POINT,),
    OperatorType.TRAINING_SCHOOL: (Level.POINT,),
    OperatorType.COMPANY_CLUB: (Level.POINT,),
    OperatorType.PRIVATE_VENUE: (Level.POINT,),
}


class AdmissionStage(models.TextChoices):
    """Where an application stands: the step it waits for, or how it ended."""

    INSPECTION = "inspection", _("待现场考察")
    AGREEMENT = "agreement", _("待签订协议")
    TRAINING = "training", _("待人员培训")
    PLAQUE = "plaque", _("待挂牌")
    OPERATING = "operating", _("运行中")
    RETURNED = "returned", _("已退回修改")
    REJECTED = "rejected", _("未通过")


# 提出申请 → 现场考察 → 签订协议 → 人员培训 → 挂牌, in this order, nothing skipped. Who acts at
# each step: "reviewer" is the venue the application was routed to (the county main centre, or
# the hub for its directly affiliated points); 人员培训 is organised by the hub (由中心馆统一组织),
# and the reviewer may record it too.
ADMISSION_STEPS = (
    (AdmissionStage.INSPECTION, ("reviewer",)),
    (AdmissionStage.AGREEMENT, ("reviewer",)),
    (AdmissionStage.TRAINING, ("hub", "reviewer")),
    (AdmissionStage.PLAQUE, ("reviewer",)),
)

# 现场考察 checks the conditions of admission on site, one result per item.
INSPECTION_CHECKLIST = {
    Level.BRANCH: (
        _("面积达到要求"),
        _("功能用房齐备"),
        _("有专门人员"),
        _("具备免费开放条件"),
        _("消防与安全设施合格"),
    ),
    Level.POINT: (
        _("面积达到要求"),
        _("有培训教室"),
        _("有专门人员"),
        _("具备免费/低收费开放条件"),
        _("消防与安全设施合格"),
    ),
}

# 服务网点: the branches and service points, counted against the population and the target.
SERVICE_OUTLET_LEVELS = (Level.BRANCH, Level.POINT)
# 根据人口规模（3—5万人）和服务半径，科学规划: residents per service outlet in a district.
RESIDENTS_PER_VENUE = (30_000, 50_000)
# Venues whose service radius counts for coverage. The hub serves the whole city, not a radius.
COVERAGE_LEVELS = (Level.MAIN, Level.BRANCH, Level.POINT)

# 到2018年，全市文化馆分馆、服务点总量达到50个以上
NETWORK_TARGETS = ((date(2018, 12, 31), SERVICE_OUTLET_LEVELS, 50),)
# 到2020年，建成……有效覆盖的文化馆总分馆服务体系: every township/street has a branch and every
# resident lives within some venue's service radius.
FULL_COVERAGE_BY = date(2020, 12, 31)


class Audience(models.TextChoices):
    CHILDREN = "children", _("少儿")
    YOUTH = "youth", _("青年")
    SENIORS = "seniors", _("中老年")
    ALL = "all", _("全龄")


class FeeType(models.TextChoices):
    """免费/低收费 hours count towards the opening duties; 收费 does not."""

    FREE = "free", _("免费")
    LOW = "low", _("低收费")
    CHARGED = "charged", _("收费")


# 超市化服务（点单配送）: branches and service points order course packages and programmes from the
# menu of the hub or of their own main centre, i.e. of an ancestor venue at one of these levels.
ORDERING_LEVELS = (Level.BRANCH, Level.POINT)
MENU_PROVIDER_LEVELS = (Level.HUB, Level.MAIN)
# The ordering venue rates a delivered order with 1 to 5 stars.
ORDER_RATING_RANGE = (1, 5)
