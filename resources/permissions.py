"""Who may do what with the shared catalogue (共建共享) in the Wagtail admin.

Wagtail's snippet permissions are model-wide; the catalogue's rule is per owner venue:

* superusers (hub administrators) may do everything;
* a member of any venue's 编辑 or 审核 group may list, inspect and choose every entry visible
  to them (CatalogueQuerySet.visible_to: public and staff-only entries of every venue, and
  owner-only entries of their own venues), and add, change or delete only entries owned by one
  of their venues;
* nobody else has any right here, whatever Django permissions they hold.

Venue membership itself stands in for the Django model permissions: venue provisioning would
otherwise have to grant view/add/change/delete on six models to every venue's two groups (and
keep them in step when models are added), and a model permission given by hand to a venue group
would silently become a city-wide right. Keeping the rule in one policy keeps it in one place.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from network.models import Venue

from .vocab import Visibility

READ_ACTIONS = frozenset({"view", "choose"})
# Actions the catalogue admin knows. Anything else (publish, lock, …) is for superusers only.
KNOWN_ACTIONS = READ_ACTIONS | {"add", "change", "delete"}

_CACHE_ATTR = "_catalogue_venue_ids"


def user_venue_ids(user):
    """The ids of the venues whose editor or moderator group `user` is in (cached on the user)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from network.services import venues_for_user

        cached = frozenset(venues_for_user(user).values_list("pk", flat=True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def is_hub_admin(user):
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def _in_groups_of(venues):
    venues = venues.order_by()
    return Q(groups__in=venues.values("editors_group")) | Q(
        groups__in=venues.values("moderators_group")
    )


class CataloguePermissionPolicy(ModelPermissionPolicy):
    """The ownership rule above, for one catalogue model (a CatalogueEntry subclass)."""

    # --- model-wide: "may this user do `action` on some entries?" ---------------------------

    def user_has_permission(self, user, action):
        if is_hub_admin(user):
            return True
        return action in KNOWN_ACTIONS and bool(user_venue_ids(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not set(actions) & KNOWN_ACTIONS:
            return users.filter(is_superuser=True)
        return users.filter(Q(is_superuser=True) | _in_groups_of(Venue.objects.all())).distinct()

    # --- per entry -----------------------------------------------------------------------

    def user_has_permission_for_instance(self, user, action, instance):
        if is_hub_admin(user):
            return True
        venues = user_venue_ids(user)
        if not venues or action not in KNOWN_ACTIONS:
            return False
        if instance.owner_id in venues:
            return True
        return action in READ_ACTIONS and instance.visibility != Visibility.OWNER

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if is_hub_admin(user):
            return manager.all()
        venues = user_venue_ids(user)
        actions = set(actions) & KNOWN_ACTIONS
        if not venues or not actions:
            return manager.none()
        if actions & READ_ACTIONS:
            return manager.visible_to(user)
        return manager.filter(owner__in=venues)

    def users_with_any_permission_for_instance(self, actions, instance):
        users = get_user_model().objects.filter(is_active=True)
        actions = set(actions) & KNOWN_ACTIONS
        if not actions:
            return users.filter(is_superuser=True)
        if actions & READ_ACTIONS and instance.visibility != Visibility.OWNER:
            return self.users_with_any_permission(actions)
        owner = Venue.objects.filter(pk=instance.owner_id)
        return users.filter(Q(is_superuser=True) | _in_groups_of(owner)).distinct()


def entry_access(user, instance, action):
    """'ok', 'forbidden' (visible but not the user's to act on) or 'hidden' (not even its
    existence may be revealed). Views turn these into 200 / 403 / 404."""
    policy = policy_registry.get_by_type(type(instance))
    if not policy.user_has_permission_for_instance(user, "view", instance):
        return "hidden"
    if not policy.user_has_permission_for_instance(user, action, instance):
        return "forbidden"
    return "ok"
