"""Tidying chunked uploads (`manage.py cleanup_uploads`, or the task of the same name): expire
sessions that stopped receiving parts, requeue completions whose worker died, remove stored parts
that no open session owns, and forget finished sessions after a while."""

from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .upload_models import OPEN_STATUSES, UploadSession, UploadStatus
from .upload_storage import parts_backend
from .uploads import expire_if_due

# A multipart upload or staging file younger than this may belong to a session being created.
ORPHAN_GRACE = timedelta(hours=1)
# A completion running this long without ending is taken as abandoned by its worker.
COMPLETING_STALE = timedelta(hours=1)
# Finished sessions (and their part records) are kept this long for reference.
KEEP_FINISHED = timedelta(days=30)


@dataclass
class CleanupReport:
    expired: list = field(default_factory=list)
    requeued: list = field(default_factory=list)
    orphans: list = field(default_factory=list)
    purged: int = 0


def cleanup(now=None):
    from .upload_completion import complete_upload

    now = now or timezone.now()
    report = CleanupReport()
    overdue = UploadSession.objects.filter(status=UploadStatus.UPLOADING, expires_at__lt=now)
    for session in overdue:
        if expire_if_due(session, now):
            report.expired.append(session.file_name)
    stale = UploadSession.objects.filter(
        status=UploadStatus.COMPLETING, updated_at__lt=now - COMPLETING_STALE
    )
    for session in stale:
        UploadSession.objects.filter(pk=session.pk).update(updated_at=now)
        transaction.on_commit(partial(complete_upload.enqueue, str(session.pk)))
        report.requeued.append(session.file_name)
    open_sessions = list(UploadSession.objects.filter(status__in=OPEN_STATUSES).only("upload_id"))
    report.orphans = list(parts_backend().orphans(open_sessions, now - ORPHAN_GRACE))
    finished = UploadSession.objects.exclude(status__in=OPEN_STATUSES)
    _total, deleted = finished.filter(updated_at__lt=now - KEEP_FINISHED).delete()
    report.purged = deleted.get(UploadSession._meta.label, 0)
    return report


@task()
def cleanup_uploads():
    report = cleanup()
    return {
        "expired": len(report.expired),
        "requeued": len(report.requeued),
        "orphans": len(report.orphans),
        "purged": report.purged,
    }
