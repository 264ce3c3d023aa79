"""The vocabulary of the classification tables: a Rule, and who may act, as role sets.

A rule's `access` is either a set of roles (a URL with no venue object in it) or
{"A": roles, "B": roles}: who may act on venue A's object and who on venue B's. A role in the
set must get one of the rule's `ok` statuses; every other role must get no 2xx at all.
"""

from dataclasses import dataclass, field

# Wagtail sends an allowed user on after some GETs (the explorer to the user's own pages, a
# login form to the admin): a redirect is what "may act" looks like there.
REDIRECT_OK = (200, 302)

HUB = frozenset({"hub"})
STAFF = frozenset({"hub", "mod", "edA", "edB", "staffA"})  # every venue group has admin access
EVERYONE = STAFF | {"resident", "anon"}
SIGNED_IN = EVERYONE - {"anon"}
RESIDENT = frozenset({"resident"})
NOBODY = frozenset()


def scoped(a, b):
    return {"A": frozenset(a), "B": frozenset(b)}


# Pages and collections: a venue's groups hold their rights on the venue's page and collection,
# and Wagtail applies them to the subtree, so 醴陵's moderator also works on 浦口 (A) but on no
# venue under 攸县 (B).
SUBTREE = scoped({"hub", "mod", "edA", "staffA"}, {"hub", "edB"})
# Catalogue entries, offerings, residents, volunteers: their venue's own staff and the hub;
# a main centre's staff do not manage its branches' entries (resources/permissions.py).
OWN_VENUE = scoped({"hub", "edA", "staffA"}, {"hub", "edB"})
# Figures (dashboards, evaluation): the venue's staff, its main centre's, and the hub
# (network.services.overseen_venue_ids).
OVERSEEN = SUBTREE
# Publishing, privacy, unscheduling: the governing moderators (醴陵's for A; 攸县's for B, and
# none of our roles is one) and the hub.
PUBLISHERS = scoped({"hub", "mod"}, HUB)
HUB_ONLY = scoped(HUB, HUB)
PUBLIC = scoped(EVERYONE, EVERYONE)
NOBODY_SCOPED = scoped(NOBODY, NOBODY)


@dataclass(frozen=True)
class Rule:
    match: str  # a regular expression over the endpoint's name (or route when unnamed)
    access: object  # a role set, or {"A": roles, "B": roles}
    reason: str
    obj: str | None = None  # the world object <pk> stands for
    kwargs: dict = field(default_factory=dict)  # other kwargs: constants or f(objects)
    path: object = None  # f(objects) -> path, for patterns reverse() cannot build
    query: str = ""
    ok: tuple = (200,)  # what an allowed role gets (a GET that redirects on success: 302)
    request: bool = True  # False: classified, but not requested (the reason says why)
    media_public: bool = False  # image/document titles are public here (world.MEDIA_MARKER)

    def scopes(self):
        return ("A", "B") if isinstance(self.access, dict) else ("A",)

    def allowed(self, scope):
        return self.access[scope] if isinstance(self.access, dict) else self.access
