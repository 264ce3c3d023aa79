"""Daily and monthly aggregates, and the retention of raw events.

- aggregate_day(day): counts, distinct visitors and value totals of one local day, per venue
  (DailyVenueMetric) and per district × level rollup (DailyAreaMetric: by district and level,
  by district, by level, whole network), then recomputes that day's month. Idempotent: the
  day's rows are replaced in one transaction.
- Dedup (rules.DEDUP_WINDOWS) is applied here, not when recording: a view counts unless the
  same visitor viewed the same page less than 30 minutes before (the window looks back across
  midnight). Recording stays a plain append, and the raw events stay complete.
- Monthly: counts and totals are the sums of the days; distinct visitors are counted over the
  month's raw events (they do not add up across days). Per object (MonthlyObjectMetric, the
  types in rules.OBJECT_RANKED_EVENTS, none of which is deduplicated): from the raw events.
- prune_raw_events(): raw events before the retention cutoff (METRICS_RAW_RETENTION_DAYS ago,
  rounded down to the first of that month, so no month's raw events are partly gone) are
  summarised first if their day was never aggregated, then deleted. The aggregates stay.
"""

import calendar
from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Min, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from . import rules
from .models import (
    ALL,
    AggregatedDay,
    DailyAreaMetric,
    DailyVenueMetric,
    Event,
    MonthlyAreaMetric,
    MonthlyObjectMetric,
    MonthlyVenueMetric,
)


def day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def month_of(day):
    return day.replace(day=1)


def next_month(month):
    return month + timedelta(days=calendar.monthrange(month.year, month.month)[1])


def prune_cutoff(today=None):
    """Raw events before this date are removed by prune_raw_events."""
    today = today or timezone.localdate()
    return month_of(today - timedelta(days=settings.METRICS_RAW_RETENTION_DAYS))


class Tally:
    __slots__ = ("count", "visitors", "total")

    def __init__(self):
        self.count, self.visitors, self.total = 0, set(), Decimal(0)

    def add(self, visitor, value):
        self.count += 1
        if visitor:
            self.visitors.add(visitor)
        if value is not None:
            self.total += value


def area_keys(district, level):
    """The rollup rows one venue's event counts in; an event of no venue counts network-wide."""
    if district is None:
        return [(ALL, ALL)]
    return [(district, level), (district, ALL), (ALL, level), (ALL, ALL)]


def counted_events(day):
    """(event_type, venue_id, visitor, value) of each event of `day` that counts."""
    start, end = day_start(day), day_start(day + timedelta(days=1))
    fields = ("event_type", "venue_id", "visitor", "value")
    plain = Event.objects.filter(at__gte=start, at__lt=end).exclude(
        event_type__in=rules.DEDUP_WINDOWS
    )
    yield from plain.values_list(*fields).iterator(chunk_size=5000)
    for event_type, window in rules.DEDUP_WINDOWS.items():
        repeats = (
            Event.objects.filter(event_type=event_type, at__gte=start - window, at__lt=end)
            .order_by("visitor", "object_key", "at")
            .values_list("venue_id", "visitor", "object_key", "at", "value")
        )
        previous = (None, None, None)
        for venue_id, visitor, object_key, at, value in repeats.iterator(chunk_size=5000):
            repeat = visitor and previous[:2] == (visitor, object_key) and at - previous[2] < window
            previous = (visitor, object_key, at)
            if at >= start and not repeat:
                yield event_type, venue_id, visitor, value


def _check_day(day, today):
    if day > today:
        raise ValidationError(_("不能汇总未来的日期（%(day)s）。") % {"day": day.isoformat()})
    if day < prune_cutoff(today) and AggregatedDay.objects.filter(date=day).exists():
        raise ValidationError(
            _("%(day)s 的原始事件已超过保留期限（可能已删除），不能重新汇总；已有的统计保持不变。")
            % {"day": day.isoformat()}
        )


@transaction.atomic
def aggregate_day(day, today=None):
    """Compute (or recompute) the aggregates of `day` and of its month; returns the number of
    events counted."""
    _check_day(day, today or timezone.localdate())
    venues = {
        pk: (district, level)
        for pk, district, level in _venue_table().values_list("pk", "district", "level")
    }
    by_venue, by_area = defaultdict(Tally), defaultdict(Tally)
    counted = 0
    for event_type, venue_id, visitor, value in counted_events(day):
        counted += 1
        if venue_id is not None:
            by_venue[venue_id, event_type].add(visitor, value)
        for district, level in area_keys(*venues.get(venue_id, (None, None))):
            by_area[event_type, district, level].add(visitor, value)

    DailyVenueMetric.objects.filter(date=day).delete()
    DailyVenueMetric.objects.bulk_create(
        DailyVenueMetric(date=day, venue_id=venue_id, event_type=event_type, **_measures(tally))
        for (venue_id, event_type), tally in by_venue.items()
    )
    DailyAreaMetric.objects.filter(date=day).delete()
    DailyAreaMetric.objects.bulk_create(
        DailyAreaMetric(
            date=day, event_type=event_type, district=district, level=level, **_measures(tally)
        )
        for (event_type, district, level), tally in by_area.items()
    )
    AggregatedDay.objects.update_or_create(
        date=day, defaults={"events": counted, "aggregated_at": timezone.now()}
    )
    aggregate_month(month_of(day))
    return counted


def _venue_table():
    from network.models import Venue

    return Venue.objects.all()


def _measures(tally):
    return {"count": tally.count, "visitors": len(tally.visitors), "total": tally.total}


def aggregate_month(month):
    """Recompute the month's rows from its daily rows (counts, totals) and raw events
    (distinct visitors)."""
    end = next_month(month)
    days = {"date__gte": month, "date__lt": end}
    sums = {"count": Sum("count"), "total": Sum("total")}
    month_events = Event.objects.filter(at__gte=day_start(month), at__lt=day_start(end))
    aggregate_objects(month, month_events)
    raw = month_events.exclude(visitor="")
    distinct = {"visitors": Count("visitor", distinct=True)}

    venue_visitors = {
        (row["venue_id"], row["event_type"]): row["visitors"]
        for row in raw.filter(venue__isnull=False)
        .values("venue_id", "event_type")
        .annotate(**distinct)
    }
    MonthlyVenueMetric.objects.filter(month=month).delete()
    MonthlyVenueMetric.objects.bulk_create(
        MonthlyVenueMetric(
            month=month,
            venue_id=row["venue_id"],
            event_type=row["event_type"],
            count=row["count"],
            total=row["total"],
            visitors=venue_visitors.get((row["venue_id"], row["event_type"]), 0),
        )
        for row in DailyVenueMetric.objects.filter(**days)
        .values("venue_id", "event_type")
        .annotate(**sums)
    )

    area_visitors = {}
    groupings = {
        (True, True): ("venue__district", "venue__level"),
        (True, False): ("venue__district",),
        (False, True): ("venue__level",),
    }
    for (by_district, by_level), columns in groupings.items():
        for row in (
            raw.filter(venue__isnull=False).values("event_type", *columns).annotate(**distinct)
        ):
            district = row["venue__district"] if by_district else ALL
            level = row["venue__level"] if by_level else ALL
            area_visitors[row["event_type"], district, level] = row["visitors"]
    for row in raw.values("event_type").annotate(**distinct):
        area_visitors[row["event_type"], ALL, ALL] = row["visitors"]
    MonthlyAreaMetric.objects.filter(month=month).delete()
    MonthlyAreaMetric.objects.bulk_create(
        MonthlyAreaMetric(
            month=month,
            event_type=row["event_type"],
            district=row["district"],
            level=row["level"],
            count=row["count"],
            total=row["total"],
            visitors=area_visitors.get((row["event_type"], row["district"], row["level"]), 0),
        )
        for row in DailyAreaMetric.objects.filter(**days)
        .values("event_type", "district", "level")
        .annotate(**sums)
    )


def aggregate_objects(month, raw):
    MonthlyObjectMetric.objects.filter(month=month).delete()
    MonthlyObjectMetric.objects.bulk_create(
        MonthlyObjectMetric(month=month, **row)
        for row in raw.filter(event_type__in=rules.OBJECT_RANKED_EVENTS, venue__isnull=False)
        .exclude(object_key="")
        .values("event_type", "venue_id", "object_key")
        .annotate(count=Count("pk"), total=Coalesce(Sum("value"), Decimal(0)))
        .order_by()
    )


def prune_raw_events(today=None):
    """Summarise any never-aggregated day before the cutoff, then delete its raw events.
    Returns (days summarised, events deleted)."""
    today = today or timezone.localdate()
    cutoff = prune_cutoff(today)
    first = Event.objects.filter(at__lt=day_start(cutoff)).aggregate(first=Min("at"))["first"]
    if first is None:
        return 0, 0
    day = timezone.localtime(first).date()
    done = set(
        AggregatedDay.objects.filter(date__gte=day, date__lt=cutoff).values_list("date", flat=True)
    )
    # Summarise first, delete after: each day's aggregation recomputes its month from raw events.
    days = dates_between(day, cutoff - timedelta(days=1))
    summarised = 0
    for day in days:
        if day not in done and _events_of(day).exists():
            aggregate_day(day, today=today)
            summarised += 1
    deleted = sum(_events_of(day).delete()[0] for day in days)  # a day per statement
    return summarised, deleted


def _events_of(day):
    return Event.objects.filter(at__gte=day_start(day), at__lt=day_start(day + timedelta(days=1)))


def aggregated_through():
    """The last aggregated day (what dashboards say their data runs to), or None."""
    return AggregatedDay.objects.order_by("-date").values_list("date", flat=True).first()


def dates_between(first, last):
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
