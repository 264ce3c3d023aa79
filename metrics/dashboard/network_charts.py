"""Charts of the network itself, from the network app's service functions: venues by level and
status, coverage, opening compliance, and the evaluation ranking (network.evaluation)."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from network import compliance
from network.coverage import build_report
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
    ],
    plotted=("covered",),
    note=_("按乡镇/街道中心点计算，详见“覆盖规划”。"),
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
    """The latest published evaluation (network.evaluation.services.ranking_rows), limited to
    the scope; nothing until that module exists and has published results."""
    try:
        from network.evaluation.services import ranking_rows
    except ImportError:
        return []
    rows = [_cells(row) for row in ranking_rows() or ()]
    return [row for row in rows if scope.is_network or row.pop("venue_id", None) in scope.venue_ids]


def _cells(row):
    """A ranking row as a dict, whether the service gives mappings or objects."""
    keys = ("venue_id", "venue", "score", "rank", "level", "grade")
    if isinstance(row, dict):
        cells = {key: row.get(key) for key in keys}
    else:
        cells = {key: getattr(row, key, None) for key in keys}
    if cells["level"] in Level.values:
        cells["level"] = Level(cells["level"]).label
    return cells
