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
