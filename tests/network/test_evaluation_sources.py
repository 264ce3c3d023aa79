"""Sources read the real tables: opening compliance week by week, usage via the aggregates."""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from metrics.aggregate import aggregate_day
from metrics.models import Event
from network.evaluation.models import Indicator
from network.evaluation.opening import compliant_week_share, weeks_of
from network.evaluation.sources import read_all
from network.models import ActualOpening
from tests.factories import make_venue

from .evaluation_fixtures import make_system

SHORT_WEEK = [(day, time(9), time(17), True) for day in range(5)]  # 40 h < 48 h


def test_weeks_of_a_year_are_the_whole_weeks_starting_in_it():
    weeks = weeks_of(date(2024, 1, 1), date(2024, 12, 31))
    # 2024-01-01 is a Monday; the week of 2024-12-30 ends in 2025 and is not judged.
    assert (weeks[0], weeks[-1], len(weeks)) == (date(2024, 1, 1), date(2024, 12, 23), 52)


def test_opening_compliance_share_of_weeks(network):
    liling = network["liling"]
    full = network["pukou"]  # 56 free hours declared, no openings recorded
    short = make_venue("liling-short", "branch", liling, place="短时", opening_hours=SHORT_WEEK)
    recorded = make_venue("liling-recorded", "branch", liling, place="打卡")
    # One 8-hour opening recorded in the week of 6 May: from then on the recorded hours count,
    # and 8 h (then 0 h) a week falls short of 48 h.
    start = timezone.make_aware(datetime.combine(date(2024, 5, 6), time(9)))
    ActualOpening.objects.create(
        venue=recorded, opened_at=start, closed_at=start.replace(hour=17), source="import"
    )
    shares = compliant_week_share(
        [full, short, recorded], date(2024, 1, 1), date(2024, 12, 31), date(2025, 2, 1)
    )
    # 1 Jan … 29 Apr: 18 weeks judged on the timetable (met); 6 May … 23 Dec: 34 weeks short.
    assert shares == {full.pk: 100, short.pk: 0, recorded.pk: Decimal(100) * 18 / 52}


def test_usage_indicators_read_what_the_daily_aggregation_summed(network):
    venue = network["pukou"]
    at = timezone.make_aware(datetime(2024, 3, 5, 10))
    Event.objects.bulk_create(
        [Event(at=at, event_type="enrolment", venue=venue) for _ in range(3)]
        + [Event(at=at, event_type="volunteer_hours", venue=venue, value=Decimal("2.5"))] * 2
    )
    aggregate_day(date(2024, 3, 5), today=date(2025, 2, 1))
    system = make_system()
    indicators = [
        Indicator(system=system, code="enrol", source="enrolments", rule="linear", weight=50),
        Indicator(system=system, code="hours", source="volunteer_hours", rule="linear", weight=50),
    ]
    raw = read_all(indicators, [venue], 2024, date(2025, 2, 1))
    assert raw == {"enrol": {venue.pk: Decimal(3)}, "hours": {venue.pk: Decimal(5)}}
    # Another year's figures are not counted.
    assert read_all(indicators, [venue], 2023, date(2025, 2, 1))["enrol"] == {venue.pk: 0}
