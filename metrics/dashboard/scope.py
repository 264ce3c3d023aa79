"""Whose figures a user may see: the hub's staff (and superusers) the whole network, a main
centre's staff their centre and everything under it, other venues' staff their own venues."""

from dataclasses import dataclass

from network.compliance import scope_for as overseen_venues
from network.models import Venue
from network.plan import Level
from network.services import venues_for_user


@dataclass(frozen=True)
class Scope:
    venue_ids: frozenset | None  # None: the whole network

    @property
    def is_network(self):
        return self.venue_ids is None

    def venues(self):
        venues = Venue.objects.all()
        return venues if self.is_network else venues.filter(pk__in=self.venue_ids)

    def filter(self, queryset, field="venue"):
        """`queryset` limited to rows of the scope's venues (`field` names the venue)."""
        if self.is_network:
            return queryset
        return queryset.filter(**{f"{field}__in": self.venue_ids})

    def key(self):
        """For cache keys."""
        return "all" if self.is_network else "-".join(map(str, sorted(self.venue_ids)))


def scope_for(user):
    """The user's Scope, or None when they work for no venue (no dashboard)."""
    if user.is_superuser:
        return Scope(None)
    own = list(venues_for_user(user).values_list("pk", "level"))
    if any(level == Level.HUB for _pk, level in own):
        return Scope(None)
    ids = {pk for pk, _level in own}
    if any(level == Level.MAIN for _pk, level in own):
        ids |= set(overseen_venues(user).values_list("pk", flat=True))
    return Scope(frozenset(ids)) if ids else None
