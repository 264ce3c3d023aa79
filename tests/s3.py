"""Pytest fixtures for the S3 media path: a real moto server over HTTP on a free loopback port.

boto3 is never patched: the storage talks HTTP to the server exactly as it would to MinIO or OSS.
Use `s3_storage` in a test to make Django's default storage (assets, images, renditions,
documents) an S3Storage on a fresh bucket of that server.
"""

import uuid
from dataclasses import dataclass

import boto3
import pytest
from botocore.config import Config
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.test import override_settings
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

ACCESS_KEY = "testing"
SECRET_KEY = "testing"
REGION = "us-east-1"


@dataclass
class S3Endpoint:
    url: str
    client: object  # a boto3 S3 client pointed at the server

    def object_keys(self, bucket):
        """Every object key in the bucket (paginated listing over HTTP)."""
        paginator = self.client.get_paginator("list_objects_v2")
        return sorted(
            item["Key"]
            for page in paginator.paginate(Bucket=bucket)
            for item in page.get("Contents", [])
        )


@dataclass
class S3Bucket:
    endpoint: S3Endpoint
    name: str

    @property
    def url(self):
        return self.endpoint.url

    def object_keys(self):
        return self.endpoint.object_keys(self.name)

    def get(self, key):
        return self.endpoint.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def moto_server():
    from moto.core.models import botocore_stubber

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
        config=Config(s3={"addressing_style": "path"}),
    )
    # moto's in-process stubber must stay off, or requests would never leave the process.
    assert not botocore_stubber.enabled
    try:
        yield S3Endpoint(url=url, client=client)
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(moto_server):
    """A fresh bucket per test, created over HTTP with boto3, removed with its objects after."""
    name = f"culturehall-test-{uuid.uuid4().hex[:12]}"
    moto_server.client.create_bucket(Bucket=name)
    bucket = S3Bucket(endpoint=moto_server, name=name)
    yield bucket
    for key in bucket.object_keys():
        moto_server.client.delete_object(Bucket=name, Key=key)
    moto_server.client.delete_bucket(Bucket=name)


def s3_storage_options(bucket):
    """The same OPTIONS as portal/settings/base.py builds for MEDIA_STORAGE=s3."""
    return {
        "bucket_name": bucket.name,
        "endpoint_url": bucket.url,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
        "region_name": REGION,
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        "addressing_style": "path",
        "signature_version": "s3v4",
    }


@pytest.fixture
def s3_storage(s3_bucket):
    """Switch STORAGES["default"] to S3Storage on the test bucket for the duration of a test.

    override_settings fires setting_changed, whose Django handler drops the storages handler's
    cached backends and resets the lazy default_storage, so every FileField using the default
    storage (MediaAsset, wagtailimages Image and Rendition, wagtaildocs Document) follows.
    """
    storages_setting = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_storage_options(s3_bucket),
        },
    }
    with override_settings(STORAGES=storages_setting, MEDIA_STORAGE="s3"):
        # Cached renditions of a previous test's images must not leak into this bucket's tests.
        for cache in caches.all():
            cache.clear()
        assert isinstance(default_storage, S3Storage)
        assert default_storage.bucket_name == s3_bucket.name
        yield s3_bucket
    assert not isinstance(default_storage, S3Storage)
