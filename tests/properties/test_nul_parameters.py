"""A NUL character in a query parameter (%00) is refused by PostgreSQL in any text it is
compared with: every URL answers it with a 400 (portal.null_characters), no error 500."""

import pytest

pytestmark = pytest.mark.django_db

PATHS = [
    "/api/v1/venues?district=a%00b",
    "/api/v1/venues?parent=a%00b",
    "/api/v1/venues/a%00b",
    "/api/v1/search?q=%E4%B9%A6%00%E6%B3%95",
    "/api/v1/search?q=x%00&district=a%00b&venue=a%00b&art_form=a%00",
    "/api/v1/search/suggest?q=a%00b",
    "/api/v1/courses?district=a%00b&venue=a%00b&art_form=a%00b",
    "/api/v2/pages/?search=a%00b",
    "/api/v2/pages/?title=a%00b",
    "/api/v2/pages/?slug=a%00b",
    "/api/v2/pages/find/?html_path=/a%00b/",
    "/api/v2/images/?search=a%00b",
    "/api/v2/images/?title=a%00b",
    "/api/v2/documents/?search=a%00b",
    "/search/?q=a%00b",
    "/a%00b/",
]


@pytest.mark.parametrize("path", PATHS)
def test_nul_in_a_url_is_a_400(client, network, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
