"""The media store on moto's S3 server, and the same store unreachable: an endpoint nobody listens
on ("down") or one that takes connections and never answers ("slow")."""

import contextlib
import socket

import pytest
from django.conf import settings
from django.test import override_settings

from tests.s3 import s3_storage_options

BACKEND = "media_pipeline.storage_faults.MediaS3Storage"


def _storages(bucket, endpoint_url):
    options = {
        **s3_storage_options(bucket),
        "endpoint_url": endpoint_url,
        "client_config": settings.S3_CLIENT_CONFIG,  # the production timeouts and retries
    }
    return {**settings.STORAGES, "default": {"BACKEND": BACKEND, "OPTIONS": options}}


@pytest.fixture
def media_on_s3(s3_bucket):
    """Default storage as production configures it for S3, on a fresh bucket of moto's server."""
    with override_settings(STORAGES=_storages(s3_bucket, s3_bucket.url), MEDIA_STORAGE="s3"):
        yield s3_bucket


@contextlib.contextmanager
def store_at(bucket, endpoint_url):
    """The same store configuration, its endpoint moved to `endpoint_url`."""
    with override_settings(STORAGES=_storages(bucket, endpoint_url)):
        yield


def closed_endpoint():
    """A loopback port nobody listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def silent_endpoint():
    """A listening socket that never accepts: the kernel completes every connection and the
    request is sent, but no answer ever comes (a hung store)."""
    with socket.create_server(("127.0.0.1", 0), backlog=64) as server:
        host, port = server.getsockname()
        yield f"http://{host}:{port}"


@contextlib.contextmanager
def unreachable(bucket, how):
    """The store, `how` = "down" or "slow"."""
    if how == "down":
        with store_at(bucket, closed_endpoint()):
            yield
    else:
        with silent_endpoint() as url, store_at(bucket, url):
            yield
