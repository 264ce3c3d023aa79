"""The grid view and hours per volunteer, team, venue and grid for a period: which records count
where, a service across midnight counted on its first day, grids with nothing flagged."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import editor_of
from volunteers import hours, reports, signups
from volunteers.models import Volunteer, VolunteerStatus

from .factories import at, make_activity, make_grid, make_shift, make_team, make_volunteer

pytestmark = pytest.mark.django_db


def serve(volunteer, shift, start, end, staff):
    signup = signups.sign_up(volunteer, shift, now=shift.starts_at - timedelta(days=1))
    return hours.record_by_staff(signup, start, end, staff)


@pytest.fixture
def city(network):
    pukou, liling = network["pukou"], network["liling"]
    old_town = make_grid(pukou, "浦口老街")
    river = make_grid(liling, "渌江社区", center=(113.5, 27.65), radius_m=1500)
    empty = make_grid(liling, "空网格")
    team = make_team(pukou, "浦口摄影队")
    a = make_volunteer(old_town, team=team, real_name="甲")
    b = make_volunteer(old_town, real_name="乙")
    make_volunteer(old_town, status=VolunteerStatus.PENDING, real_name="待审")
    c = make_volunteer(river, real_name="丙")
    staff_pukou, staff_liling = editor_of(pukou), editor_of(liling)
    festival = make_activity(pukou, old_town, "老街灯会")
    fair = make_activity(liling, river, "江边书市")
    # A night shift from 31 Dec 2025 22:00 to 1 Jan 2026 02:00.
    night = make_shift(festival, at(2025, 12, 31, 22), hours=4, places=10)
    day = make_shift(fair, at(2026, 1, 10, 9), hours=3, places=10)
    serve(a, night, at(2025, 12, 31, 22), at(2026, 1, 1, 2), staff_pukou)  # 4 h, 2025
    serve(b, night, at(2025, 12, 31, 23), at(2026, 1, 1, 1), staff_pukou)  # 2 h, 2025
    serve(a, day, at(2026, 1, 10, 9), at(2026, 1, 10, 12), staff_liling)  # 3 h, 2026, Liling's
    serve(c, day, at(2026, 1, 10, 9), at(2026, 1, 10, 10, 30), staff_liling)  # 1.5 h
    # A pending self-report counts nowhere.
    pending_shift = make_shift(fair, at(2026, 1, 11, 9), hours=3)
    signup = signups.sign_up(b, pending_shift, now=at(2026, 1, 1, 9))
    hours.self_report(signup, at(2026, 1, 11, 9), at(2026, 1, 11, 12), now=at(2026, 1, 12, 9))
    return locals()


def test_grid_aggregation_and_empty_grids(city):
    lines = {
        line.subject.name: line
        for line in reports.by_grid(at(2025, 12, 1).date(), at(2026, 1, 31).date())
    }
    old_town, river, empty = lines["浦口老街"], lines["渌江社区"], lines["空网格"]
    assert (old_town.volunteers, old_town.activities, old_town.services, old_town.hours) == (
        2,
        1,
        2,
        Decimal("6.00"),
    )
    assert (river.volunteers, river.activities, river.services, river.hours) == (
        1,
        1,
        2,
        Decimal("4.50"),
    )
    assert (empty.volunteers, empty.activities, empty.hours) == (0, 0, Decimal("0.00"))
    assert empty.extra["empty"] == ["无志愿者", "无活动"]
    assert old_town.extra["empty"] == []


def test_a_service_across_midnight_counts_on_the_day_it_started(city):
    dec_31 = at(2025, 12, 31).date()
    jan_1 = at(2026, 1, 1).date()
    lines = {line.subject.name: line for line in reports.by_grid(dec_31, dec_31)}
    assert lines["浦口老街"].hours == Decimal("6.00")
    lines = {line.subject.name: line for line in reports.by_grid(jan_1, jan_1)}
    assert lines["浦口老街"].hours == Decimal("0.00")
    assert reports.hours_of(city["a"], dec_31, dec_31) == Decimal("4.00")


def test_hours_per_volunteer_team_and_venue(city, network):
    start, end = at(2025, 1, 1).date(), at(2026, 12, 31).date()
    per_volunteer = {
        line.subject.name: line.hours
        for line in reports.by_volunteer(Volunteer.objects.all(), start, end)
    }
    assert per_volunteer == {
        "甲": Decimal("7.00"),
        "乙": Decimal("2.00"),
        "待审": 0,
        "丙": Decimal("1.50"),
    }
    (team,) = reports.by_team(reports.teams_in(None), start, end)
    assert (team.volunteers, team.services, team.hours) == (1, 2, Decimal("7.00"))
    venues = {
        line.subject.code: line for line in reports.by_venue(reports.venues_in(None), start, end)
    }
    # A venue's hours are those of the activities it organised; its volunteers those of its grids.
    assert (venues["liling-pukou"].hours, venues["liling-pukou"].volunteers) == (Decimal("6.00"), 2)
    assert (venues["liling-main"].hours, venues["liling-main"].volunteers) == (Decimal("4.50"), 1)
    assert venues["youxian-main"].hours == 0


def test_the_grid_view_in_the_admin(client, city, network):
    client.force_login(editor_of(network["youxian"]))  # any venue's staff see the grid view
    response = client.get(
        reverse("volunteer_reports:grids"), {"start": "2025-12-01", "end": "2026-01-31"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "空网格" in text and "无志愿者、无活动" in text and "1 个网格没有志愿者或没有活动" in text
    )
    bad = client.get(
        reverse("volunteer_reports:grids"), {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert "结束日期不能早于开始日期" in bad.content.decode()
