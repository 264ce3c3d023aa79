"""Background work of the search index, run by django-tasks (`manage.py db_worker`)."""

from django_tasks import task

from . import indexing


@task()
def apply_pending_updates(attempt=0):
    """Apply every owed index update; on failure, retry later with back-off."""
    try:
        return indexing.apply_pending()
    except Exception:
        indexing.schedule_retry(attempt)
        raise
