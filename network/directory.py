"""The public venue directory: venues grouped by district, with their weekly hours."""

from itertools import groupby

from django.db.models import Prefetch

from .models import OpeningHours, Venue
from .plan import Level

LEVEL_ORDER = {level: i for i, level in enumerate(Level.values)}


def directory_by_district():
    """[(district, [venue, …]), …] of public venues, hub first, then by level and name."""
    venues = (
        Venue.objects.public()
        .select_related("page", "parent")
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.all()))
    )
    ordered = sorted(venues, key=lambda v: (v.district, LEVEL_ORDER[v.level], v.name))
    for venue in ordered:
        venue.weekly_total_hours, venue.weekly_free_hours = venue.weekly_hours()
    districts = [
        (district, list(group)) for district, group in groupby(ordered, lambda v: v.district)
    ]
    # The district holding the hub is listed first.
    districts.sort(key=lambda item: (not any(v.level == Level.HUB for v in item[1]), item[0]))
    return districts
