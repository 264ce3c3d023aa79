"""A task worker killed mid-task: the task is run again by the next worker, and its effect happens
once. Real `manage.py db_worker` processes on the test PostgreSQL database, SIGKILLed."""

import signal
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from media_pipeline.task_recovery import requeue_abandoned

from . import processes
from .worker_settings import TASKS as DATABASE_TASKS
from .worker_tasks import slow_note

TASK_SECONDS = 2


def _wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _notes(path):
    return path.read_text().split("\n")[:-1] if path.exists() else []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_whose_worker_was_killed_runs_again_once(postgres_only, tmp_path):
    notes = tmp_path / "notes.txt"
    with override_settings(TASKS=DATABASE_TASKS):
        result = slow_note.enqueue(str(notes), TASK_SECONDS)
    log = open(tmp_path / "workers.log", "w")  # noqa: SIM115 - shared by both workers
    first = processes.start(["manage.py", "db_worker", "--interval", "0.1"], log=log)
    try:
        _wait_for(lambda: _notes(notes), 30, "the first worker to start the task")
        # A busy worker's task is never taken from it, however old it is.
        assert requeue_abandoned(older_than=timedelta(0)) == []
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        first.kill()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.RUNNING  # what django-tasks-db leaves behind

    # The killed worker's connection (and with it its lock) goes within moments.
    _wait_for(lambda: requeue_abandoned(older_than=timedelta(0)) == [row.pk], 10, "the lock to go")
    second = processes.start(["manage.py", "db_worker", "--batch", "--interval", "0.1"], log=log)
    try:
        assert second.wait(60) == 0
    finally:
        second.kill()
        log.close()

    starts = [line.split()[1] for line in _notes(notes) if line.startswith("start")]
    done = [line.split()[1] for line in _notes(notes) if line.startswith("done")]
    assert starts == [str(first.pid), str(second.pid)]
    assert done == [str(second.pid)]  # the effect, once, by the second worker
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert len(row.worker_ids) == 2
    assert row.return_value == second.pid


@pytest.mark.django_db
def test_the_command_requeues_only_tasks_older_than_its_grace():
    """No worker holds a lock here (on SQLite there are none): only the age decides."""
    with override_settings(TASKS=DATABASE_TASKS):
        result = slow_note.enqueue("/dev/null", 0)
    # Claimed by a worker that has not taken the lock yet, or has died since: no lock held.
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now()
    )
    call_command("requeue_abandoned_tasks")  # within the default grace: kept running
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING
    call_command("requeue_abandoned_tasks", "--older-than", "0")
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
