"""Wagtail's read API (/api/v2/, portal.api_v2) has no OpenAPI document, so its query
parameters are generated here: known ones with odd values and unknown ones. Whatever they are,
the answer is JSON and never an error 500 (a bad parameter is a 400, an unknown id a 404)."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "pages/", "pages/find/", "images/", "images/find/", "documents/", "pages/{id}/", "images/{id}/"
]  # fmt: skip
KNOWN = [
    "type", "fields", "order", "limit", "offset", "search", "search_operator", "child_of",
    "descendant_of", "ancestor_of", "locale", "translation_of", "slug", "title", "id",
    "html_path", "show_in_menus", "tags", "collection_id", "site",
]  # fmt: skip
odd_values = st.one_of(
    st.text(max_size=20),
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(
        [
            "-1",
            "0",
            "*",
            "-title",
            "random",
            "portal.ArticlePage",
            "wagtailcore.Page",
            "_,*",
            "/",
            "a\x00b",
        ]
    ),
)
params = st.dictionaries(
    st.one_of(st.sampled_from(KNOWN), st.text(max_size=8)), odd_values, max_size=4
)
ids = st.one_of(st.integers(-5, 2**70), st.just(0))


@pytest.fixture
def article(network):
    return make_article(network["liling"].page, "公开新闻", publish=True)


@settings(max_examples=60)
@given(st.sampled_from(ENDPOINTS), ids, params)
@example("pages/find/", 0, {"id": "abc"})  # Wagtail's find view took any id to the database
@example("images/find/", 0, {"id": "1.5"})
def test_odd_query_parameters_never_cause_a_server_error(article, client, endpoint, id, query):
    path = "/api/v2/" + endpoint.format(id=id)
    response = client.get(path, query)
    assert response.status_code < 500, (path, query, response.content[:300])
    # (A 404 may be the site's own page: /api/v2/pages/-1/ is no API URL. pages/find/
    # redirects to the page it found.)
    if response.status_code in (200, 400):
        assert response["Content-Type"].startswith("application/json")
