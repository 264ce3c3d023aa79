import pytest

from .factories import make_network


@pytest.fixture
def network(db):
    """A small venue network with pages, collections, groups and workflows provisioned."""
    return make_network()
