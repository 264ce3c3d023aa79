import pytest
from django.core.cache import cache

from .factories import make_network


@pytest.fixture
def network(db):
    """A small venue network with pages, collections, groups and workflows provisioned."""
    return make_network()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Tests roll their database back, so values cached from it (settings read once a minute,
    login throttles) must not outlive the test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def login_lockout(settings):
    """django-axes switched on (test settings turn it off: the test client's login() passes no
    request, which axes refuses). Failures are counted in the database, rolled back with it."""
    settings.AXES_ENABLED = True


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's media folder (portal/settings/test.py puts it in the temp directory)."""
    import shutil
    import tempfile
    from pathlib import Path

    from django.conf import settings

    run_folder = Path(settings.MEDIA_ROOT).parent
    if run_folder.parent == Path(tempfile.gettempdir()) and run_folder.name.startswith(
        "culturehall-test-"
    ):
        shutil.rmtree(run_folder, ignore_errors=True)
