import pytest
from django.db import transaction
from django.test import override_settings

from .requesting import session_cookie
from .world import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's data, built once per module inside a transaction that is rolled back at
    the end (each test's own changes are rolled back to a savepoint inside it)."""
    media = tmp_path_factory.mktemp("matrix-media")
    with (
        override_settings(MEDIA_ROOT=str(media)),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        world["sessions"] = {role: session_cookie(user) for role, user in world["users"].items()}
        world["sessions"]["anon"] = None
        yield world
        transaction.set_rollback(True)
