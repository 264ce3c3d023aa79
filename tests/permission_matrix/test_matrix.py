"""The permission matrix: every URL pattern the project defines × every role.

A role in a rule's access set must get one of the rule's `ok` statuses; any other role must get
no 2xx. No response to a role tied to one venue may contain another venue's marker
(world.FOREIGN_MARKERS). A URL pattern no rule covers fails test_every_url_is_classified:
classify it in one of the table_*.py modules, with the reason.
"""

import pytest
from django.db import connection

from .requesting import fetch, url_for
from .resolver import all_endpoints, rule_for
from .table_apps import APP_RULES
from .table_network_public import NETWORK_AND_PUBLIC_RULES
from .table_wagtail_admin import WAGTAIL_ADMIN_RULES
from .table_wagtail_pages import WAGTAIL_PAGE_RULES
from .world import FOREIGN_MARKERS, MEDIA_MARKER, ROLE_DESCRIPTIONS, ROLES

RULES = [*WAGTAIL_PAGE_RULES, *WAGTAIL_ADMIN_RULES, *APP_RULES, *NETWORK_AND_PUBLIC_RULES]
# On B's objects only the roles whose answer depends on the venue are asked again: the hub
# administrator, the resident and the anonymous visitor get the same answer as on A's.
ROLES_ON = {"A": ROLES, "B": ("mod", "edA", "edB", "staffA")}
ENDPOINTS = all_endpoints()
CASES = [
    pytest.param(endpoint, rule, id=f"{endpoint.key}|{endpoint.route}")
    for endpoint in ENDPOINTS
    if (rule := rule_for(endpoint, RULES)) is not None and rule.request
]


def test_every_url_is_classified():
    missing = [f"{e.key}  ({e.route}, {e.view})" for e in ENDPOINTS if not rule_for(e, RULES)]
    assert not missing, "URL patterns the permission matrix does not classify:\n" + "\n".join(
        missing
    )


def test_every_rule_classifies_a_url():
    """A rule that is the first match of no URL is stale or shadowed by an earlier one."""
    used = {id(rule_for(endpoint, RULES)) for endpoint in ENDPOINTS}
    unused = [rule.match for rule in RULES if id(rule) not in used]
    assert not unused, f"rules that classify no URL (remove, fix or reorder them): {unused}"


def check_role(role, rule, allowed, status, text, location):
    problems = []
    if role in allowed and status not in rule.ok:
        problems.append(f"expected {rule.ok}, got {status} {location}")
    elif role not in allowed and 200 <= status < 300:
        problems.append(f"got {status} but may not act")
    for marker in FOREIGN_MARKERS.get(role, ()):
        if rule.media_public and marker in MEDIA_MARKER.values():
            continue
        if marker in text:
            problems.append(f"response shows {marker}")
    return problems


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the requests test the views' permission code, which reads the same on both "
    "databases; its ~4,700 admin requests run once, on SQLite, to keep `make test` short",
)
@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "rule"), CASES)
def test_access(world, endpoint, rule):
    problems = []
    for scope in rule.scopes():
        url = url_for(rule, endpoint, world["objects"][scope])
        allowed = rule.allowed(scope)
        for role in ROLES_ON[scope]:
            try:
                status, text, location = fetch(world["sessions"][role], "get", url)
            except Exception as exc:  # a crash is a finding too, reported with the rest
                problems.append(f"{role} on {scope} {url}: raised {exc!r}")
                continue
            for problem in check_role(role, rule, allowed, status, text, location):
                problems.append(f"{role} on {scope} {url}: {problem}")
    legend = "\n".join(f"  {role}: {ROLE_DESCRIPTIONS[role]}" for role in ROLES)
    assert not problems, f"{rule.reason}\n" + "\n".join(problems) + f"\nroles:\n{legend}"
