"""Small service functions other apps call to work with the venue network."""

from django.core.exceptions import ValidationError
from django.db import transaction

from . import rules
from .models import OpeningHours, Venue


def save_venue(venue, opening_hours=None):
    """Validate and save a venue with its weekly timetable [(weekday, opens, closes, is_free)],
    or (weekday, opens, closes, is_free, closes_next_day) for a slot running past midnight.

    Raises ValidationError (Chinese messages) and saves nothing when anything is wrong.
    """
    venue.full_clean()
    if opening_hours is not None:
        slots = [(d, o, c, free, *rest) for d, o, c, free, *rest in opening_hours]
        errors = rules.opening_hours_errors((d, o, c, *rest) for d, o, c, _f, *rest in slots)
        if errors:
            raise ValidationError({"opening_hours": errors})
        venue.opening_hours = [
            OpeningHours(
                weekday=d, opens=o, closes=c, is_free=free, closes_next_day=bool(rest and rest[0])
            )
            for d, o, c, free, *rest in slots
        ]
    with transaction.atomic():
        venue.save()
    return venue


def venues_for_user(user):
    """Venues a staff user works for, through the editor and moderator groups."""
    if not user.is_authenticated:
        return Venue.objects.none()
    group_ids = user.groups.values_list("pk", flat=True)
    from django.db.models import Q

    return Venue.objects.filter(
        Q(editors_group__in=group_ids) | Q(moderators_group__in=group_ids)
    ).distinct()


def overseen_venue_ids(user):
    """Whose figures `user` may see. None: the whole network (superusers and the hub's staff);
    else the ids of their own venues and, for a main centre's staff, every venue under it (an
    empty set for anyone else)."""
    from .compliance import scope_for
    from .plan import Level

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    own = dict(venues_for_user(user).values_list("pk", "level"))
    if Level.HUB in own.values():
        return None
    ids = set(own)
    if Level.MAIN in own.values():
        ids |= set(scope_for(user).values_list("pk", flat=True))
    return ids
