"""deploy/gunicorn.conf.py: gunicorn accepts it, with the app loaded and values from the environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_gunicorn_accepts_the_config_and_reads_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        GUNICORN_BIND="127.0.0.1:8123",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="6",
        GUNICORN_TIMEOUT="45",
    )
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    config = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )
    assert config["bind"] == "['127.0.0.1:8123']"
    assert config["workers"] == "3"
    assert config["threads"] == "6"
    assert config["timeout"] == "45"
    assert config["worker_class"] == "gthread"
    assert config["wsgi_app"] == "portal.wsgi:application"
