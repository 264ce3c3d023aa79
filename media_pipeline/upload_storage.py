"""Where the parts of a chunked upload go until it is complete, one backend per storage.

- Local disk: the parts are written at their offsets into one staging file beside MEDIA_ROOT
  (several at once: each has its own region);
  completing renames it to the asset's name (same disk: no copy, whatever the size).
- S3: the parts are the parts of an S3 multipart upload to the asset's final key, so nothing is
  ever held whole on the web server; S3 assembles them on completion, or drops them on abort.

Both give the assembled file back for checking as a Django File that streams its bytes once
(`chunks`) and also seeks (ZIP and image headers), without a local copy of an S3 object.
"""

import base64
import contextlib
import io
import logging
import os
from pathlib import Path

from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files import File
from storages.utils import clean_name

from resources.storage import is_s3, presigned_url

from . import store

logger = logging.getLogger(__name__)

STREAM_CHUNK = 1024 * 1024  # bytes per read while checking a stored file
SEEK_BUFFER = 1024 * 1024  # bytes fetched per ranged GET when a check seeks (ZIP, images)


def staging_dir():
    configured = settings.MEDIA_UPLOAD_STAGING_DIR
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "upload-staging"


def parts_backend(storage=None):
    storage = storage or store.media_storage()
    return S3Parts(storage) if is_s3(storage) else LocalParts(storage)


class StagedFile(File):
    """A staging file handed to FileSystemStorage.save, which then moves it instead of copying."""

    def temporary_file_path(self):
        return self.file.name


class LocalParts:
    def __init__(self, storage):
        self.storage = storage

    def path(self, session):
        return staging_dir() / f"{session.pk}.part"

    def start(self, session):
        """The staging file at its final size (sparse: no disk is used before parts arrive)."""
        path = self.path(session)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as staged:
            staged.truncate(session.size)

    def write(self, session, number, data, sha256):
        """Write part `number` at its offset, beside parts being written by other requests
        (each part has its own region). Returns the ETag ("" on local disk)."""
        descriptor = os.open(self.path(session), os.O_WRONLY)
        remaining, offset = memoryview(data), (number - 1) * session.chunk_size
        try:
            while remaining:
                written = os.pwrite(descriptor, remaining, offset)
                remaining, offset = remaining[written:], offset + written
        finally:
            os.close(descriptor)
        return ""

    def assemble(self, session, parts):
        with open(self.path(session), "rb") as staged:
            stored = self.storage.save(session.storage_key, StagedFile(staged))
        if stored != session.storage_key:  # the key is random: only a broken storage renames
            self.storage.delete(stored)
            raise OSError(f"storage renamed {session.storage_key} to {stored}")

    def abort(self, session):
        self.path(session).unlink(missing_ok=True)

    def open(self, session):
        return File(open(self.storage.path(session.storage_key), "rb"), name=session.file_name)

    def probe_source(self, session):
        return self.storage.path(session.storage_key)

    def orphans(self, open_sessions, older_than):
        """Delete staging files of no open session last written before `older_than` (a
        datetime); yields their names."""
        folder = staging_dir()
        if not folder.is_dir():
            return
        open_names = {f"{session.pk}.part" for session in open_sessions}
        for path in folder.glob("*.part"):
            if path.name not in open_names and path.stat().st_mtime < older_than.timestamp():
                path.unlink(missing_ok=True)
                yield path.name


_clients = {}


def shared_client(storage):
    """One boto3 client per S3 configuration for the whole process. S3Storage keeps a
    connection per thread, and servers that start a thread per request (runserver) would
    otherwise set one up for every part, which costs more than sending the part; boto3 clients
    (unlike resources) may be shared between threads."""
    key = (storage.endpoint_url, storage.access_key, storage.region_name, storage.bucket_name)
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = storage.connection.meta.client
    return client


class S3Parts:
    def __init__(self, storage):
        self.storage = storage
        self.client = shared_client(storage)
        self.bucket = storage.bucket_name

    def key(self, session):
        return self.storage._normalize_name(clean_name(session.storage_key))

    @property
    def part_checksums(self):
        return settings.MEDIA_UPLOAD_S3_PART_CHECKSUMS

    def start(self, session):
        # The same object parameters (type, ACL, encryption…) as the storage's own saves.
        params = self.storage._get_write_parameters(session.storage_key)
        params.pop("ContentEncoding", None)
        if self.part_checksums:
            params["ChecksumAlgorithm"] = "SHA256"
        created = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=self.key(session), **params
        )
        session.upload_id = created["UploadId"]

    def write(self, session, number, data, sha256):
        """Send part `number`; with part checksums the store verifies it against the client's
        SHA-256 too (and botocore computes no checksum of its own)."""
        checksum = {"ChecksumSHA256": _base64(sha256)} if self.part_checksums else {}
        uploaded = self.client.upload_part(
            Bucket=self.bucket,
            Key=self.key(session),
            UploadId=session.upload_id,
            PartNumber=number,
            Body=data,
            **checksum,
        )
        return uploaded["ETag"]

    def assemble(self, session, parts):
        listed = [{"ETag": part.etag, "PartNumber": part.number} for part in parts]
        if self.part_checksums:
            for item, part in zip(listed, parts, strict=True):
                item["ChecksumSHA256"] = _base64(part.sha256)
        try:
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=self.key(session),
                UploadId=session.upload_id,
                MultipartUpload={"Parts": listed},
            )
        except ClientError as exc:
            # Completed by an earlier attempt that stopped before it could record so.
            if _code(exc) != "NoSuchUpload" or self._stored_size(session) != session.size:
                raise

    def _stored_size(self, session):
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key(session))
        except ClientError:
            return None
        return head["ContentLength"]

    def abort(self, session):
        if not session.upload_id:
            return
        try:
            self.client.abort_multipart_upload(
                Bucket=self.bucket, Key=self.key(session), UploadId=session.upload_id
            )
        except ClientError as exc:
            if _code(exc) != "NoSuchUpload":
                raise

    def open(self, session):
        return S3File(self.client, self.bucket, self.key(session), session)

    def probe_source(self, session):
        return presigned_url(self.storage, session.storage_key)

    def orphans(self, open_sessions, older_than):
        """Abort multipart uploads under assets/ that no open session owns, started before
        `older_than`; yields their keys."""
        open_upload_ids = {session.upload_id for session in open_sessions}
        prefix = self.storage._normalize_name("assets/")
        paginator = self.client.get_paginator("list_multipart_uploads")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for upload in page.get("Uploads", []):
                if upload["UploadId"] in open_upload_ids or upload["Initiated"] >= older_than:
                    continue
                with contextlib.suppress(ClientError):
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=upload["Key"], UploadId=upload["UploadId"]
                    )
                    yield upload["Key"]


def _base64(sha256_hex):
    return base64.b64encode(bytes.fromhex(sha256_hex)).decode()


def _code(exc):
    return exc.response.get("Error", {}).get("Code")


class RangeReader(io.RawIOBase):
    """A seekable, read-only view of an S3 object through ranged GETs."""

    def __init__(self, client, bucket, key, size):
        self.client, self.bucket, self.key, self.size = client, bucket, key, size
        self.position = 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.position

    def seek(self, offset, whence=os.SEEK_SET):
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self.position, os.SEEK_END: self.size}[whence]
        self.position = max(base + offset, 0)
        return self.position

    def readinto(self, buffer):
        if self.position >= self.size or not len(buffer):
            return 0
        last = min(self.position + len(buffer), self.size) - 1
        body = self.client.get_object(
            Bucket=self.bucket, Key=self.key, Range=f"bytes={self.position}-{last}"
        )["Body"].read()
        buffer[: len(body)] = body
        self.position += len(body)
        return len(body)


class S3File(File):
    """A stored S3 object as a File named like the uploaded file: `chunks()` streams it with
    one GET, reads and seeks go through ranged GETs."""

    def __init__(self, client, bucket, key, session):
        self.client, self.bucket, self.key = client, bucket, key
        head = client.head_object(Bucket=bucket, Key=key)
        reader = RangeReader(client, bucket, key, head["ContentLength"])
        super().__init__(io.BufferedReader(reader, SEEK_BUFFER), name=session.file_name)
        self.size = head["ContentLength"]

    def chunks(self, chunk_size=None):
        body = self.client.get_object(Bucket=self.bucket, Key=self.key)["Body"]
        try:
            yield from body.iter_chunks(chunk_size or STREAM_CHUNK)
        finally:
            body.close()
