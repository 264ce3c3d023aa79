"""No owner-only or staff-only entry ever reaches public results or suggestions, for any query;
staff see what the catalogue lets them see."""

import pytest

from network.plan import Status
from search import analysis
from search.services import search, suggest
from tests.factories import editor_of, make_article, make_user

pytestmark = pytest.mark.django_db

HIDDEN = ("馆员内部书法研修", "醴陵馆内部书法备课", "书法草稿课程")


def _probe_queries():
    """Every word, bigram, pinyin and initial of the hidden titles, plus broad ones."""
    queries = {"书法", "内部", "课程", "shufa", "sf", "nb", "neibu", "书", "*", "醴陵"}
    for title in HIDDEN:
        text = analysis.normalize(title)
        for word in analysis.words(text) + analysis.bigrams(text):
            queries |= {word, analysis.pinyin(word), analysis.initials(word)}
        queries |= {title, title[:3], analysis.pinyin(title)}
    return sorted(q for q in queries if q)


def _all_titles(q, user=None):
    page = search(q, user=user, page_size=50)
    return {r.title for r in page.results}


def test_hidden_entries_never_in_public_results_or_suggestions(small_catalogue):
    for q in _probe_queries():
        assert not set(HIDDEN) & _all_titles(q), q
        assert not {s["text"] for s in suggest(q)} & set(HIDDEN), q


def test_staff_see_staff_only_entries_and_their_own_venue_entries(small_catalogue, network):
    liling_editor = editor_of(network["liling"])
    youxian_editor = editor_of(network["youxian"])
    liling_sees = _all_titles("书法", liling_editor)
    assert {"馆员内部书法研修", "醴陵馆内部书法备课"} <= liling_sees
    youxian_sees = _all_titles("书法", youxian_editor)
    assert "馆员内部书法研修" in youxian_sees and "醴陵馆内部书法备课" not in youxian_sees
    resident = make_user("resident")
    assert not set(HIDDEN) & _all_titles("书法", resident)
    admin = make_user("root", superuser=True)
    assert {"馆员内部书法研修", "醴陵馆内部书法备课"} <= _all_titles("书法", admin)
    # Drafts are never searchable, not even for the superuser.
    assert "书法草稿课程" not in _all_titles("书法", admin)


def test_a_delisted_venue_leaves_public_search(small_catalogue, network, index_now):
    liling = network["liling"]
    liling.status = Status.DELISTED
    liling.save()
    index_now()
    titles = _all_titles("书法")
    assert "少儿书法培训班" not in titles and "成人书法提高班" in titles
    assert "少儿书法培训班" in _all_titles("书法", editor_of(liling))


def test_unpublished_and_restricted_pages_are_not_public(network, index_now):
    from wagtail.models import PageViewRestriction

    venue_page = network["pukou"].page
    public = make_article(venue_page, "浦口分馆书法展开幕", publish=True)
    draft = make_article(venue_page, "浦口分馆书法展筹备", publish=False)
    private = make_article(venue_page, "浦口分馆书法内部通知", publish=True)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    index_now()
    titles = _all_titles("书法展")
    assert public.title in titles
    assert draft.title not in titles and private.title not in _all_titles("内部通知")
    assert draft.title in _all_titles("筹备", editor_of(network["pukou"]))


def test_admin_network_search_shows_staff_what_they_may_see(client, small_catalogue, network):
    client.force_login(editor_of(network["liling"]))
    response = client.get("/admin/network-search/", {"q": "书法"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "醴陵馆内部书法备课" in html and "馆员内部书法研修" in html
    assert "/edit/" in html  # links go to where they edit it
    # The public page shows only what residents see, even to staff.
    public = client.get("/search/", {"q": "书法"}).content.decode()
    assert "醴陵馆内部书法备课" not in public
    client.logout()
    assert client.get("/admin/network-search/", {"q": "书法"}).status_code == 302
