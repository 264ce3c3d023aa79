import pytest

from search.indexing import apply_pending


@pytest.fixture
def index_now():
    """Apply the owed index updates now: in a test transaction, on_commit never fires."""
    return apply_pending
