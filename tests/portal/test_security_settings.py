"""Production settings pass `check --deploy` at warning level and switch on what docs/security.md
promises (HSTS, SSL redirect behind a proxy, secure cookies, CSP, lockout, 2FA for hub admins)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "culture.example.cn",
    # Personal-data keys production requires (docs/privacy.md); any valid Fernet key will do.
    "PERSONAL_DATA_ENCRYPTION_KEYS": "6w6RGJDwSmpks2aYUmndpXHGeM2gl949v_mj0xG_nsc=",
    "PERSONAL_DATA_HASH_KEY": secrets.token_urlsafe(32),
}
SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_AGE", "MIDDLEWARE",
    "AXES_ENABLED", "AXES_FAILURE_LIMIT", "ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS",
]} | {"CSP": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]}, default=str))
"""


def run_production(*args, without=()):
    """manage.py under the production settings, with PRODUCTION_ENV less the names `without`."""
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    environment.update({k: v for k, v in PRODUCTION_ENV.items() if k not in without})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_at_warning_level():
    result = run_production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_switches_on_the_hardening():
    result = run_production("shell", "-c", SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert values["AXES_ENABLED"] is True and values["AXES_FAILURE_LIMIT"] == 5
    assert values["ADMIN_2FA_REQUIRED_FOR_HUB_ADMINS"] is True
    assert "portal.security.csp.AdminAwareCSPMiddleware" in values["MIDDLEWARE"]
    assert "'unsafe-inline'" not in values["CSP"]


def test_production_refuses_to_start_without_secret_key():
    result = run_production("check", without=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
