"""Renditions in media storage: where they go, uploading them, and removing them by prefix.

Every attempt writes under its own prefix, renditions/<asset pk>/<random>/, so names never
collide (HLS playlists refer to their segments by exact relative names) and a whole attempt —
finished, failed or abandoned by a crashed worker — is removed by deleting its prefix.
"""

import contextlib
import os
import shutil
import uuid
from pathlib import Path

from boto3.s3.transfer import TransferConfig
from botocore.exceptions import ClientError
from django.core.files import File
from storages.utils import clean_name

from resources.storage import is_s3

DOWNLOAD_CHUNK = 8 * 1024 * 1024


def media_storage():
    """The storage of MediaAsset files (renditions live next to their originals)."""
    from resources.models import MediaAsset

    return MediaAsset._meta.get_field("file").storage


def asset_prefix(asset_id):
    return f"renditions/{asset_id}/"


def new_work_prefix(asset_id):
    return f"{asset_prefix(asset_id)}{uuid.uuid4().hex[:12]}/"


def upload(storage, local_path, name):
    """Store a local file under exactly `name`; returns its size in bytes."""
    with open(local_path, "rb") as handle:
        stored = storage.save(name, File(handle, name=os.path.basename(name)))
    if stored != name:  # the attempt's prefix is fresh, so this means a broken storage
        storage.delete(stored)
        raise OSError(f"storage renamed {name} to {stored}")
    return os.path.getsize(local_path)


def upload_tree(storage, local_dir, prefix, on_file=None):
    """Store every file under local_dir at prefix + its relative path; returns total bytes."""
    total = 0
    for path in sorted(Path(local_dir).rglob("*")):
        if path.is_file():
            total += upload(storage, path, prefix + path.relative_to(local_dir).as_posix())
            if on_file:
                on_file()
    return total


def local_copy(field_file, destination, on_progress=None):
    """A local path of a stored file: on local disk a hard link to it (the original itself when
    linking is impossible; never a copy of gigabytes), else a download to `destination`.
    Raises FileNotFoundError when the file is gone."""
    storage = field_file.storage
    if is_s3(storage):
        key = storage._normalize_name(clean_name(field_file.name))
        try:
            # Straight to disk; one thread, so progress callbacks (database writes) stay on
            # this thread and its connection.
            storage.bucket.Object(key).download_file(
                str(destination),
                Callback=on_progress and (lambda _bytes: on_progress()),
                Config=TransferConfig(use_threads=False),
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                raise FileNotFoundError(field_file.name) from exc
            raise
        return destination
    try:
        local = storage.path(field_file.name)
    except NotImplementedError:
        with storage.open(field_file.name, "rb") as source, open(destination, "wb") as target:
            shutil.copyfileobj(source, target, DOWNLOAD_CHUNK)
        return destination
    if not os.path.exists(local):
        raise FileNotFoundError(field_file.name)
    try:
        os.link(local, destination)  # survives the original being replaced meanwhile
    except OSError:
        return Path(local)
    return destination


def delete_tree(storage, prefix):
    """Delete every stored file whose name starts with the folder `prefix` (ends with "/")."""
    if not prefix.endswith("/") or prefix.count("/") < 2:
        raise ValueError(f"refusing to delete {prefix!r}")
    if is_s3(storage):
        key = storage._normalize_name(clean_name(prefix))
        storage.bucket.objects.filter(Prefix=key).delete()  # batches of up to 1,000 keys
        return
    _delete_folder(storage, prefix.rstrip("/"))


def _delete_folder(storage, folder):
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        storage.delete(f"{folder}/{name}")
    for name in folders:
        _delete_folder(storage, f"{folder}/{name}")
    with contextlib.suppress(NotImplementedError, OSError):
        os.rmdir(storage.path(folder))  # local disk keeps empty folders otherwise
