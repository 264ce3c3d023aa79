"""Authentication of the residents' API: a bearer token (apps, the WeChat mini-program) or the
web session.

    @router.get("/me/enrolments", auth=resident_auth)
    def my_enrolments(request):
        resident = require_resident(request)

Order matters: a request that presents a bearer token is judged by the token alone (a bad token
is a 401 even with a valid session cookie, because BearerTokenAuth resets request.user); without
one, the session decides. The last entry only turns "nobody" into a Chinese 401.

CSRF: ninja's django_auth checks CSRF on every unsafe request, before it even looks for a
session, so an app that sends no cookies and no token would get "403 CSRF check Failed" instead
of 401. SessionAuthWithCsrf checks it only when a session cookie is presented (that is the only
case where a forged cross-site request could ride on the browser's credentials) and says so in
Chinese. Web pages send the token in the X-CSRFToken header as Django documents; bearer-token
requests need none (a token is never sent by the browser on its own).
"""

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import SessionAuth
from ninja.utils import check_csrf
from wagtail.api.v3.auth import BearerTokenAuth
from wagtail.models import APIToken

from .accounts import resident_of, token_expires


class BearerTokenAuthWithExpiry(BearerTokenAuth):
    """Wagtail's bearer token, refused once rules.TOKEN_LIFETIME has passed since it was issued
    (Wagtail's tokens themselves never expire, only get revoked). The token, its user and the
    user's Resident come in one query: every resident endpoint asks for the Resident next."""

    def authenticate(self, request, token):
        request.user = AnonymousUser()
        if not APIToken.validate_token_format(token):  # a typo or junk: no database lookup
            return None
        api_token = (
            APIToken.objects.select_related("user__resident")
            .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        if token_expires(api_token) <= timezone.now():
            return None
        request.user = api_token.user
        self._touch_last_used(api_token)  # at most once per WAGTAILAPI_TOKEN_LAST_USED_INTERVAL
        return api_token


class SessionAuthWithCsrf(SessionAuth):
    """ninja's django_auth with CSRF checked only for requests that carry a session cookie."""

    def _get_key(self, request):
        key = request.COOKIES.get(self.param_name)
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if key and self.csrf and not exempt and check_csrf(request):
            raise HttpError(403, _("页面已过期或来源不明（CSRF 校验失败），请刷新页面后重试。"))
        return key


def login_required(request):
    """Last in an auth list: nothing before it authenticated the request."""
    raise AuthenticationError(message=_("请先登录。"))


bearer_auth = [BearerTokenAuthWithExpiry(), login_required]
resident_auth = [BearerTokenAuthWithExpiry(), SessionAuthWithCsrf(), login_required]


def require_resident(request):
    """The Resident of an authenticated request, or 403 for a staff account without one."""
    resident = resident_of(request.user)
    if resident is None:
        raise HttpError(403, _("该账号不是居民账号。"))
    return resident
