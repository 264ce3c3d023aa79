"""Tasks whose worker died (killed, out of memory, machine lost): django-tasks-db claims a task by
marking its result RUNNING and has no way back from there, so such a task would never run again.
`manage.py requeue_abandoned_tasks` puts it back to READY for the next worker (docs/operations.md,
"Faults").

How a dead worker is told from a busy one, on PostgreSQL: while a worker runs a task it holds a
session-level advisory lock keyed on the task's id (taken on task_started, released on
task_finished). PostgreSQL releases a session's locks when its connection ends, which a dead
worker's does, so a RUNNING task whose lock can be taken has no worker left. Safe with any number
of workers on any number of machines. Elsewhere (SQLite: one machine, development) there is no
such lock, and every task RUNNING since before the cutoff is requeued: run it with no worker up.
"""

import logging
import uuid
from datetime import timedelta

from django.db import connections, router
from django.utils import timezone
from django_tasks.signals import task_finished, task_started
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Between claiming a task and taking its lock a worker holds none; a task younger than this is
# never taken as abandoned.
GRACE = timedelta(seconds=30)


def lock_key(task_id):
    """The advisory lock's 64-bit key: the first half of the task's UUID."""
    return int.from_bytes(uuid.UUID(str(task_id)).bytes[:8], "big", signed=True)


def _connection():
    return connections[router.db_for_write(DBTaskResult)]


def _locks_apply(sender):
    # The worker sends its backend instance, the backends themselves their class.
    backend_class = sender if isinstance(sender, type) else type(sender)
    return issubclass(backend_class, DatabaseBackend) and _connection().vendor == "postgresql"


def _hold_lock(sender, task_result, **kwargs):
    if not _locks_apply(sender):
        return
    with _connection().cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [lock_key(task_result.id)])


def _release_lock(sender, task_result, **kwargs):
    if not _locks_apply(sender):
        return
    try:
        with _connection().cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_key(task_result.id)])
    except Exception:  # a lost connection has released it already
        logger.warning("task %s: could not release its lock", task_result.id, exc_info=True)


def connect_signals():
    task_started.connect(_hold_lock, dispatch_uid="media_pipeline_task_lock")
    task_finished.connect(_release_lock, dispatch_uid="media_pipeline_task_unlock")


def _no_worker_holds(cursor, task_id):
    """Take and drop the task's lock at once; True if it was free."""
    key = lock_key(task_id)
    cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
    if not cursor.fetchone()[0]:
        return False
    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    return True


def requeue_abandoned(older_than=GRACE):
    """Put tasks RUNNING since before now - `older_than` whose worker is gone back to READY
    (see the module's docstring). Returns their ids."""
    candidates = DBTaskResult.objects.running().filter(started_at__lt=timezone.now() - older_than)
    connection = _connection()
    requeued = []
    with connection.cursor() as cursor:
        for task_id in candidates.values_list("pk", flat=True):
            if connection.vendor == "postgresql" and not _no_worker_holds(cursor, task_id):
                continue
            still_running = DBTaskResult.objects.running().filter(pk=task_id)
            if still_running.update(status=TaskResultStatus.READY):
                logger.warning("task %s: its worker stopped; queued again", task_id)
                requeued.append(task_id)
    return requeued
