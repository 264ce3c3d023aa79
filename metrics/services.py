"""record(): the one way to count a usage event. Cheap enough for any request (see buffer.py).

from metrics.services import record
record("search", request=request, detail=query, value=result_count)
record("loan", venue=loan.lender_id, object_key=loan.resource_key, on_commit=True)
"""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .buffer import buffer
from .events import EVENT_TYPES
from .rules import is_bot


def record(
    event_type,
    *,
    request=None,
    venue=None,
    visitor="",
    object_key="",
    detail="",
    value=None,
    at=None,
    on_commit=False,
):
    """Buffer one event; False when not recorded (metrics off, or a bot's request).

    venue: a Venue or its pk. request: bots are skipped, and the visitor is the request's
    anonymous session unless given. on_commit: for events that are database facts (a loan
    lent, an order delivered), so a rolled-back transaction records nothing.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown usage event type {event_type!r} (see metrics/events.py)")
    if not settings.METRICS_ENABLED:
        return False
    if request is not None:
        if is_bot(request.META.get("HTTP_USER_AGENT", "")):
            return False
        if not visitor:
            from resources.serving import anonymous_session

            visitor = anonymous_session(request)
    fields = {
        "at": at or timezone.now(),
        "event_type": event_type,
        "venue_id": getattr(venue, "pk", venue),
        "visitor": visitor[:64],
        "object_key": object_key[:64],
        "detail": (detail or "")[:200],
        "value": value,
    }
    if on_commit:
        transaction.on_commit(partial(buffer.add, fields))
    else:
        buffer.add(fields)
    return True
