"""Daily tasks that schedule their own next run (metrics' aggregation, the personal-data
purge): the database queue's `run_after` keeps the next run waiting until its time."""


def enqueue_unless_waiting(daily_task, run_after):
    """Enqueue `daily_task` for `run_after` unless a run of it is waiting already. Returns the
    TaskResult, or None when one waits already or the backend cannot defer tasks (the tests'
    immediate one)."""
    if not daily_task.get_backend().supports_defer:
        return None
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=daily_task.module_path, status="READY")
    if waiting.exists():
        return None
    return daily_task.using(run_after=run_after).enqueue()
