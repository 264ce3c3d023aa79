"""Turning a classified endpoint into concrete URLs (its kwargs filled with A's or B's objects)
and requesting them as each role, each request rolled back so no role sees another's effects."""

import json

from django.conf import settings
from django.db import transaction
from django.test import Client, RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse

# Kwargs that always mean the same object of the venue in scope (see world.build_world). A
# rule's `obj` says which object "pk" stands for; `kwargs` in the rule overrides anything here.
KWARG_OBJECTS = {
    "page_id": "page",
    "parent_page_id": "page",
    "page_to_move_id": "page",
    "page_pk": "page",
    "image_id": "image",
    "document_id": "document",
    "doc_id": "document",
    "collection_id": "collection",
    "revision_id": "revision",
    "revision_id_a": "revision",
    "workflow_state_id": "workflow_state",
    "task_state_id": "task_state",
    "task_id": "task",
    "enrolment_pk": "enrolment",
    "session_pk": "session",
}


def kwargs_for(rule, endpoint, objects):
    """The URL kwargs of `endpoint` for the objects of one venue."""
    names = [part.split(":")[-1] for part in _placeholders(endpoint.route)]
    kwargs = {}
    for name in names:
        if name in rule.kwargs:
            value = rule.kwargs[name]
            kwargs[name] = value(objects) if callable(value) else value
        elif name == "pk" and rule.obj:
            kwargs[name] = objects[rule.obj].pk
        elif name in KWARG_OBJECTS:
            kwargs[name] = objects[KWARG_OBJECTS[name]].pk
        else:
            raise LookupError(f"{endpoint.key}: no value for <{name}>; give it in the rule")
    return kwargs


def _placeholders(route):
    import re

    return re.findall(r"<([^>]+)>", route) + re.findall(r"\(\?P<([^>]+)>", route)


def url_for(rule, endpoint, objects):
    if rule.path:
        return rule.path(objects) + rule.query
    kwargs = kwargs_for(rule, endpoint, objects)
    return reverse(endpoint.name, kwargs=kwargs) + rule.query


def session_cookie(user):
    """A logged-in session for `user`, made once: each request carries it as a cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# The test Client copies the context of every template rendered (for assertTemplateUsed); the
# Wagtail admin renders hundreds per page, so the matrix calls Django's handler directly.
_handler = ClientHandler(enforce_csrf_checks=True)
_requests = RequestFactory()


def fetch(session_key, method, url):
    """(status, body text, Location) of one request; every write it made is rolled back."""
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_key}" if session_key else ""
    request = getattr(_requests, method)(url, HTTP_COOKIE=cookie)
    with transaction.atomic():
        response = _handler(request.environ)
        text = body_text(response)
        transaction.set_rollback(True)
    return response.status_code, text, response.get("Location", "")


def body_text(response):
    """The body as text; JSON re-encoded so that Chinese and markers are not \\u-escaped."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    return content.decode("utf-8", errors="replace")
