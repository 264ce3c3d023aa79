"""Charts of the network itself, from the network app's service functions: venues by level and
status, coverage, opening compliance, and the evaluation ranking (network.evaluation)."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from network import compliance
from network.coverage import build_report
from network.evaluation.services import ranking_rows
from network.plan import Level, Status

from .registry import chart


@chart(
    "venues_by_level",
    _("场馆数量（按层级和状态）"),
    "stacked_bar",
    [("level", _("层级")), *[(status.value, status.label) for status in Status]],
)
def venues_by_level(scope, today):
    counts = Counter(scope.venues().values_list("level", "status"))
    return [
        {"level": level.label, **{s.value: counts[level.value, s.value] for s in Status}}
        for level in Level
    ]


@chart(
    "coverage",
    _("覆盖情况（按区县）"),
    "bar",
    [
        ("district", _("区县")),
        ("population", _("常住人口")),
        ("outlets", _("服务网点")),
        ("per_outlet", _("每网点服务人口")),
        ("covered", _("服务半径内人口比例（%）")),
        ("method", _("计算方式")),
    ],
    plotted=("covered",),
    note=_("有人口网格的区县按网格计算，其余按乡镇/街道中心点计算，详见“覆盖规划”。"),
)
def coverage(scope, today):
    districts = None if scope.is_network else set(scope.venues().values_list("district", flat=True))
    return [
        {
            "district": row.district,
            "population": row.population,
            "outlets": row.outlets,
            "per_outlet": row.per_outlet,
            "covered": round(100 * row.covered_share, 1) if row.covered_share is not None else None,
            "method": row.method_label,
        }
        for row in build_report(today).districts
        if districts is None or row.district in districts
    ]


@chart(
    "compliance",
    _("免费开放时间达标（上周，按区县）"),
    "stacked_bar",
    [("district", _("区县")), ("compliant", _("达标")), ("failing", _("未达标"))],
    note=_("分馆、服务点对照开放时长要求，详见“开放时间合规”。"),
)
def opening_compliance(scope, today):
    monday = compliance.week_start(today - timedelta(days=7))  # the last complete week
    tally = defaultdict(lambda: {"compliant": 0, "failing": 0})
    for venue in compliance.venues_with_duties(scope.venues(), monday):
        result = compliance.assess(venue, monday)
        tally[venue.district]["compliant" if result.compliant else "failing"] += 1
    return [{"district": district, **tally[district]} for district in sorted(tally)]


NO_RANKING = _("暂无已发布的考核结果")


@chart(
    "ranking",
    _("年度考核排名"),
    "hbar",
    [
        ("venue", _("场馆")),
        ("score", _("得分")),
        ("rank", _("层级内名次")),
        ("level", _("层级")),
        ("grade", _("等级")),
    ],
    plotted=("score",),
    empty=NO_RANKING,
)
def ranking(scope, today):
    """The latest published evaluation, limited to the scope."""
    return [
        {
            "venue": row["venue"],
            "score": row["score"],
            "rank": row["rank"],
            "level": row["level_label"],
            "grade": row["grade_label"],
        }
        for row in ranking_rows()
        if scope.is_network or row["venue_id"] in scope.venue_ids
    ]
