"""Every URL pattern the project serves, found by walking Django's resolver (Wagtail's admin,
its API and every app's urls included), and the classification rule that covers each."""

import re
from dataclasses import dataclass

from django.urls import URLResolver, get_resolver


@dataclass(frozen=True)
class Endpoint:
    route: str  # the full route, as the patterns spell it
    name: str  # "namespace:name", or "" for an unnamed pattern
    view: str  # the view's dotted path (a django-ninja path's operation is its name)

    @property
    def key(self):
        """What the classification matches on: the name, or the route when there is none."""
        return self.name or self.route


def _view_path(callback):
    inner = getattr(callback, "view_class", None) or getattr(callback, "func", None) or callback
    return f"{inner.__module__}.{getattr(inner, '__qualname__', type(inner).__name__)}"


def _walk(patterns, prefix, namespace):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Endpoint(prefix + str(pattern.pattern), name, _view_path(pattern.callback))


def all_endpoints():
    """Every pattern once (django-ninja lists a path once per method: same name, same route)."""
    return list(dict.fromkeys(_walk(get_resolver().url_patterns, "", None)))


def rule_for(endpoint, rules):
    """The first rule whose pattern matches the endpoint's key in full, or None."""
    for rule in rules:
        if re.fullmatch(rule.match, endpoint.key):
            return rule
    return None
