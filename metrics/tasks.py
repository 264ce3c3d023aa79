"""The daily run, as a django-tasks task that schedules its own next run.

`daily_aggregation` aggregates every day not yet aggregated up to yesterday (so a worker that
was down over a weekend catches up), prunes old raw events, then enqueues itself for
rules.DAILY_AGGREGATION_AT tomorrow. The chain is started by `manage.py aggregate_metrics
--schedule` (idempotent; `make run` calls it before starting the worker, a deployment after
migrating). The database backend's `run_after` keeps the task waiting in the queue until then.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from portal.scheduling import enqueue_unless_waiting

from . import rules
from .aggregate import aggregate_day, aggregated_through, prune_cutoff, prune_raw_events

# A worker down longer than this catches up on this many days only (older days can still be
# aggregated by hand with `aggregate_metrics --from … --to …`).
CATCH_UP_DAYS = 31


def next_run_at(now=None):
    """The next DAILY_AGGREGATION_AT, local time, strictly after `now`."""
    now = timezone.localtime(now or timezone.now())
    run = timezone.make_aware(datetime.combine(now.date(), rules.DAILY_AGGREGATION_AT))
    return run if run > now else run + timedelta(days=1)


def days_due(today=None):
    """Days from the one after the last aggregated day up to yesterday (at least yesterday)."""
    today = today or timezone.localdate()
    yesterday = today - timedelta(days=1)
    done = aggregated_through()
    first = yesterday if done is None else done + timedelta(days=1)
    first = max(first, yesterday - timedelta(days=CATCH_UP_DAYS - 1), prune_cutoff(today))
    return [first + timedelta(days=n) for n in range((yesterday - first).days + 1)] or [yesterday]


def run_daily(today=None):
    """What the task does: aggregate the days due, then prune; returns a summary."""
    days = days_due(today)
    counted = {day.isoformat(): aggregate_day(day, today=today) for day in days}
    summarised, deleted = prune_raw_events(today)
    return {"counted": counted, "summarised": summarised, "deleted": deleted}


@task()
def daily_aggregation():
    try:
        return run_daily()
    finally:
        ensure_scheduled()  # a failed day is retried tomorrow, with the chain intact


def ensure_scheduled(now=None):
    """Enqueue the next daily run unless one is already waiting (portal.scheduling)."""
    return enqueue_unless_waiting(daily_aggregation, next_run_at(now))
