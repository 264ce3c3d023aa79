import pytest

from tests.factories import make_user


@pytest.fixture
def hub_admin(db):
    """A hub administrator (superuser): manages the evaluation and confirms 摘牌."""
    return make_user("hub-admin", superuser=True)
