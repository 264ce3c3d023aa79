"""The daily run schedules itself: when it runs, which days it catches up on, that a waiting
run is not queued twice, and the per-object monthly counts it leaves for the top lists."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from metrics import rules, tasks
from metrics.models import AggregatedDay, Event, MonthlyObjectMetric

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def local(*args):
    return timezone.make_aware(datetime(*args))


def test_next_run_is_the_next_half_past_midnight():
    assert rules.DAILY_AGGREGATION_AT.isoformat() == "00:30:00"
    assert tasks.next_run_at(local(2026, 3, 9, 0, 10)) == local(2026, 3, 9, 0, 30)
    assert tasks.next_run_at(local(2026, 3, 9, 0, 30)) == local(2026, 3, 10, 0, 30)
    assert tasks.next_run_at(local(2026, 3, 31, 23, 0)) == local(2026, 4, 1, 0, 30)


def test_days_due_catch_up_after_a_stopped_worker():
    assert tasks.days_due(date(2026, 3, 10)) == [date(2026, 3, 9)]  # nothing done yet
    AggregatedDay.objects.create(date=date(2026, 3, 6), aggregated_at=timezone.now())
    assert tasks.days_due(date(2026, 3, 10)) == [
        date(2026, 3, 7),
        date(2026, 3, 8),
        date(2026, 3, 9),
    ]
    AggregatedDay.objects.create(date=date(2026, 3, 9), aggregated_at=timezone.now())
    assert tasks.days_due(date(2026, 3, 10)) == [date(2026, 3, 9)]  # yesterday again


def test_the_run_aggregates_objects_per_month(network):
    pukou = network["pukou"]
    for when, event_type, key, value in [
        (local(2026, 3, 8, 10), "asset_play", "asset:7", None),
        (local(2026, 3, 9, 11), "asset_play", "asset:7", None),
        (local(2026, 3, 9, 12), "rating", "course:3", Decimal(4)),
        (local(2026, 3, 9, 13), "rating", "course:3", Decimal(5)),
        (local(2026, 3, 9, 14), "page_view", "page:1", None),  # not ranked per object
    ]:
        Event.objects.create(
            at=when, event_type=event_type, venue=pukou, object_key=key, value=value
        )
    AggregatedDay.objects.create(date=date(2026, 3, 7), aggregated_at=timezone.now())
    result = tasks.run_daily(today=date(2026, 3, 10))
    assert result["counted"] == {"2026-03-08": 1, "2026-03-09": 4}
    assert sorted(
        MonthlyObjectMetric.objects.values_list(
            "month", "event_type", "object_key", "count", "total"
        )
    ) == [
        (date(2026, 3, 1), "asset_play", "asset:7", 2, Decimal(0)),
        (date(2026, 3, 1), "rating", "course:3", 2, Decimal(9)),
    ]


def test_schedule_queues_one_waiting_run(settings):
    settings.TASKS = DB_TASKS
    out = StringIO()
    call_command("aggregate_metrics", "--schedule", stdout=out)
    call_command("aggregate_metrics", "--schedule", stdout=out)
    waiting = DBTaskResult.objects.get(task_path="metrics.tasks.daily_aggregation")
    assert waiting.status == "READY"
    assert waiting.run_after == tasks.next_run_at()
    assert "已安排每日汇总" in out.getvalue() and "已在后台任务队列中等待执行" in out.getvalue()


def test_the_task_queues_its_next_run_even_when_it_fails(settings, monkeypatch):
    settings.TASKS = DB_TASKS

    def broken(today=None):
        raise RuntimeError("数据库不可用")

    monkeypatch.setattr(tasks, "run_daily", broken)
    with pytest.raises(RuntimeError):
        tasks.daily_aggregation.call()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
