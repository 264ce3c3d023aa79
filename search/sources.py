"""What can be searched: each app registers how its models become search documents.

An app owns its source (resources registers the catalogue, portal the pages); the search app
only knows this small contract."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass
class Document:
    """The searchable form of one object; `visibility` is a search.models.Visibility value."""

    title: str
    url: str
    visibility: str
    body: str = ""
    venue: object = None
    art_form: str = ""
    audience: str = ""
    fee_type: str = ""
    date: object = None


@dataclass(frozen=True)
class Source:
    kind: str
    label: str
    model: type
    # Objects to index (a queryset with what to_document needs selected).
    queryset: Callable
    # object → Document, or None when the object is not searchable at all (a draft course).
    to_document: Callable
    # venue → queryset of the objects whose document shows that venue (re-indexed when it changes).
    owned_by: Callable | None = None


REGISTRY: dict[str, Source] = {}
KIND_LABELS = {}


def register(source):
    REGISTRY[source.kind] = source
    KIND_LABELS[source.kind] = source.label


def for_model(model):
    """The source of a model or of its nearest registered ancestor (page subclasses)."""
    for source in REGISTRY.values():
        if issubclass(model, source.model):
            return source
    return None


def kind_label(kind):
    return KIND_LABELS.get(kind, _("其他"))
