"""Whose figures a user may see: the hub's staff (and superusers) the whole network, a main
centre's staff their centre and everything under it, other venues' staff their own venues."""

from dataclasses import dataclass

from network.models import Venue
from network.services import overseen_venue_ids


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
    ids = overseen_venue_ids(user)
    if ids is None:
        return Scope(None)
    return Scope(frozenset(ids)) if ids else None
