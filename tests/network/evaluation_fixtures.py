"""A hand-computable evaluation: six branches, four indicators, figures set in the sources."""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from metrics import events as ev
from metrics.models import MonthlyVenueMetric
from network.evaluation.models import Indicator, IndicatorSystem
from network.models import ActualOpening
from tests.factories import make_venue

YEAR = 2024
BUDGET = 100_000
TODAY = date(2025, 2, 1)


def branches(network):
    """V1…V6: three branches under 醴陵 (V1–V3), three under 攸县 (V4–V6)."""
    liling, youxian = network["liling"], network["youxian"]
    return [
        network["pukou"],
        make_venue("liling-dongfu", "branch", liling, place="东富"),
        make_venue("liling-jiashu", "branch", liling, place="嘉树"),
        network["huangfeng"],
        make_venue("youxian-huangfengqiao", "branch", youxian, place="黄丰桥"),
        make_venue("youxian-luanshan", "branch", youxian, place="鸾山"),
    ]


def make_system(year=YEAR, budget=BUDGET, weights=(40, 20, 10, 30)):
    system = IndicatorSystem.objects.create(year=year, level="branch", reward_budget=budget)
    specs = [
        ("enrol", "培训报名", "enrolments", "linear", Decimal(100)),
        ("usage", "资源使用", "contribution_use", "rank", Decimal(0)),
        ("stars", "满意度达标", "satisfaction", "pass_fail", Decimal(4)),
        ("review", "评审打分", "manual", "manual", Decimal(0)),
    ]
    for n, ((code, name, source, rule, target), weight) in enumerate(
        zip(specs, weights, strict=True)
    ):
        Indicator.objects.create(
            system=system,
            code=code,
            name=name,
            source=source,
            rule=rule,
            weight=weight,
            target=target,
            sort_order=n,
        )
    return system


def metric(venue, event_type, month, count, total=0):
    MonthlyVenueMetric.objects.create(
        venue=venue,
        event_type=event_type,
        month=date(YEAR, month, 1),
        count=count,
        total=Decimal(total),
    )


def opened_once(venue, year=YEAR):
    start = timezone.make_aware(datetime.combine(date(year, 5, 6), time(9)))
    ActualOpening.objects.create(
        venue=venue, opened_at=start, closed_at=start.replace(hour=17), source="import"
    )


# Raw figures per venue V1…V6.
ENROLMENTS = [(60, 40), (150, 0), (80, 0), (50, 0), (60, 0), (10, 0)]  # two months each
USAGE = [500, 300, 300, 200, 100, 0]  # asset plays
RATINGS = [(10, 45), (5, 20), (10, 39), (2, 10), (0, 0), (3, 6)]  # (count, stars total)
REVIEW = ["28", "25", "27.5", "24", "30", "10"]


def feed_sources(venues):
    for venue, (march, september), plays, (rated, stars) in zip(
        venues, ENROLMENTS, USAGE, RATINGS, strict=True
    ):
        metric(venue, ev.ENROLMENT, 3, march)
        if september:
            metric(venue, ev.ENROLMENT, 9, september)
        if plays:
            metric(venue, ev.ASSET_PLAY, 6, plays)
        if rated:
            metric(venue, ev.RATING, 7, rated, stars)
    for venue in venues[:5]:  # V6 never opened in the year
        opened_once(venue)


def computed_example(network, hub_admin):
    """The six branches with their sources fed and reviewers' scores entered, computed as a
    draft: (venues, evaluation)."""
    from network.evaluation.compute import compute
    from network.evaluation.manual import enter_manual_scores

    venues = branches(network)
    feed_sources(venues)
    system = make_system()
    review = system.indicators.get(code="review")
    enter_manual_scores(hub_admin, review, dict(zip(venues, REVIEW, strict=True)))
    return venues, compute(system, hub_admin, today=TODAY)
