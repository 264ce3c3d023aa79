"""Rebuild the whole index without downtime: fill a new generation while the old one answers,
then switch. Updates made meanwhile are written to both generations (IndexState.building)."""

from django.db import transaction
from tqdm import tqdm

from . import sources
from .backends import get_backend
from .indexing import apply_pending, documents_for
from .models import IndexState

CHUNK = 1000


def rebuild(progress=True, stdout=None):
    backend = get_backend()
    state = IndexState.current()
    if state.building:  # an earlier rebuild died half-way: start that generation afresh
        backend.drop_generation(state.building)
    new = max(state.active, state.building or 0) + 1
    state.building = new
    state.save(update_fields=["building"])

    total = sum(source.queryset().count() for source in sources.REGISTRY.values())
    bar = tqdm(total=total, unit="条", disable=not progress, file=stdout, desc="重建搜索索引")
    written = 0
    for source in sources.REGISTRY.values():
        queryset = source.queryset().order_by("pk")
        last_pk = None
        while True:
            chunk = queryset.filter(pk__gt=last_pk) if last_pk is not None else queryset
            objects = list(chunk[:CHUNK])
            if not objects:
                break
            rows, _ = documents_for(source, objects)
            backend.write([new], rows)
            written += len(rows)
            last_pk = objects[-1].pk
            bar.update(len(objects))
    bar.close()

    apply_pending()  # changes that raced the rebuild are now in both generations
    with transaction.atomic():
        state = IndexState.objects.select_for_update().get(pk=state.pk)
        old, state.active, state.building = state.active, new, None
        state.save(update_fields=["active", "building"])
    backend.activate(new)
    backend.drop_generation(old)
    return written
