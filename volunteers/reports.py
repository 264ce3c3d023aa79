"""Confirmed hours added up: per volunteer, team, venue and grid for a period, and the grid view.

Which hours count where:
* a volunteer's and their team's hours: every confirmed record of theirs, whoever organised it
  (the team is the volunteer's current team);
* a venue's hours: the records of the activities it organised;
* a grid's hours and activities: the activities held in it; a grid's volunteers: those who
  belong to it.
A record counts in the period that holds its service date (the Shanghai day it started on)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from network.models import Venue

from .models import (
    Activity,
    Grid,
    RecordStatus,
    ServiceRecord,
    Team,
    Volunteer,
    VolunteerStatus,
)

ZERO = Decimal("0.00")


def as_hours(value):
    """Hours to the hundredth (SQLite's SUM drops a decimal's places, PostgreSQL's keeps them)."""
    return Decimal(value or 0).quantize(ZERO)


def year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def confirmed_records(start=None, end=None):
    records = ServiceRecord.objects.filter(status=RecordStatus.CONFIRMED)
    if start is not None:
        records = records.filter(service_date__gte=start)
    if end is not None:
        records = records.filter(service_date__lte=end)
    return records


def _totals(start, end, key):
    """{key value: (services, hours)} of confirmed records, grouped by the `key` path."""
    rows = (
        confirmed_records(start, end)
        .values(key)
        .annotate(services=Count("pk"), hours=Sum("hours"))
        .order_by()
    )
    return {row[key]: (row["services"], as_hours(row["hours"])) for row in rows}


def hours_of(volunteer, start=None, end=None):
    total = (
        confirmed_records(start, end)
        .filter(signup__volunteer=volunteer)
        .aggregate(hours=Sum("hours"))["hours"]
    )
    return as_hours(total)


@dataclass
class Line:
    subject: object
    services: int = 0
    hours: Decimal = ZERO
    volunteers: int = 0
    activities: int = 0
    extra: dict = field(default_factory=dict)


def by_volunteer(volunteers, start, end):
    totals = _totals(start, end, "signup__volunteer")
    volunteers = volunteers.select_related("resident", "grid__venue", "team")
    return [
        Line(v, *totals.get(v.pk, (0, ZERO)))
        for v in volunteers.order_by("grid__venue__code", "pk")
    ]


def by_team(teams, start, end):
    totals = _totals(start, end, "signup__volunteer__team")
    members = dict(
        Volunteer.objects.filter(status=VolunteerStatus.APPROVED, team__isnull=False)
        .values_list("team")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        Line(team, *totals.get(team.pk, (0, ZERO)), volunteers=members.get(team.pk, 0))
        for team in teams.select_related("venue")
    ]


def _volunteers_per_venue():
    return dict(
        Volunteer.objects.filter(status=VolunteerStatus.APPROVED)
        .values_list("grid__venue")
        .annotate(n=Count("pk"))
        .order_by()
    )


def by_venue(venues, start, end):
    totals = _totals(start, end, "signup__shift__activity__venue")
    members = _volunteers_per_venue()
    return [
        Line(venue, *totals.get(venue.pk, (0, ZERO)), volunteers=members.get(venue.pk, 0))
        for venue in venues
    ]


def by_grid(start, end, grids=None):
    """The grid view: per grid, its volunteers, the activities held in it (those with a shift in
    the period), the confirmed hours served there; `empty` names what a grid lacks."""
    grids = (grids if grids is not None else Grid.objects.all()).select_related("venue")
    totals = _totals(start, end, "signup__shift__activity__grid")
    members = dict(
        Volunteer.objects.filter(status=VolunteerStatus.APPROVED)
        .values_list("grid")
        .annotate(n=Count("pk"))
        .order_by()
    )
    in_period = Q()
    if start is not None:
        in_period &= Q(shifts__ends_at__date__gte=start)
    if end is not None:
        in_period &= Q(shifts__starts_at__date__lte=end)
    activities = dict(
        Activity.objects.filter(in_period)
        .values_list("grid")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    lines = []
    for grid in grids:
        services, hours = totals.get(grid.pk, (0, ZERO))
        line = Line(
            grid,
            services,
            hours,
            volunteers=members.get(grid.pk, 0),
            activities=activities.get(grid.pk, 0),
        )
        line.extra["empty"] = [
            label
            for label, missing in (
                (_("无志愿者"), not line.volunteers),
                (_("无活动"), not line.activities),
            )
            if missing
        ]
        lines.append(line)
    return lines


def teams_in(venue_ids):
    teams = Team.objects.all()
    return teams if venue_ids is None else teams.filter(venue__in=venue_ids)


def venues_in(venue_ids):
    venues = Venue.objects.all()
    return venues if venue_ids is None else venues.filter(pk__in=venue_ids)
