"""Local development and `make run`: one laptop, embedded defaults."""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") != "0"
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
