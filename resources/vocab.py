"""Choice vocabularies of the shared catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("公开")
    STAFF = "staff", _("仅网络内工作人员")
    OWNER = "owner", _("仅本馆")


class CourseLevel(models.TextChoices):
    BEGINNER = "beginner", _("入门")
    INTERMEDIATE = "intermediate", _("提高")
    ADVANCED = "advanced", _("进阶")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("报名中")
    FULL = "full", _("已满")
    CLOSED = "closed", _("已结束")


class ProgrammeKind(models.TextChoices):
    PERFORMANCE = "performance", _("演出")
    EXHIBITION = "exhibition", _("展览")
    LECTURE = "lecture", _("讲座")
    WORKSHOP = "workshop", _("工作坊")


class AssetKind(models.TextChoices):
    AUDIO = "audio", _("音频")
    VIDEO = "video", _("视频")
    IMAGE = "image", _("图片")
    DOCUMENT = "document", _("文档")


class TeachingAssetKind(models.TextChoices):
    COSTUME = "costume", _("服装道具")
    INSTRUMENT = "instrument", _("乐器")
    EXHIBITION_BOARDS = "boards", _("展板")
    COURSE_PACKAGE = "package", _("录播课程包")
    EQUIPMENT = "equipment", _("设备")


class HeritageLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    COUNTY = "county", _("县级")


class HeritageCategory(models.TextChoices):
    """The ten categories of China's national intangible heritage list."""

    FOLK_LITERATURE = "literature", _("民间文学")
    MUSIC = "music", _("传统音乐")
    DANCE = "dance", _("传统舞蹈")
    DRAMA = "drama", _("传统戏剧")
    QUYI = "quyi", _("曲艺")
    SPORTS = "sports", _("传统体育、游艺与杂技")
    FINE_ARTS = "fine_arts", _("传统美术")
    CRAFTSMANSHIP = "craft", _("传统技艺")
    MEDICINE = "medicine", _("传统医药")
    FOLK_CUSTOM = "custom", _("民俗")
