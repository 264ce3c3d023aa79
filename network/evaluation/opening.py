"""The year's free-opening compliance of many venues at once (network.compliance, week by week).

network.compliance.assess_scope reads one week per call; a year of a whole level that way would
be 52 rounds of queries. Here timetables, holiday exceptions and actual openings are read once
for the year, and the same pure functions (declared_intervals, actual_intervals, hours_in_week,
Compliance) judge each week, so the result is the one the compliance page shows.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from ..compliance import (
    WEEK,
    Compliance,
    actual_intervals,
    declared_intervals,
    hours_in_week,
    week_start,
)
from ..models import ActualOpening, HoursException, OpeningHours
from ..plan import OPENING_DUTIES


def local_bounds(first_day, last_day):
    start = timezone.make_aware(datetime.combine(first_day, time.min))
    end = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    return start, end


def weeks_of(first_day, last_day):
    """Mondays of the weeks that start in the period and have ended by its last day."""
    monday = week_start(first_day)
    if monday < first_day:
        monday += WEEK
    weeks = []
    while monday + WEEK <= last_day + timedelta(days=1):
        weeks.append(monday)
        monday += WEEK
    return weeks


def _grouped(rows, key):
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def compliant_week_share(venues, first_day, last_day, today):
    """{venue_id: % of its weeks (since it opened) that met the opening duty}; None for a venue
    with no duty or no week to judge."""
    venues = [v for v in venues if v.level in OPENING_DUTIES]
    weeks = weeks_of(first_day, last_day)
    ids = [v.pk for v in venues]
    slots = _grouped(OpeningHours.objects.filter(venue_id__in=ids), lambda s: s.venue_id)
    exceptions = _grouped(
        HoursException.objects.filter(
            venue_id__in=ids, date__gte=first_day - timedelta(days=1), date__lte=last_day
        ),
        lambda e: e.venue_id,
    )
    # From the Sunday before the first week: an overnight opening's tail reaches into it.
    start, end = local_bounds(first_day - timedelta(days=7), last_day)
    openings = ActualOpening.objects.filter(
        venue_id__in=ids, opened_at__gte=start, opened_at__lt=end
    )
    by_week = defaultdict(list)  # (venue_id, monday) -> openings starting that week
    for opening in openings.only("venue_id", "opened_at", "closed_at", "is_free"):
        monday = week_start(timezone.localtime(opening.opened_at).date())
        by_week[opening.venue_id, monday].append(opening)
    first_recorded = _first_openings(ids)
    now = timezone.make_aware(datetime.combine(today, time.max))

    shares = {}
    for venue in venues:
        since = week_start(venue.opened_on) if venue.opened_on else None
        judged = passed = 0
        for monday in weeks:
            if since and monday < since:
                continue
            week_to = timezone.make_aware(datetime.combine(monday + WEEK, time.min))
            actual = None
            first = first_recorded.get(venue.pk)
            if first is not None and first < week_to:  # the venue records its openings
                recorded = by_week[venue.pk, monday - WEEK] + by_week[venue.pk, monday]
                actual = hours_in_week(actual_intervals(recorded, now), monday)
            declared = hours_in_week(
                declared_intervals(slots[venue.pk], exceptions[venue.pk], monday), monday
            )
            judged += 1
            week = Compliance(venue=venue, monday=monday, declared=declared, actual=actual)
            passed += week.compliant
        shares[venue.pk] = Decimal(100) * passed / judged if judged else None
    return shares


def _first_openings(ids):
    from django.db.models import Min

    return dict(
        ActualOpening.objects.filter(venue_id__in=ids)
        .values("venue_id")
        .annotate(first=Min("opened_at"))
        .values_list("venue_id", "first")
        .order_by()
    )
