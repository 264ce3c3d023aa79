"""Charts of use, from the monthly aggregates: trends, volunteer hours, enrolments by venue and
the most used assets and courses."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..aggregate import month_of
from ..events import (
    ASSET_DOWNLOAD,
    ASSET_PLAY,
    ATTENDANCE,
    ENROLMENT,
    EVENT_TYPES,
    VOLUNTEER_HOURS,
)
from ..models import MonthlyAreaMetric, MonthlyObjectMetric, MonthlyVenueMetric
from .registry import chart


def last_months(today, count=None):
    """The first days of the last `count` months, the current one last."""
    months = [month_of(today)]
    for _n in range((count or rules.DASHBOARD_MONTHS) - 1):
        months.insert(0, month_of(months[0] - timedelta(days=1)))
    return months


def monthly_totals(scope, event_types, months):
    """{(month, event type): (count, value total)} over the scope's venues."""
    if scope.is_network:  # the stored network rollup (it also counts events of no venue)
        rows = (
            MonthlyAreaMetric.objects.network()
            .filter(month__in=months, event_type__in=event_types)
            .values("month", "event_type", "count", "total")
        )
    else:
        rows = (
            scope.filter(MonthlyVenueMetric.objects.filter(month__in=months))
            .filter(event_type__in=event_types)
            .values("month", "event_type")
            .annotate(count=Sum("count"), total=Sum("total"))
            .order_by()
        )
    return {(r["month"], r["event_type"]): (r["count"], r["total"]) for r in rows}


def month_label(month):
    return f"{month:%Y-%m}"


def _trend(scope, today, event_types):
    months = last_months(today)
    totals = monthly_totals(scope, event_types, months)
    return [
        {"month": month_label(m), **{t: totals.get((m, t), (0, 0))[0] for t in event_types}}
        for m in months
    ]


def _event_columns(event_types):
    return [(code, EVENT_TYPES[code].label) for code in event_types]


MONTH = ("month", _("月份"))


@chart(
    "usage_trend",
    _("月度使用趋势"),
    "line",
    [MONTH, *_event_columns(rules.USAGE_TREND_EVENTS)],
    note=_("次数；页面浏览 30 分钟内重复访问计一次，不含搜索引擎等机器访问。"),
)
def usage_trend(scope, today):
    return _trend(scope, today, rules.USAGE_TREND_EVENTS)


@chart(
    "service_trend",
    _("月度服务趋势"),
    "line",
    [MONTH, *_event_columns(rules.SERVICE_TREND_EVENTS)],
    note=_("次数：报名、出勤人次，出借、配送、开馆打卡次数。"),
)
def service_trend(scope, today):
    return _trend(scope, today, rules.SERVICE_TREND_EVENTS)


@chart(
    "volunteer_hours",
    _("志愿服务时长"),
    "bar",
    [MONTH, ("hours", _("服务时长（小时）")), ("records", _("服务人次"))],
    plotted=("hours",),
    note=_("经工作人员确认的时长，计入确认当月。"),
)
def volunteer_hours(scope, today):
    months = last_months(today)
    totals = monthly_totals(scope, [VOLUNTEER_HOURS], months)
    return [
        {
            "month": month_label(m),
            "hours": totals.get((m, VOLUNTEER_HOURS), (0, Decimal(0)))[1],
            "records": totals.get((m, VOLUNTEER_HOURS), (0, 0))[0],
        }
        for m in months
    ]


@chart(
    "enrolments_by_venue",
    _("培训报名与出勤（近一年，按场馆）"),
    "hbar",
    [("venue", _("场馆")), (ENROLMENT, _("报名人次")), (ATTENDANCE, _("出勤人次"))],
)
def enrolments_by_venue(scope, today):
    months = last_months(today)
    rows = (
        scope.filter(MonthlyVenueMetric.objects.filter(month__in=months))
        .filter(event_type__in=(ENROLMENT, ATTENDANCE))
        .values("venue__name", "event_type")
        .annotate(count=Sum("count"))
        .order_by()
    )
    by_venue = defaultdict(lambda: {ENROLMENT: 0, ATTENDANCE: 0})
    for row in rows:
        by_venue[row["venue__name"]][row["event_type"]] = row["count"]
    ranked = sorted(by_venue.items(), key=lambda item: (-item[1][ENROLMENT], item[0]))
    return [{"venue": name, **counts} for name, counts in ranked[: rules.DASHBOARD_TOP]]


def top_objects(scope, today, ranked_by, also):
    """[(object key, {event type: count})] of the last months, most `ranked_by` first."""
    rows = (
        scope.filter(MonthlyObjectMetric.objects.filter(month__in=last_months(today)))
        .filter(event_type__in=(ranked_by, also))
        .values("object_key", "event_type")
        .annotate(count=Sum("count"))
        .order_by()
    )
    counts = defaultdict(lambda: {ranked_by: 0, also: 0})
    for row in rows:
        counts[row["object_key"]][row["event_type"]] = row["count"]
    ranked = sorted(counts.items(), key=lambda item: (-item[1][ranked_by], -item[1][also], item[0]))
    return [(key, c) for key, c in ranked if c[ranked_by]][: rules.DASHBOARD_TOP]


def titles(keys):
    """{object key: title} for assets, courses and events ("asset:7", "course:3", "event:12")."""
    from portal.models import EventPage
    from resources.models import Course, MediaAsset

    models = {
        "asset": (MediaAsset, "title"),
        "course": (Course, "title"),
        "event": (EventPage, "title"),
    }
    wanted = defaultdict(list)
    for key in keys:
        kind, _sep, pk = key.partition(":")
        if kind in models and pk.isdigit():
            wanted[kind].append(int(pk))
    found = {}
    for kind, pks in wanted.items():
        model, field = models[kind]
        for pk, title in model.objects.filter(pk__in=pks).values_list("pk", field):
            found[f"{kind}:{pk}"] = title
    return found


def _top_rows(scope, today, ranked_by, also, name):
    top = top_objects(scope, today, ranked_by, also)
    names = titles(key for key, _c in top)
    return [
        {name: names.get(key, _("（已删除）")), ranked_by: c[ranked_by], also: c[also]}
        for key, c in top
    ]


@chart(
    "top_assets",
    _("热门数字资源（近一年播放）"),
    "hbar",
    [("asset", _("资源")), (ASSET_PLAY, _("播放次数")), (ASSET_DOWNLOAD, _("下载次数"))],
)
def top_assets(scope, today):
    return _top_rows(scope, today, ASSET_PLAY, ASSET_DOWNLOAD, "asset")


@chart(
    "top_courses",
    _("热门课程与活动（近一年报名）"),
    "hbar",
    [("course", _("课程/活动")), (ENROLMENT, _("报名人次")), (ATTENDANCE, _("出勤人次"))],
)
def top_courses(scope, today):
    return _top_rows(scope, today, ENROLMENT, ATTENDANCE, "course")


def key_figures(scope, today):
    """[(label, value)] of this month so far (as aggregated), for the admin home page."""
    month = month_of(today)
    totals = monthly_totals(scope, rules.KEY_FIGURE_EVENTS, [month])
    figures = []
    for code in rules.KEY_FIGURE_EVENTS:
        count, total = totals.get((month, code), (0, Decimal(0)))
        event = EVENT_TYPES[code]
        if code in rules.VALUE_FIGURE_EVENTS:
            figures.append((event.value_label, total))
        else:
            figures.append((event.label, count))
    return figures
