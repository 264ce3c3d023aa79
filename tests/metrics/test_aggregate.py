"""Aggregation on a hand-checked example: 2025-03-09 … 03-11, Asia/Shanghai."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from metrics.aggregate import aggregate_day, prune_raw_events
from metrics.models import (
    ALL,
    AggregatedDay,
    DailyAreaMetric,
    DailyVenueMetric,
    Event,
    MonthlyAreaMetric,
    MonthlyVenueMetric,
)

D0, D1, D2 = date(2025, 3, 9), date(2025, 3, 10), date(2025, 3, 11)
TODAY = date(2025, 3, 20)


def at(day, hh_mm):
    hour, minute = map(int, hh_mm.split(":"))
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def event(event_type, when, venue=None, visitor="", key="", value=None):
    return Event.objects.create(
        event_type=event_type, at=when, venue=venue, visitor=visitor, object_key=key, value=value
    )


@pytest.fixture
def example(network):
    pukou, shimen, youxian = network["pukou"], network["shimen"], network["youxian"]
    view = "page_view"
    # C: a view just before midnight makes C's 00:10 view a repeat (within 30 minutes).
    event(view, at(D0, "23:50"), pukou, "C", "page:1")
    event(view, at(D1, "00:10"), pukou, "C", "page:1")
    # A on page 1: 10:00 counts, 10:20 repeats, 10:55 counts (35 minutes after the last view).
    for time in ("10:00", "10:20", "10:55"):
        event(view, at(D1, time), pukou, "A", "page:1")
    event(view, at(D1, "10:05"), pukou, "A", "page:2")  # another page: counts
    event(view, at(D1, "10:10"), pukou, "B", "page:1")  # another visitor: counts
    event(view, at(D1, "12:00"), shimen, "A", "page:9")
    event("asset_play", at(D1, "09:00"), youxian, "B", "asset:4")  # plays are not deduplicated
    event("asset_play", at(D1, "09:05"), youxian, "B", "asset:4")
    event("order_delivered", at(D1, "15:00"), youxian, value=40)
    event("search", at(D1, "11:00"), None, "A", value=3)  # the network-wide search
    event(view, at(D2, "10:00"), pukou, "A", "page:1")
    return network


def daily_venue(day, venue, event_type):
    row = DailyVenueMetric.objects.get(date=day, venue=venue, event_type=event_type)
    return row.count, row.visitors, row.total


def daily_area(day, event_type, district, level):
    row = DailyAreaMetric.objects.get(
        date=day, event_type=event_type, district=district, level=level
    )
    return row.count, row.visitors


@pytest.mark.django_db
def test_daily_per_venue_with_dedup_across_midnight(example):
    network = example
    assert aggregate_day(D1, today=TODAY) == 1 + 3 + 1 + 2 + 1 + 1  # views, plays, order, search
    assert daily_venue(D1, network["pukou"], "page_view") == (4, 2, 0)  # A×2, A page 2, B
    assert daily_venue(D1, network["shimen"], "page_view") == (1, 1, 0)
    assert daily_venue(D1, network["youxian"], "asset_play") == (2, 1, 0)
    assert daily_venue(D1, network["youxian"], "order_delivered") == (1, 0, Decimal(40))
    assert DailyVenueMetric.objects.filter(date=D1).count() == 4  # the search has no venue
    assert AggregatedDay.objects.get(date=D1).events == 9


@pytest.mark.django_db
def test_daily_rollups_by_district_and_level(example):
    aggregate_day(D1, today=TODAY)
    # pukou is a branch, shimen a point, both in 醴陵市; youxian a main centre in 攸县.
    assert daily_area(D1, "page_view", "醴陵市", "branch") == (4, 2)
    assert daily_area(D1, "page_view", "醴陵市", "point") == (1, 1)
    assert daily_area(D1, "page_view", "醴陵市", ALL) == (5, 2)  # A and B
    assert daily_area(D1, "page_view", ALL, "point") == (1, 1)
    assert daily_area(D1, "page_view", ALL, ALL) == (5, 2)
    assert daily_area(D1, "asset_play", "攸县", "main") == (2, 1)
    assert daily_area(D1, "search", ALL, ALL) == (1, 1)
    assert not DailyAreaMetric.objects.filter(event_type="search").exclude(district=ALL).exists()
    by_district = DailyAreaMetric.objects.by_district().filter(date=D1, event_type="page_view")
    assert list(by_district.values_list("district", "count")) == [("醴陵市", 5)]


@pytest.mark.django_db
def test_monthly_sums_days_and_counts_distinct_visitors_over_the_month(example):
    network = example
    for day in (D0, D1, D2):
        aggregate_day(day, today=TODAY)
    month = date(2025, 3, 1)
    pukou = MonthlyVenueMetric.objects.get(
        month=month, venue=network["pukou"], event_type="page_view"
    )
    # Days: 1 (C) + 4 + 1 (A) = 6 views; visitors per day 1 + 2 + 1, but only C, A, B in all.
    assert (pukou.count, pukou.visitors) == (6, 3)
    network_views = MonthlyAreaMetric.objects.network().get(month=month, event_type="page_view")
    assert (network_views.count, network_views.visitors) == (7, 3)
    order = MonthlyAreaMetric.objects.get(
        month=month, event_type="order_delivered", district="攸县", level=ALL
    )
    assert (order.count, order.total) == (1, Decimal(40))


@pytest.mark.django_db
def test_reaggregating_a_day_replaces_its_rows(example, settings):
    network = example
    settings.METRICS_RAW_RETENTION_DAYS = 10_000  # the command works with the real today
    aggregate_day(D1, today=TODAY)
    aggregate_day(D1, today=TODAY)
    assert daily_venue(D1, network["pukou"], "page_view") == (4, 2, 0)
    event("page_view", at(D1, "18:00"), network["pukou"], "E", "page:1")
    call_command("aggregate_metrics", date=D1.isoformat(), stdout=StringIO())
    assert daily_venue(D1, network["pukou"], "page_view") == (5, 3, 0)
    assert DailyVenueMetric.objects.filter(date=D1, event_type="page_view").count() == 2
    monthly = MonthlyVenueMetric.objects.get(venue=network["pukou"], event_type="page_view")
    assert monthly.count == 5


@pytest.mark.django_db
def test_a_future_day_is_refused_and_nothing_changes(example):
    with pytest.raises(ValidationError, match="不能汇总未来的日期"):
        aggregate_day(D2, today=D1)
    assert not DailyVenueMetric.objects.exists() and not AggregatedDay.objects.exists()


@pytest.mark.django_db
def test_prune_summarises_then_removes_old_raw_events_and_keeps_aggregates(network, settings):
    settings.METRICS_RAW_RETENTION_DAYS = 30
    today = date(2025, 6, 15)  # cutoff: the first of the month 30 days back, 2025-05-01
    pukou = network["pukou"]
    event("page_view", at(date(2025, 4, 10), "10:00"), pukou, "A", "page:1")  # not aggregated
    event("page_view", at(date(2025, 4, 20), "10:00"), pukou, "B", "page:1")
    event("page_view", at(date(2025, 4, 30), "23:59"), pukou, "C", "page:1")
    kept = event("page_view", at(date(2025, 5, 1), "00:00"), pukou, "A", "page:1")
    aggregate_day(date(2025, 4, 20), today=today)

    assert prune_raw_events(today=today) == (2, 3)  # 04-10 and 04-30 summarised first
    assert list(Event.objects.values_list("pk", flat=True)) == [kept.pk]
    april = MonthlyVenueMetric.objects.get(month=date(2025, 4, 1), venue=pukou)
    assert (april.count, april.visitors) == (3, 3)
    assert DailyVenueMetric.objects.filter(date__month=4).count() == 3

    with pytest.raises(ValidationError, match="超过保留期限"):
        aggregate_day(date(2025, 4, 20), today=today)  # its raw events are gone
    assert MonthlyVenueMetric.objects.get(month=date(2025, 4, 1), venue=pukou).count == 3
    assert prune_raw_events(today=today) == (0, 0)
