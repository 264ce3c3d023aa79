"""Keep the index following the data.

A change writes a PendingUpdate row in the same transaction (an outbox), and after commit a
background task applies every pending row, recomputing each object's document from the database.
A failing update keeps its row (with the error) and is retried with back-off; nothing is lost
even if the worker dies, because the next run picks the row up again."""

import hashlib
import logging
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import analysis, sources
from .backends import get_backend
from .backends.base import FACETS
from .models import IndexState, PendingUpdate

logger = logging.getLogger(__name__)
BATCH = 500
BODY_CHARS = 3000
MAX_ATTEMPTS = 8


def document_row(obj, source, content_type_id):
    """The stored form of one object, or None when it is not searchable."""
    doc = source.to_document(obj)
    if doc is None:
        return None
    venue = doc.venue
    places = f"{venue.name} {venue.district}" if venue else ""
    tokens = analysis.analyse(doc.title, doc.body, places)
    title = analysis.normalize(doc.title)
    title_words = analysis.words(title, for_search=False)
    row = {
        "content_type_id": content_type_id,
        "object_id": obj.pk,
        "kind": source.kind,
        "title": doc.title[:255],
        "url": doc.url,
        "body": doc.body[:BODY_CHARS],
        "venue_code": venue.code if venue else "",
        "venue_name": venue.name if venue else "",
        "district": venue.district if venue else "",
        "latitude": getattr(venue, "latitude", None),
        "longitude": getattr(venue, "longitude", None),
        "art_form": doc.art_form or "",
        "audience": doc.audience or "",
        "fee_type": doc.fee_type or "",
        "date": doc.date,
        "visibility": doc.visibility,
        "suggest_text": title[:255],
        "suggest_pinyin": "".join(analysis.pinyin(w) or w for w in title_words)[:255],
        "suggest_initials": "".join(analysis.initials(w) or w[:1] for w in title_words)[:100],
        "a": tokens.a,
        "b": tokens.b,
        "c": tokens.c,
        "d": tokens.d,
    }
    row["facet_key"] = facet_key(row)
    return row


def facet_key(row):
    """A stable 63-bit number for the row's facet values (the same values, the same key)."""
    values = "\x1f".join(str(row[field] or "") for field in FACETS.values())
    return int.from_bytes(hashlib.blake2b(values.encode(), digest_size=8).digest()) >> 1


def documents_for(source, objects):
    content_type_id = ContentType.objects.get_for_model(source.model).pk
    rows, missing = [], []
    for obj in objects:
        row = document_row(obj, source, content_type_id)
        (rows.append(row) if row else missing.append(obj.pk))
    return rows, missing


# --- the outbox ------------------------------------------------------------------------------


def queue(model, pks):
    """Owe an index update for these objects, and have the worker apply it after commit."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return
    content_type = ContentType.objects.get_for_model(model)
    for pk in pks:
        PendingUpdate.objects.update_or_create(
            content_type=content_type, object_id=pk, defaults={"attempts": 0, "last_error": ""}
        )
    transaction.on_commit(_enqueue)


def _enqueue(attempt=0):
    from .tasks import apply_pending_updates

    apply_pending_updates.enqueue(attempt)


def apply_pending(limit=None):
    """Apply pending updates in batches; returns how many were applied."""
    state = IndexState.current()
    backend = get_backend()
    analysis.refresh_if_changed()
    applied = 0
    while limit is None or applied < limit:
        batch = list(PendingUpdate.objects.order_by("id")[:BATCH])
        if not batch:
            break
        try:
            _apply(batch, backend, state.generations())
        except Exception as error:
            PendingUpdate.objects.filter(pk__in=[p.pk for p in batch]).update(
                attempts=models.F("attempts") + 1, last_error=repr(error)[:2000]
            )
            raise
        applied += len(batch)
        IndexState.bump()
    return applied


def _apply(batch, backend, generations):
    by_type = {}
    for pending in batch:
        by_type.setdefault(pending.content_type_id, []).append(pending)
    for content_type_id, pendings in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        source = sources.for_model(model) if model else None
        ids = [p.object_id for p in pendings]
        if source is None:
            rows, gone = [], ids
        else:
            objects = list(source.queryset().filter(pk__in=ids))
            rows, gone = documents_for(source, objects)
            found = {obj.pk for obj in objects}
            gone += [pk for pk in ids if pk not in found]
        backend.write(generations, rows)
        if gone:
            backend.delete(generations, content_type_id, gone)
        # Delete only rows not re-queued meanwhile: a newer change keeps its row.
        for pending in pendings:
            PendingUpdate.objects.filter(pk=pending.pk, queued_at=pending.queued_at).delete()


def retry_delay(attempt):
    return timedelta(minutes=min(2**attempt, 60))


def schedule_retry(attempt):
    from .tasks import apply_pending_updates

    if attempt >= MAX_ATTEMPTS:
        logger.error("搜索索引更新已失败 %d 次，待更新记录保留在 PendingUpdate 表中。", attempt)
        return
    task = apply_pending_updates
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + retry_delay(attempt))
    task.enqueue(attempt + 1)


# --- signals ---------------------------------------------------------------------------------


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        queue(sender, [instance.pk])


def _on_delete(sender, instance, **kwargs):
    queue(sender, [instance.pk])


def queue_venue(venue):
    """A venue's name, district, place or status changed: every document it owns follows."""
    for source in sources.REGISTRY.values():
        if source.owned_by:
            queue(source.model, list(source.owned_by(venue).values_list("pk", flat=True)))


def _on_venue_save(sender, instance, raw=False, **kwargs):
    if not raw:
        queue_venue(instance)


def _on_dictionary_change(sender, instance, **kwargs):
    from . import analysis

    analysis.reload_dictionary()
    queue_documents_containing(instance.word)


def _on_synonyms_change(sender, **kwargs):
    from .models import forget_synonyms

    forget_synonyms()


def connect_signals():
    from network.models import Venue

    from .models import DictionaryWord, SynonymGroup

    post_save.connect(_on_dictionary_change, sender=DictionaryWord, dispatch_uid="search-dict")
    post_delete.connect(_on_dictionary_change, sender=DictionaryWord, dispatch_uid="search-dictd")
    post_save.connect(_on_synonyms_change, sender=SynonymGroup, dispatch_uid="search-syn")
    post_delete.connect(_on_synonyms_change, sender=SynonymGroup, dispatch_uid="search-synd")

    for source in sources.REGISTRY.values():
        post_save.connect(_on_save, sender=source.model, dispatch_uid=f"search-{source.kind}")
        post_delete.connect(_on_delete, sender=source.model, dispatch_uid=f"search-d{source.kind}")
    post_save.connect(_on_venue_save, sender=Venue, dispatch_uid="search-venue")


def queue_documents_containing(word):
    """After the dictionary changed: re-analyse every document whose text holds the word."""
    from .models import SearchDocument

    state = IndexState.current()
    rows = (
        SearchDocument.objects.filter(generation=state.active)
        .filter(models.Q(title__contains=word) | models.Q(body__contains=word))
        .values_list("content_type_id", "object_id")
    )
    by_type = {}
    for content_type_id, object_id in rows:
        by_type.setdefault(content_type_id, []).append(object_id)
    for content_type_id, object_ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            queue(model, object_ids)
