"""Builders for grids, volunteers, activities and shifts (through the services where it matters)."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from tests.training.factories import make_resident
from volunteers.models import Activity, Grid, Shift, Team, Volunteer, VolunteerStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
_names = itertools.count(1)


def at(year, month, day, hour=0, minute=0):
    """An aware datetime in Shanghai time."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def square(lng, lat, half=0.01):
    """A closed square ring around (lng, lat)."""
    return [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]


def make_grid(venue, name=None, polygon=None, center=None, radius_m=None, kind="community"):
    name = name or f"网格{next(_names)}"
    if polygon is None and center is None:
        polygon = square(113.15, 27.83)
    grid = Grid(name=name, kind=kind, venue=venue, polygon=polygon, radius_m=radius_m)
    if center is not None:
        grid.center_longitude, grid.center_latitude = (Decimal(str(value)) for value in center)
    grid.full_clean()
    grid.save()
    return grid


def make_team(venue, name=None, **fields):
    return Team.objects.create(venue=venue, name=name or f"团队{next(_names)}", **fields)


def make_volunteer(
    grid,
    resident=None,
    status=VolunteerStatus.APPROVED,
    consent=False,
    team=None,
    skills=("photography",),
    **resident_fields,
):
    resident = resident or make_resident(**resident_fields)
    return Volunteer.objects.create(
        resident=resident,
        grid=grid,
        team=team,
        status=status,
        skills=list(skills),
        availability=["weekend_day"],
        showcase_consent=consent,
        applied_at=timezone.now(),
    )


def make_activity(venue, grid, title=None, **fields):
    return Activity.objects.create(
        venue=venue, grid=grid, title=title or f"志愿服务活动{next(_names)}", **fields
    )


def make_shift(activity, starts_at=None, hours=3, places=5, role="引导员"):
    starts_at = starts_at or timezone.now() + timedelta(days=7)
    return Shift.objects.create(
        activity=activity,
        role=role,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        places=places,
    )
