import pytest
from django.conf import settings

from tests.media_pipeline.upload_client import editor_a, uploader, venues  # noqa: F401 (fixtures)
from tests.s3 import moto_server, s3_bucket  # noqa: F401  (fixtures)

from .stores import media_on_s3  # noqa: F401  (fixture)


@pytest.fixture
def postgres_only():
    """Skips on SQLite as the other concurrency tests do: the fault tests need PostgreSQL
    (and their data committed, django_db(transaction=True), so other processes see it)."""
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("fault tests run on PostgreSQL; run with DATABASE_URL=postgres://…")
