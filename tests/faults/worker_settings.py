"""Settings of a real `manage.py db_worker` started by the fault tests: the test settings with
the database task backend (the tests run tasks inline otherwise)."""

from portal.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
