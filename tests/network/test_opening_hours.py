"""Weekly opening hours: totals, free hours, and the checks on slots."""

from datetime import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from network import rules
from network.models import OpeningHours, Venue
from network.services import save_venue
from tests.factories import make_venue


def test_weekly_totals_count_split_days_midnight_and_charged_slots(network):
    hours = [
        (0, time(8, 30), time(11, 30), True),  # a split day: 3 h …
        (0, time(14), time(17, 30), True),  # … + 3.5 h
        (4, time(19), time(0), True),  # 00:00 closes at midnight: 5 h
        (5, time(9), time(21), False),  # 12 h, charged
        (6, time(0), time(0), True),  # open round the clock: 24 h
    ]
    venue = make_venue(
        "liling-dongfu", "branch", network["liling"], place="东富", opening_hours=hours
    )
    assert venue.weekly_hours() == (Decimal("47.5"), Decimal("35.5"))
    assert rules.slot_hours(time(22, 15), time(0)) == Decimal("1.75")


def test_the_network_builders_timetable(network):
    assert network["pukou"].weekly_hours() == (56, 56)


@pytest.mark.parametrize(
    ("slots", "message"),
    [
        ([(0, time(17), time(9))], "开放时间 17:00–09:00 有误：闭馆时间必须晚于开馆时间。"),
        ([(0, time(9), time(9))], "闭馆时间必须晚于开馆时间"),
        ([(2, time(9), time(12)), (2, time(11), time(14))], "周三的开放时段 09:00–12:00 与 11:00–14:00 重叠。"),
        ([(6, time(20), time(0)), (6, time(21), time(22))], "周日的开放时段 20:00–00:00 与 21:00–22:00 重叠。"),
        # Not adjacent after sorting: 08:00–20:00 still covers 11:00–12:00.
        ([(1, time(8), time(20)), (1, time(9), time(10)), (1, time(11), time(12))], "与 11:00–12:00 重叠"),
    ],
)  # fmt: skip
def test_bad_slots(slots, message):
    assert message in " ".join(rules.opening_hours_errors(slots))


def test_back_to_back_slots_and_other_days_do_not_overlap():
    slots = [(0, time(9), time(12)), (0, time(12), time(0)), (1, time(9), time(12))]
    assert rules.opening_hours_errors(slots) == []


def test_save_venue_refuses_bad_hours_and_saves_nothing(network):
    before = (Venue.objects.count(), OpeningHours.objects.count())
    venue = Venue(code="liling-dongfu", level="branch", parent=network["liling"], place_name="东富")
    venue.district = "醴陵市"
    with pytest.raises(ValidationError) as caught:
        save_venue(venue, [(0, time(9), time(17), True), (0, time(16), time(18), True)])
    assert caught.value.message_dict["opening_hours"] == [
        "周一的开放时段 09:00–17:00 与 16:00–18:00 重叠。"
    ]
    assert (Venue.objects.count(), OpeningHours.objects.count()) == before


def test_the_database_refuses_a_slot_closing_before_it_opens(network):
    venue = network["pukou"]
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(venue=venue, weekday=0, opens=time(17), closes=time(9))
    # Midnight closing is allowed by the same constraint.
    slot = OpeningHours.objects.create(venue=venue, weekday=0, opens=time(20), closes=time(0))
    assert slot.hours == 4


def test_a_slot_is_cleaned_on_its_own():
    slot = OpeningHours(weekday=0, opens=time(17), closes=time(9))
    with pytest.raises(ValidationError) as caught:
        slot.clean()
    assert "闭馆时间必须晚于开馆时间" in caught.value.message_dict["closes"][0]
