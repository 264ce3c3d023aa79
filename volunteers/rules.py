"""The volunteer service's rules as data: the one place to read or change them.

What the hub changes at run time (the star thresholds) is a Wagtail setting
(volunteers.models.VolunteerSettings, 设置 → 志愿服务设置); what changes with a release is here."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

# Star levels (星级志愿者) by confirmed service hours, as the national registration rules grade
# them: 一星 100 h, 二星 300 h, 三星 600 h, 四星 1000 h, 五星 1500 h. These are the defaults of
# VolunteerSettings; the hub may change them.
STAR_LABELS = {1: _("一星"), 2: _("二星"), 3: _("三星"), 4: _("四星"), 5: _("五星")}
DEFAULT_STAR_HOURS = {1: 100, 2: 300, 3: 600, 4: 1000, 5: 1500}

# What a volunteer can offer (the application form's checkboxes; stored as these codes).
SKILLS = [
    ("singing", _("声乐")),
    ("instrument", _("器乐")),
    ("dance", _("舞蹈")),
    ("opera", _("戏曲")),
    ("calligraphy", _("书法")),
    ("painting", _("美术")),
    ("photography", _("摄影摄像")),
    ("hosting", _("主持朗诵")),
    ("foreign_language", _("外语")),
    ("sign_language", _("手语")),
    ("dialect", _("方言讲解")),
    ("heritage", _("非遗技艺")),
    ("teaching", _("文艺辅导")),
    ("stewarding", _("活动引导与秩序维护")),
    ("publicity", _("宣传与新媒体")),
    ("it", _("信息技术")),
    ("first_aid", _("急救")),
]

# When a volunteer can serve.
AVAILABILITY = [
    ("weekday_day", _("工作日白天")),
    ("weekday_evening", _("工作日晚上")),
    ("weekend_day", _("周末白天")),
    ("weekend_evening", _("周末晚上")),
    ("holidays", _("节假日")),
]

# Grids (网格): what a cell is, and the bounds of its shapes.
GRID_KINDS = [
    ("community", _("社区")),
    ("village", _("村")),
    ("street_block", _("街区")),
]
POLYGON_MIN_POINTS = 4  # a triangle, closed: first point repeated at the end
POLYGON_MAX_POINTS = 2000
GRID_MAX_RADIUS_M = 50_000

# Check-in with the volunteer's QR code: a code is valid this long after their page drew it (a
# screenshot passed on stops working), and a shift takes scans from this long before it starts
# until this long after it ends (the check-out).
QR_TOKEN_LIFETIME = timedelta(hours=12)
CHECK_IN_EARLY = timedelta(minutes=30)
CHECK_OUT_LATE = timedelta(hours=3)

# Self-reported hours: at most this long after the shift ended.
SELF_REPORT_WITHIN = timedelta(days=30)

# Hours are kept to the hundredth (0.01 h = 36 s).
HOURS_PLACES = 2

# The annual ranking lists this many volunteers and teams.
RANKING_SIZE = 50

# Exports. Hours per …: the columns of each kind (a period's confirmed hours).
HOURS_EXPORT_COLUMNS = {
    "volunteer": [
        _("志愿者"),
        _("手机号"),
        _("所属场馆"),
        _("网格"),
        _("团队"),
        _("服务次数"),
        _("服务时长（小时）"),
    ],
    "team": [_("团队"), _("所属场馆"), _("志愿者人数"), _("服务次数"), _("服务时长（小时）")],
    "venue": [_("场馆"), _("区县"), _("志愿者人数"), _("服务次数"), _("服务时长（小时）")],
    "grid": [
        _("网格"),
        _("类型"),
        _("责任场馆"),
        _("志愿者人数"),
        _("活动数"),
        _("服务时长（小时）"),
    ],
}
# Service records with the fields the national volunteer service information system
# (全国志愿服务信息系统) takes for recorded hours, one row per confirmed service.
SERVICE_RECORD_COLUMNS = [
    _("志愿者姓名"),
    _("证件类型"),
    _("证件号码"),
    _("手机号码"),
    _("活动名称"),
    _("组织名称"),
    _("服务岗位"),
    _("服务日期"),
    _("开始时间"),
    _("结束时间"),
    _("服务时长（小时）"),
    _("服务网格"),
]
ID_TYPE_RESIDENT_CARD = _("居民身份证")
