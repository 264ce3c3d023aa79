"""Settings for the gunicorn that bench_metrics.py starts: production-like (DEBUG off, persistent
connections, the metrics writer thread), the portal's pages behind Django's per-site cache, and
recording switched on and off while the server runs: METRICS_ENABLED is true while the file
named by BENCH_METRICS_SWITCH exists (a stat per request, paid in both rounds)."""

import os

from portal.settings.test import *  # noqa: F403

DEBUG = False
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Django's cache middleware: UpdateCacheMiddleware below metrics (so hits are counted),
# FetchFromCacheMiddleware last.
MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405  metrics.middleware.PageViewMiddleware
    "django.middleware.cache.UpdateCacheMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
    "django.middleware.cache.FetchFromCacheMiddleware",
]
CACHE_MIDDLEWARE_SECONDS = 300
CACHE_MIDDLEWARE_KEY_PREFIX = "bench"


class SwitchFile:
    def __init__(self, path):
        self.path = path

    def __bool__(self):
        return os.path.exists(self.path)


METRICS_ENABLED = SwitchFile(os.environ["BENCH_METRICS_SWITCH"])
METRICS_FLUSH_SECONDS = 1
