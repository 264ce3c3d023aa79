"""Where each indicator's raw value comes from: one registry of named sources.

A source maps the venues of one evaluation to their raw value for the year (a Decimal, or None
when there is nothing to measure, e.g. no rating at all). Usage counts come from the monthly
aggregates (metrics.MonthlyVenueMetric), never from raw events; the rest from the owning app's
tables. Every source reads the whole level in a few queries, not one per venue.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from metrics import events as ev


@dataclass(frozen=True)
class Source:
    label: str
    read: object  # callable(SourceContext, indicator) -> {venue_id: Decimal | None}
    description: str = ""


class SourceContext:
    """The venues and year of one run; shared lookups are read once and cached here."""

    def __init__(self, venues, year, today):
        self.venues = list(venues)
        self.venue_ids = [v.pk for v in self.venues]
        self.year = year
        self.first_day = date(year, 1, 1)
        # A running year counts up to today; a past year to its last day.
        self.last_day = min(date(year, 12, 31), today)
        self.today = today

    @cached_property
    def usage(self):
        """{(venue_id, event_type): (count, total)} over the year's monthly aggregates."""
        from metrics.models import MonthlyVenueMetric

        rows = (
            MonthlyVenueMetric.objects.filter(
                venue_id__in=self.venue_ids,
                month__gte=self.first_day,
                month__lte=self.last_day,
            )
            .values("venue_id", "event_type")
            .annotate(count=Sum("count"), total=Sum("total"))
            .order_by()
        )
        return {(r["venue_id"], r["event_type"]): (r["count"], r["total"]) for r in rows}

    def counts(self, *event_types):
        return {
            pk: Decimal(sum(self.usage.get((pk, t), (0, 0))[0] for t in event_types))
            for pk in self.venue_ids
        }

    def totals(self, *event_types):
        return {
            pk: Decimal(sum(self.usage.get((pk, t), (0, Decimal(0)))[1] for t in event_types))
            for pk in self.venue_ids
        }


def opening_compliance(ctx, indicator):
    from .opening import compliant_week_share

    return compliant_week_share(ctx.venues, ctx.first_day, ctx.last_day, ctx.today)


def activities_held(ctx, indicator):
    """Events published on the venue's pages that start in the year, plus programmes and
    courses delivered to it through ordering (点单配送)."""
    from metrics.pages import venue_for_page
    from portal.models import EventPage
    from resources.orders import OrderStatus, ServiceOrder

    held = defaultdict(Decimal)
    events = EventPage.objects.live().filter(
        start__date__gte=ctx.first_day, start__date__lte=ctx.last_day
    )
    wanted = set(ctx.venue_ids)
    for page in events.only("path"):
        venue_id = venue_for_page(page)
        if venue_id in wanted:
            held[venue_id] += 1
    orders = (
        ServiceOrder.objects.filter(
            orderer_id__in=ctx.venue_ids,
            status=OrderStatus.DELIVERED,
            date__gte=ctx.first_day,
            date__lte=ctx.last_day,
        )
        .values("orderer_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in orders:
        held[row["orderer_id"]] += row["n"]
    return {pk: held.get(pk, Decimal(0)) for pk in ctx.venue_ids}


def participants(ctx, indicator):
    """Attendances at its courses and events, plus the people present at what it delivered."""
    attended = ctx.counts(ev.ATTENDANCE)
    delivered = ctx.totals(ev.ORDER_DELIVERED)
    return {pk: attended[pk] + delivered[pk] for pk in ctx.venue_ids}


def training_sessions(ctx, indicator):
    """Sessions of its courses held in the year (up to today)."""
    from resources.models import CourseSession

    rows = (
        CourseSession.objects.filter(
            course__owner_id__in=ctx.venue_ids,
            date__gte=ctx.first_day,
            date__lte=ctx.last_day,
        )
        .values_list("course__owner_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {pk: Decimal(n) for pk, n in rows}
    return {pk: found.get(pk, Decimal(0)) for pk in ctx.venue_ids}


def enrolments(ctx, indicator):
    return ctx.counts(ev.ENROLMENT)


def catalogue_contributions(ctx, indicator):
    """Entries it added to the shared catalogue in the year, all kinds together."""
    from django.apps import apps

    from resources.models import CatalogueEntry

    found = defaultdict(Decimal)
    start = ctx.first_day
    end = ctx.last_day + timedelta(days=1)
    for model in apps.get_app_config("resources").get_models():
        if not issubclass(model, CatalogueEntry):
            continue
        rows = (
            model.objects.filter(
                owner_id__in=ctx.venue_ids, created_at__date__gte=start, created_at__date__lt=end
            )
            .values_list("owner_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for pk, n in rows:
            found[pk] += n
    return {pk: found.get(pk, Decimal(0)) for pk in ctx.venue_ids}


def contribution_use(ctx, indicator):
    """Plays and downloads of its media, loans of its items and orders it delivered: how much
    the network used what it shares."""
    return ctx.counts(ev.ASSET_PLAY, ev.ASSET_DOWNLOAD, ev.LOAN, ev.ORDER_DELIVERED)


def loans_provided(ctx, indicator):
    return ctx.counts(ev.LOAN)


def volunteer_hours(ctx, indicator):
    return ctx.totals(ev.VOLUNTEER_HOURS)


def satisfaction(ctx, indicator):
    """Mean stars of the residents' ratings; None without any rating."""
    counts, totals = ctx.counts(ev.RATING), ctx.totals(ev.RATING)
    return {pk: (totals[pk] / counts[pk] if counts[pk] else None) for pk in ctx.venue_ids}


def inspection(ctx, indicator):
    """1 when its admission inspection (入网考察) passed, 0 otherwise; a venue that joined
    before the platform (no application on record) counts as passed: it was plaqued."""
    from ..admission import Application, InspectionConclusion

    conclusions = dict(
        Application.objects.filter(venue_id__in=ctx.venue_ids).values_list(
            "venue_id", "inspection_conclusion"
        )
    )
    return {
        pk: Decimal(conclusions.get(pk, InspectionConclusion.PASS) == InspectionConclusion.PASS)
        for pk in ctx.venue_ids
    }


def manual(ctx, indicator):
    """The reviewers' points (评审打分); None when not scored yet."""
    from .models import ManualScore

    scores = dict(
        ManualScore.objects.filter(indicator=indicator, venue_id__in=ctx.venue_ids).values_list(
            "venue_id", "points"
        )
    )
    return {pk: scores.get(pk) for pk in ctx.venue_ids}


SOURCES = {
    "opening_compliance": Source(
        _("免费开放达标周数占比（%）"), opening_compliance, _("开放时间合规：每周达标的比例")
    ),
    "activities_held": Source(_("举办活动场次"), activities_held, _("活动页面 + 点单配送到馆")),
    "participants": Source(_("参与人次"), participants, _("培训出勤 + 配送实到人数")),
    "training_sessions": Source(_("培训课时"), training_sessions, _("本馆课程的上课次数")),
    "enrolments": Source(_("培训报名人次"), enrolments, _("使用统计：培训报名")),
    "catalogue_contributions": Source(
        _("共享资源贡献条数"), catalogue_contributions, _("本年度新增的共享资源")
    ),
    "contribution_use": Source(
        _("共享资源被使用次数"), contribution_use, _("播放、下载、出借与配送")
    ),
    "loans_provided": Source(_("资源出借次数"), loans_provided, _("使用统计：资源出借")),
    "volunteer_hours": Source(_("志愿服务时长"), volunteer_hours, _("使用统计：志愿服务")),
    "satisfaction": Source(_("群众评价平均星级"), satisfaction, _("使用统计：群众评价")),
    "inspection": Source(_("入网考察结论"), inspection, _("入网申请的现场考察")),
    "manual": Source(_("评审打分"), manual, _("评审人员录入")),
}


def source_choices():
    return [(code, source.label) for code, source in SOURCES.items()]


def read_all(indicators, venues, year, today):
    """{indicator code: {venue_id: raw}} for every indicator of a system."""
    ctx = SourceContext(venues, year, today)
    return {ind.code: SOURCES[ind.source].read(ctx, ind) for ind in indicators}


def has_opening(venue_ids, first_day, last_day):
    """Ids of the venues with at least one opening recorded in the period."""
    from ..models import ActualOpening
    from .opening import local_bounds

    start, end = local_bounds(first_day, last_day)
    return set(
        ActualOpening.objects.filter(
            Q(venue_id__in=venue_ids), opened_at__gte=start, opened_at__lt=end
        )
        .values_list("venue_id", flat=True)
        .distinct()
    )
