"""Background work of the catalogue, run by django-tasks (`manage.py db_worker` in production)."""

from django.apps import apps
from django_tasks import task
from wagtail.search.backends import get_search_backends

# Objects loaded and sent to a search backend at a time.
REINDEX_CHUNK = 500


@task()
def reindex_catalogue_entries(model_label, pks):
    """Add or update catalogue entries in every auto-updated search backend.

    Bulk writes (the importer) skip post_save, so Wagtail's own per-object indexing task never
    runs for them; this does the same work in chunks. Entries deleted since being enqueued are
    simply missing from the queryset."""
    model = apps.get_model(model_label)
    backends = list(get_search_backends(with_auto_update=True))
    if not backends or not pks:
        return 0
    indexed = 0
    queryset = model.get_indexed_objects()
    for start in range(0, len(pks), REINDEX_CHUNK):
        objects = list(queryset.filter(pk__in=pks[start : start + REINDEX_CHUNK]))
        for backend in backends:
            backend.add_bulk(model, objects)
        indexed += len(objects)
    return indexed
