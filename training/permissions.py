"""Who may manage which enrolments in the admin.

Staff of a venue (its editor and moderator groups) manage the offerings of that venue's courses
and events: their rules, enrolments, waiting list, attendance. Hub administrators (superusers)
manage every offering. Personal data follows a narrower rule: phone and ID numbers are shown in
full only to the staff of the offering's own venue; everyone else, hub administrators included,
sees them masked.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy

from network.models import Venue
from resources.permissions import is_hub_admin, user_venue_ids

from .models import Offering

# Offerings are created by their course or event, never by hand, and deleted with it.
ACTIONS = frozenset({"view", "change"})


def offerings_for(user):
    offerings = Offering.objects.select_related("course", "event", "venue")
    if is_hub_admin(user):
        return offerings
    return offerings.filter(venue__in=user_venue_ids(user))


def manages(user, offering):
    return is_hub_admin(user) or offering.venue_id in user_venue_ids(user)


def sees_personal_data(user, offering):
    return offering.venue_id is not None and offering.venue_id in user_venue_ids(user)


def is_training_staff(user):
    return is_hub_admin(user) or bool(user_venue_ids(user))


class OfferingPermissionPolicy(ModelPermissionPolicy):
    """The rule above for Wagtail's generic views of Offering (报名设置)."""

    def user_has_permission(self, user, action):
        return action in ACTIONS and is_training_staff(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not set(actions) & ACTIONS:
            return users.none()
        venues = Venue.objects.order_by()
        return users.filter(
            Q(is_superuser=True)
            | Q(groups__in=venues.values("editors_group"))
            | Q(groups__in=venues.values("moderators_group"))
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        return action in ACTIONS and manages(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not set(actions) & ACTIONS:
            return Offering.objects.none()
        return offerings_for(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        users = get_user_model().objects.filter(is_active=True)
        if not set(actions) & ACTIONS:
            return users.none()
        venue = Venue.objects.filter(pk=instance.venue_id).order_by()
        return users.filter(
            Q(is_superuser=True)
            | Q(groups__in=venue.values("editors_group"))
            | Q(groups__in=venue.values("moderators_group"))
        ).distinct()
