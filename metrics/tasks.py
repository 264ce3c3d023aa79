"""The daily run, as a django-tasks task: enqueue it once a day (cron, systemd timer) with
`manage.py aggregate_metrics --enqueue`, or run the commands themselves."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .aggregate import aggregate_day, prune_raw_events


@task()
def aggregate_yesterday():
    """Yesterday's aggregates (and its month's), then the retention of raw events."""
    day = timezone.localdate() - timedelta(days=1)
    counted = aggregate_day(day)
    summarised, deleted = prune_raw_events()
    return {
        "day": day.isoformat(),
        "counted": counted,
        "summarised": summarised,
        "deleted": deleted,
    }
