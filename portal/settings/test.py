"""Test settings: the backends are switched by the environment (DATABASE_URL, MEDIA_STORAGE)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # nosec B105: test settings only
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Tasks run inline so tests see their effects at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# A test database per run, so parallel runs never collide. SQLite's is a file, not Django's
# in-memory default: with an in-memory database the live server's threads all share the test's
# one connection, and concurrent requests (an upload's parallel parts) then break each other's
# statements ("cannot open savepoint - SQL statements in progress"). With a file every thread
# has its own connection and queues for the write lock, as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"test_culturehall_{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_culturehall_{os.getpid()}"}  # noqa: F405

# Media written by tests goes to a folder of this run's own (the SQLite and PostgreSQL runs of
# `make test` go side by side); subprocesses the tests start (a worker, gunicorn) inherit it.
os.environ.setdefault(
    "CULTUREHALL_TEST_MEDIA",
    os.path.join(tempfile.gettempdir(), f"culturehall-test-{os.getpid()}", "media"),
)
MEDIA_ROOT = Path(os.environ["CULTUREHALL_TEST_MEDIA"])

LOGGING["root"]["level"] = "WARNING"  # noqa: F405  (task and page-action logs drown test output)
# Test databases roll back, so index versions repeat between tests: cached results would leak.
SEARCH_RESULT_CACHE_SECONDS = 0
# Likewise cached pages (tests/portal/test_page_cache.py switches them on).
PAGE_CACHE_SECONDS = 0
PAGE_FRAGMENT_CACHE_SECONDS = 0
# Login lockout off: Django's test client logs in without a request, which django-axes refuses
# (tests/portal/test_security_login.py and the login tests switch it on).
AXES_ENABLED = False
# Usage events would outlive the test that recorded them (a process-wide buffer): recording is
# switched on only by the tests that check it (tests/metrics), with no writer thread.
METRICS_ENABLED = False
METRICS_FLUSH_SECONDS = 0
