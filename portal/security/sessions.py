"""The idle session timeout (rules.SESSION_IDLE_TIMEOUT).

SESSION_COOKIE_AGE is the idle timeout, so a session ends by Django's own expiry (the cookie's
and the stored session's) once it has not been saved for that long. This middleware saves the
logged-in sessions that are in use, at most once per rules.SESSION_ACTIVITY_RESOLUTION, which
moves the expiry on: like SESSION_SAVE_EVERY_REQUEST, without a database write per request.
"""

import time

from django.contrib.auth import SESSION_KEY

from . import rules

LAST_ACTIVITY_KEY = "_last_activity"


class IdleSessionMiddleware:
    """After SessionMiddleware (it needs request.session)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.resolution = rules.SESSION_ACTIVITY_RESOLUTION.total_seconds()

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:  # a login: anonymous visitors get no session from this
            now = int(time.time())
            if now - session.get(LAST_ACTIVITY_KEY, 0) >= self.resolution:
                session[LAST_ACTIVITY_KEY] = now  # marks it modified: saved with a new expiry
        return self.get_response(request)
