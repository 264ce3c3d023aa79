"""Builders for catalogue entries. Each takes the owner venue and any model field as keyword;
names default to unique values so several entries of one venue never collide."""

import hashlib
import itertools
from datetime import date

from django.core.files.base import ContentFile

from resources.models import (
    ArtForm,
    Course,
    HeritageItem,
    MediaAsset,
    Programme,
    Teacher,
    TeachingAsset,
)

_numbers = itertools.count(1)


def _next(prefix):
    return f"{prefix}{next(_numbers)}"


def art_form(name="声乐"):
    """An art form of the hub's vocabulary (seeded by migration; created when a test flushed it)."""
    return ArtForm.objects.get_or_create(name=name)[0]


def _create(model, owner, m2m=None, **fields):
    entry = model(owner=owner, **fields)
    entry.save()
    for name, values in (m2m or {}).items():
        getattr(entry, name).set(values)
    if m2m:
        entry.save()  # ParentalManyToManyField values are written on save
    return entry


def make_teacher(owner, art_forms=(), **fields):
    fields.setdefault("name", _next("教师"))
    fields.setdefault("phone", "13812341234")
    return _create(Teacher, owner, m2m={"art_forms": art_forms} if art_forms else None, **fields)


def make_course(owner, teachers=(), **fields):
    fields.setdefault("title", _next("课程"))
    fields.setdefault("capacity", 20)
    fields.setdefault("start_date", date(2026, 3, 1))
    if "art_form" not in fields:
        fields["art_form"] = art_form()
    return _create(Course, owner, m2m={"teachers": teachers} if teachers else None, **fields)


def make_programme(owner, **fields):
    fields.setdefault("title", _next("节目"))
    fields.setdefault("kind", "performance")
    return _create(Programme, owner, **fields)


TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_asset(owner, content=TINY_PDF, filename="note.pdf", **fields):
    """A MediaAsset with a tiny file in default storage (set MEDIA_ROOT to a tmp dir in tests)."""
    fields.setdefault("title", _next("资源"))
    fields.setdefault("kind", "document")
    fields.setdefault("content_type", "application/pdf")
    asset = MediaAsset(
        owner=owner, file_size=len(content), sha256=hashlib.sha256(content).hexdigest(), **fields
    )
    asset.file.save(filename, ContentFile(content), save=False)
    asset.save()
    return asset


def make_teaching_asset(owner, **fields):
    fields.setdefault("name", _next("教学资产"))
    fields.setdefault("kind", "costume")
    return _create(TeachingAsset, owner, **fields)


def make_heritage(owner, inheritors=(), **fields):
    fields.setdefault("name", _next("非遗项目"))
    fields.setdefault("level", "provincial")
    fields.setdefault("category", "drama")
    return _create(
        HeritageItem, owner, m2m={"inheritors": inheritors} if inheritors else None, **fields
    )


def make_two_venues():
    """The hub and two main centres: venue A (醴陵) and venue B (攸县), groups provisioned.
    Smaller and faster than tests.factories.make_network when two owners are all a test needs."""
    from tests.factories import make_venue

    hub = make_venue("zhuzhou-hub", "hub", name="株洲市群众艺术馆")
    a = make_venue("liling-main", "main", hub, place="醴陵", name="醴陵市文化馆", district="醴陵市")
    b = make_venue("youxian-main", "main", hub, place="攸县", name="攸县文化馆", district="攸县")
    return {"hub": hub, "a": a, "b": b}
