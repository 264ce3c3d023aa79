"""Who may see and do what in the volunteer service.

* A volunteer belongs to the venue responsible for their grid. That venue's staff (its editor
  and moderator groups) review their application, place them in a team and see their personal
  data (phone, ID number) in full.
* Staff of other venues, hub administrators included, see a volunteer only once approved and
  only if the volunteer agreed to be shown (showcase_consent): name, venue, team, stars and
  hours; never the phone or ID number. Hub administrators (superusers) manage every venue's
  volunteers, with the phone and ID number masked.
* Activities, their shifts, rosters and hours are managed by the staff of the organising venue
  (and hub administrators). A volunteer who signs up for another venue's shift is named on its
  roster with a masked phone: that is what running the shift needs.
* Grids are the hub's: hub administrators and the hub venue's staff define them; every venue's
  staff see them.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy

from network.models import Venue
from network.plan import Level
from resources.permissions import is_hub_admin, user_venue_ids

from .models import (
    Activity,
    Grid,
    ServiceRecord,
    Shift,
    ShiftSignup,
    Team,
    Volunteer,
    VolunteerStatus,
)


def is_volunteer_staff(user):
    return is_hub_admin(user) or bool(user_venue_ids(user))


def is_hub_staff(user):
    if is_hub_admin(user):
        return True
    venues = user_venue_ids(user)
    return bool(venues) and Venue.objects.filter(pk__in=venues, level=Level.HUB).exists()


def managed_venue_ids(user):
    """None for "every venue" (hub administrators), else the ids of the user's venues."""
    return None if is_hub_admin(user) else user_venue_ids(user)


def _scoped(queryset, user, venue_path):
    venues = managed_venue_ids(user)
    return queryset if venues is None else queryset.filter(**{f"{venue_path}__in": venues})


# --- volunteers --------------------------------------------------------------------------------


def volunteers_managed_by(user):
    return _scoped(
        Volunteer.objects.select_related("resident", "grid__venue", "team"), user, "grid__venue"
    )


def manages_volunteer(user, volunteer):
    return is_hub_admin(user) or volunteer.grid.venue_id in user_venue_ids(user)


def sees_personal_data(user, volunteer):
    """Phone and ID number in full: only the staff of the volunteer's own venue."""
    return volunteer.grid.venue_id in user_venue_ids(user)


def volunteers_visible_to(user):
    """Volunteers the user manages, and other venues' approved volunteers who agreed to be
    shown (names and hours only)."""
    if not is_volunteer_staff(user):
        return Volunteer.objects.none()
    managed = volunteers_managed_by(user).values("pk")
    return Volunteer.objects.select_related("resident", "grid__venue", "team").filter(
        Q(pk__in=managed) | Q(status=VolunteerStatus.APPROVED, showcase_consent=True)
    )


# --- activities, shifts, records ---------------------------------------------------------------


def activities_for(user):
    return _scoped(Activity.objects.select_related("venue", "grid"), user, "venue")


def manages_activity(user, activity):
    return is_hub_admin(user) or activity.venue_id in user_venue_ids(user)


def shifts_for(user):
    return _scoped(Shift.objects.select_related("activity__venue"), user, "activity__venue")


def records_for(user):
    return _scoped(
        ServiceRecord.objects.select_related(
            "signup__volunteer__resident", "signup__shift__activity__venue"
        ),
        user,
        "signup__shift__activity__venue",
    )


def signups_for(user):
    return _scoped(ShiftSignup.objects.all(), user, "shift__activity__venue")


def teams_for(user):
    return _scoped(Team.objects.select_related("venue"), user, "venue")


# --- Wagtail permission policies for the ModelViewSets -----------------------------------------


def _staff_users(venues=None):
    venues = (venues if venues is not None else Venue.objects.all()).order_by()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__in=venues.values("editors_group"))
            | Q(groups__in=venues.values("moderators_group"))
        )
        .distinct()
    )


class VenueScopedPolicy(ModelPermissionPolicy):
    """Staff act on the rows of their venues (`scope`), hub administrators on all."""

    actions = frozenset({"view", "add", "change", "delete"})

    def scope(self, user):
        raise NotImplementedError

    def venue_of(self, instance):
        raise NotImplementedError

    def user_has_permission(self, user, action):
        return action in self.actions and is_volunteer_staff(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if not set(actions) & self.actions:
            return get_user_model().objects.none()
        return _staff_users()

    def user_has_permission_for_instance(self, user, action, instance):
        if action not in self.actions:
            return False
        return is_hub_admin(user) or self.venue_of(instance) in user_venue_ids(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not set(actions) & self.actions or not is_volunteer_staff(user):
            return self.model.objects.none()
        return self.scope(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        if not set(actions) & self.actions:
            return get_user_model().objects.none()
        return _staff_users(Venue.objects.filter(pk=self.venue_of(instance)))


class TeamPolicy(VenueScopedPolicy):
    def scope(self, user):
        return teams_for(user)

    def venue_of(self, instance):
        return instance.venue_id


class ActivityPolicy(VenueScopedPolicy):
    def scope(self, user):
        return activities_for(user)

    def venue_of(self, instance):
        return instance.venue_id


class ShiftPolicy(VenueScopedPolicy):
    def scope(self, user):
        return shifts_for(user)

    def venue_of(self, instance):
        return instance.activity.venue_id


class GridPolicy(VenueScopedPolicy):
    """Every staff member sees every grid; the hub defines them."""

    def scope(self, user):
        return Grid.objects.select_related("venue")

    def venue_of(self, instance):
        return instance.venue_id

    def user_has_permission(self, user, action):
        if action == "view":
            return is_volunteer_staff(user)
        return action in self.actions and is_hub_staff(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def instances_user_has_any_permission_for(self, user, actions):
        if not any(self.user_has_permission(user, action) for action in actions):
            return Grid.objects.none()
        return self.scope(user)

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)
