"""Fixtures of the catalogue tests: the moto S3 server (tests/s3.py) and local storage in a
temporary directory. Sample-file builders live in test_uploads.py."""

import pytest
from django.core.files.storage import FileSystemStorage, default_storage

from resources.storage import connect_signals
from tests.s3 import moto_server, s3_bucket, s3_storage  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True, scope="session")
def _asset_file_cleanup_signal():
    # The production wiring that belongs in ResourcesConfig.ready(); idempotent (dispatch_uid).
    connect_signals()


@pytest.fixture
def local_storage(settings, tmp_path):
    """Default storage on local disk in a temporary MEDIA_ROOT (also under MEDIA_STORAGE=s3);
    returns that directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    settings.MEDIA_STORAGE = "local"
    settings.MEDIA_ROOT = tmp_path
    assert isinstance(default_storage, FileSystemStorage)
    return tmp_path
