"""Production: everything from the environment; refuses to start without a SECRET_KEY."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("生产环境必须设置环境变量 SECRET_KEY。")
# The defaults in base.py are public: production brings its own personal-data keys.
for _name in ("PERSONAL_DATA_ENCRYPTION_KEYS", "PERSONAL_DATA_HASH_KEY"):
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(f"生产环境必须设置环境变量 {_name}（个人信息加密密钥）。")

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe app servers over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail overrides it to SAMEORIGIN on its preview views
# Hub administrators log in to the admin with a second factor (docs/security.md).
ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS = env_bool("ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS", True)
# Served behind one reverse proxy (SECURE_PROXY_SSL_HEADER above): django-axes logs the address
# that proxy saw.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1")) or None
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
