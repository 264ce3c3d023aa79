"""The daily purge of personal data past its retention period (portal.retention), as a
django-tasks task that schedules its own next run, like the metrics' daily run: started by
`manage.py purge_personal_data --schedule` (idempotent; `make run` and a deployment call it),
kept waiting in the database queue by `run_after` until PURGE_AT."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import task

from portal.scheduling import enqueue_unless_waiting

from .retention import purge

# Local time of the daily run: after the metrics' run (00:30), before the venues open.
PURGE_AT = time(3, 0)


def next_run_at(now=None):
    """The next PURGE_AT, local time, strictly after `now`."""
    now = timezone.localtime(now or timezone.now())
    run = timezone.make_aware(datetime.combine(now.date(), PURGE_AT))
    return run if run > now else run + timedelta(days=1)


@task()
def daily_purge():
    try:
        return purge(timezone.now())
    finally:
        ensure_scheduled()  # a failed run is retried tomorrow, with the chain intact


def ensure_scheduled(now=None):
    """Enqueue the next daily run unless one is already waiting (portal.scheduling)."""
    return enqueue_unless_waiting(daily_purge, next_run_at(now))
