"""Ingesting files from disk into a venue's media (manage.py ingest_media).

Each file is checked like an upload (kind from its extension, content by its bytes, the per-kind
size limit, the venue's quota), skipped when the same bytes (SHA-256) are already stored where
the venue can use them, and otherwise stored with its MediaAsset in one step: a failure leaves
neither a row nor a stored file. The saved asset is queued for processing by the pipeline.

Folders become Wagtail collections below the venue's own collection (where its editors already
have their collection permissions, and where two venues' folders of the same name stay apart):
--collection NAME first, then one child collection per sub-folder level. A level is reused when
it exists, so ingesting the same tree again files into the same collections. It is looked up or
added inside the file's transaction: a file that fails leaves no collection made for it.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection

from resources.models import MediaAsset
from resources.uploads import ALLOWED, apply_upload_info, delete_new_file_on_failure
from resources.uploads import validate_upload as check_content

from . import quota
from .upload_completion import duplicate_of

logger = logging.getLogger(__name__)

COLLECTION_NAME_LENGTH = Collection._meta.get_field("name").max_length
TITLE_LENGTH = MediaAsset._meta.get_field("title").max_length
KIND_OF_EXTENSION = {ext: kind for kind, extensions in ALLOWED.items() for ext in extensions}


class Outcome:
    ADDED = "added"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class Source:
    path: Path
    shown: str  # the path as reported (relative to the folder given)
    folders: tuple = ()  # collection path below the venue's: --collection, then sub-folders


@dataclass
class Result:
    source: Source
    outcome: str
    asset: MediaAsset | None = None
    reason: str = ""


def _hidden(parts):
    return any(part.startswith(".") for part in parts)


def find_sources(paths, collection=""):
    """Every file to ingest: files as given, folders walked in name order (hidden files and
    folders skipped). A path that does not exist is a Source too, so it is reported."""
    base = (collection[:COLLECTION_NAME_LENGTH],) if collection else ()
    for given in paths:
        path = Path(given)
        if not path.is_dir():
            yield Source(path, str(given), base)
            continue
        for file in sorted(path.rglob("*")):
            relative = file.relative_to(path)
            if file.is_file() and not _hidden(relative.parts):
                names = relative.parent.parts
                folders = base + tuple(name[:COLLECTION_NAME_LENGTH] for name in names)
                yield Source(file, f"{path.name}/{relative.as_posix()}", folders)


def ingest(source, venue, visibility):
    """Ingest one file; never raises for a bad file (the Result says why)."""
    try:
        return _ingest(source, venue, visibility)
    except ValidationError as error:
        return Result(source, Outcome.FAILED, reason="".join(error.messages))
    except quota.QuotaExceeded as error:
        return Result(source, Outcome.FAILED, reason=str(error))
    except OSError as error:
        reason = _("无法读取或保存文件：%(error)s") % {"error": error.strerror or error}
        return Result(source, Outcome.FAILED, reason=reason)
    except Exception as error:  # one file's storage or database trouble must not end the run
        logger.exception("ingest of %s failed", source.path)
        reason = _("保存时出错（%(error)s），未留下任何数据。") % {"error": type(error).__name__}
        return Result(source, Outcome.FAILED, reason=reason)


def _ingest(source, venue, visibility):
    if not source.path.is_file():
        return Result(source, Outcome.FAILED, reason=_("文件不存在。"))
    extension = source.path.suffix.lower().lstrip(".")
    kind = KIND_OF_EXTENSION.get(extension)
    if kind is None:
        reason = _("不支持的文件类型“.%(ext)s”。") % {"ext": extension}
        return Result(source, Outcome.FAILED, reason=reason)
    with source.path.open("rb") as handle:
        upload = File(handle, name=source.path.name)
        info = check_content(upload, kind)
        existing = duplicate_of(venue, info.sha256)
        if existing is not None:
            return Result(source, Outcome.DUPLICATE, asset=existing)
        quota.check_room(venue, info.size)
        asset = MediaAsset(
            owner=venue,
            kind=kind,
            visibility=visibility,
            title=source.path.stem[:TITLE_LENGTH] or source.path.name,
        )
        asset.full_clean(exclude=["file", "tags"])
        apply_upload_info(asset, info)
        with delete_new_file_on_failure(asset, previous_name=None), transaction.atomic():
            asset.file.save(source.path.name, upload, save=False)
            # After the (possibly long) upload: the parent collections stay locked only briefly.
            asset.collection = collection_at(venue, source.folders)
            asset.save()
    return Result(source, Outcome.ADDED, asset=asset)


def collection_at(venue, names):
    """The collection at the path `names` below the venue's collection (the root for a venue
    without one), adding each missing level with treebeard's add_child (Wagtail keeps siblings
    sorted by name). Call inside a transaction: each parent is locked while its child is looked
    up, so two ingests of one tree add a level once."""
    collection = Collection.objects.filter(pk=venue.collection_id).first()
    collection = collection or Collection.get_first_root_node()
    for name in names:
        # Read afresh: adding a sibling rewrites the tree paths of the nodes sorted after it.
        parent = Collection.objects.select_for_update().get(pk=collection.pk)
        collection = parent.get_children().filter(name=name).first() or parent.add_child(name=name)
    return collection
