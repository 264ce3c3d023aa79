"""Two-factor login for the admin (TOTP through django-otp).

Every admin user may add an authenticator app (the "两步验证" page in their account menu); a user
with one confirms a code after each password login before any other page. Hub administrators
must have one when settings.ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS is on (production): until then
every request takes them to the setup page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from resources.permissions import is_hub_admin

# Pages a user who still owes a code may open: the 2FA pages, logging out, the admin's
# translations (its base template loads them).
EXEMPT_URL_NAMES = (
    "security_2fa:setup",
    "security_2fa:verify",
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_javascript_catalog",
)


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_required(user):
    return bool(settings.ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS and is_hub_admin(user))


def pending_step(request):
    """What the logged-in user must do before anything else: "verify", "setup" or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if confirmed_device(user) is not None:
        return "verify"
    if two_factor_required(user):
        return "setup"
    return None


class AdminTwoFactorMiddleware:
    """After django_otp.middleware.OTPMiddleware (it sets request.user.is_verified)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths = None

    def exempt_paths(self):
        if self._exempt_paths is None:
            self._exempt_paths = {reverse(name) for name in EXEMPT_URL_NAMES}
        return self._exempt_paths

    def __call__(self, request):
        if request.path_info not in self.exempt_paths() and not request.path_info.startswith(
            settings.STATIC_URL
        ):
            step = pending_step(request)
            if step is not None:
                return self.refuse(request, step)
        return self.get_response(request)

    def refuse(self, request, step):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": _("请先完成两步验证。")}, status=403)
        url = reverse(f"security_2fa:{step}")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
