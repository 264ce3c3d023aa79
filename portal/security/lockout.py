"""Login lockout with django-axes (thresholds: rules.LOGIN_*).

Axes' backend refuses a locked-out name before any password is checked, its signal handlers
count failures (Django's user_login_failed) and clear them on login (user_logged_in), and its
middleware answers the request that hit the limit with `lockout_response`. Login code outside
Django's login views (the resident login and token API in training.accounts) uses the helpers
here for what Django's signals do not cover.
"""

import math

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import rules


def cool_off_minutes():
    return math.ceil(rules.LOGIN_COOL_OFF.total_seconds() / 60)


def retry_after_seconds():
    return int(rules.LOGIN_COOL_OFF.total_seconds())


def lockout_message():
    return _("登录失败次数过多，账号已被暂时锁定，请 %(minutes)s 分钟后再试。") % {
        "minutes": cool_off_minutes()
    }


def is_locked_out(request):
    """Whether the authentication just attempted in this request was refused or hit the limit."""
    return bool(getattr(request, "axes_locked_out", False))


def note_failure(request, username):
    """Count a failure Django's authenticate() did not see as one (the password was right but
    the account may not log in here), as Django itself signals failures."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def clear_failures(username):
    """After a successful login without django.contrib.auth.login() (a bearer token) or a
    password reset."""
    if settings.AXES_ENABLED:
        AxesProxyHandler.reset_attempts(username=username)


def mark_answered(request):
    """The view answers the lockout itself (the resident login form, the token API): the
    middleware leaves its response alone."""
    request.lockout_answered = True


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a Chinese 429 (JSON for the API, a page otherwise)."""
    if getattr(request, "lockout_answered", False) and original_response is not None:
        return original_response
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        response = render(
            request,
            "security/locked_out.html",
            {"message": lockout_message()},
            status=429,
        )
    response["Retry-After"] = str(retry_after_seconds())
    return response
