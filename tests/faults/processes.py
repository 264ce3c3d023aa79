"""Starting real processes (a task worker, a web server) against the test database."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def python():
    return sys.executable


def database_url():
    """The test database as a DATABASE_URL."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start(command, *, settings_module="tests.faults.worker_settings", env=None, log=None):
    """`command` (a list; "manage.py" is this checkout's) in a new process on the test database,
    its output to the file object `log`."""
    if command[0] == "manage.py":
        command = [sys.executable, str(ROOT / "manage.py"), *command[1:]]
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    return subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
