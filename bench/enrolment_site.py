"""Settings for the gunicorn that bench_enrolment.py starts: the test settings' secret key (the
bench process made the tokens with it), otherwise as in production: DEBUG off, persistent
database connections, tasks queued in the database, plus the baseline view's URL."""

from portal.settings.test import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "enrolment_urls"
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
