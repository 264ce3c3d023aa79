"""Per-venue editing rights in the Wagtail admin.

The rule (portal.provisioning): a venue's 编辑 group holds add/change on the venue's page and
change/choose on its collection. Wagtail applies both to the whole subtree, and the page and
collection trees mirror the network, so an editor may work on their own venue and every venue
below it (a main centre on its branches and points, the hub on the whole network) and on
nothing else: not on siblings, cousins or the venues above.
"""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from portal.models import ArticlePage, VenuePage

from ..factories import admin_page_form_data, editor_of, make_article, make_document, make_image

# (editor's venue, other venue): the other venue is never inside the editor's subtree. Every
# level is on both sides except the hub as editor, whose subtree is the whole network (it is
# covered by test_governing_editor_reaches_the_venues_below).
OUTSIDE_PAIRS = [
    pytest.param("liling", "youxian", id="main-vs-other-main"),
    pytest.param("liling", "huangfeng", id="main-vs-other-mains-branch"),
    pytest.param("liling", "hub", id="main-vs-hub"),
    pytest.param("pukou", "liling", id="branch-vs-own-main"),
    pytest.param("pukou", "huangfeng", id="branch-vs-other-branch"),
    pytest.param("huangfeng", "shimen", id="branch-vs-other-point"),
    pytest.param("shimen", "pukou", id="point-vs-own-branch"),
    pytest.param("school", "shimen", id="point-vs-other-point"),
    pytest.param("school", "hub", id="point-vs-hub"),
]
LEVELS = [
    pytest.param("hub", id="hub"),
    pytest.param("liling", id="main"),
    pytest.param("pukou", id="branch"),
    pytest.param("shimen", id="point"),
]
DENIED_STATUSES = {403, 404}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stock(venue):
    """A venue's page, an unpublished draft article under it, an image and a document."""
    code = venue.code
    return {
        "venue": venue,
        "page": VenuePage.objects.get(venue=venue),
        "draft": make_article(venue.page, f"未发布草稿 draft-secret-{code}"),
        "image": make_image(venue.collection, f"图片 image-secret-{code}"),
        "document": make_document(venue.collection, f"文档 doc-secret-{code}"),
        # Searches below ask for the Chinese words, so a hit is never the query echoed back.
        "marker": f"draft-secret-{code}",
    }


def body_text(response):
    """The response body as text; JSON is re-encoded so that Chinese is not \\u-escaped."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(response.content), ensure_ascii=False)
    return response.content.decode()


def login(client, user):
    client.force_login(user)
    return client


def is_denied(response):
    """403/404, or a redirect away to the admin home or the login page (Wagtail's
    permission_denied), never the page asked for."""
    if response.status_code in DENIED_STATUSES:
        return True
    if response.status_code == 302:
        return response["Location"] in (reverse("wagtailadmin_home"), reverse("wagtailadmin_login"))
    return False


def article_post(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": "",
            "date": "2025-05-01",
            "summary": "",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def venue_page_post(intro):
    return nested_form_data(
        {"intro": rich_text(intro), "body": streamfield([]), "comments": inline_formset([])}
    )


def page_operations(page, revision_id):
    """(label, method, url, data) for every admin operation on one page."""
    pid = page.pk
    edit = reverse("wagtailadmin_pages:edit", args=[pid])
    post = (
        article_post("HACKED-TITLE")
        if isinstance(page.specific, ArticlePage)
        else venue_page_post("<p>HACKED-INTRO</p>")
    )
    add_article = reverse("wagtailadmin_pages:add", args=["portal", "articlepage", pid])
    return [
        ("edit GET", "get", edit, None),
        ("edit POST (save draft)", "post", edit, post),
        ("edit POST (publish)", "post", edit, {**post, "action-publish": "action-publish"}),
        ("edit POST (submit)", "post", edit, {**post, "action-submit": "action-submit"}),
        ("delete GET", "get", reverse("wagtailadmin_pages:delete", args=[pid]), None),
        ("delete POST", "post", reverse("wagtailadmin_pages:delete", args=[pid]), {}),
        ("preview POST", "post", reverse("wagtailadmin_pages:preview_on_edit", args=[pid]), post),
        ("preview GET", "get", reverse("wagtailadmin_pages:preview_on_edit", args=[pid]), None),
        ("view draft", "get", reverse("wagtailadmin_pages:view_draft", args=[pid]), None),
        ("add subpage", "get", reverse("wagtailadmin_pages:add_subpage", args=[pid]), None),
        ("add article GET", "get", add_article, None),
        ("add article POST", "post", add_article, article_post("HACKED-CHILD")),
        ("history", "get", reverse("wagtailadmin_pages:history", args=[pid]), None),
        ("history results", "get", reverse("wagtailadmin_pages:history_results", args=[pid]), None),
        (
            "revision view",
            "get",
            reverse("wagtailadmin_pages:revisions_view", args=[pid, revision_id]),
            None,
        ),
        (
            "revision compare",
            "get",
            reverse("wagtailadmin_pages:revisions_compare", args=[pid, "earliest", "latest"]),
            None,
        ),
        (
            "revision revert",
            "get",
            reverse("wagtailadmin_pages:revisions_revert", args=[pid, revision_id]),
            None,
        ),
        (
            "workflow history",
            "get",
            reverse("wagtailadmin_pages:workflow_history", args=[pid]),
            None,
        ),
        ("unpublish", "post", reverse("wagtailadmin_pages:unpublish", args=[pid]), {}),
        ("lock", "post", reverse("wagtailadmin_pages:lock", args=[pid]), {}),
        ("copy", "get", reverse("wagtailadmin_pages:copy", args=[pid]), None),
        ("move", "get", reverse("wagtailadmin_pages:move", args=[pid]), None),
        ("privacy", "get", reverse("wagtailadmin_pages:set_privacy", args=[pid]), None),
    ]


def listing_urls(other):
    """Admin and API listings, choosers and searches that could show the other venue's drafts."""
    page, draft = other["page"], other["draft"]
    parent = page.get_parent()
    home = Page.objects.get(depth=2)
    query = "未发布草稿"
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[parent.pk]),
        reverse("wagtailadmin_explore", args=[page.pk]),
        reverse("wagtailadmin_explore_results", args=[page.pk]),
        reverse("wagtailadmin_explore", args=[draft.pk]),
        reverse("wagtailadmin_explore", args=[home.pk]) + f"?q={query}&search_all=1",
        reverse("wagtailadmin_pages:search") + f"?q={query}",
        reverse("wagtailadmin_pages:search_results") + f"?q={query}",
        reverse("wagtailadmin_pages:usage", args=[draft.pk]),
        reverse("wagtailadmin_choose_page"),
        reverse("wagtailadmin_choose_page_child", args=[home.pk]),
        reverse("wagtailadmin_choose_page_child", args=[parent.pk]),
        reverse("wagtailadmin_choose_page_child", args=[page.pk]),
        reverse("wagtailadmin_choose_page_child", args=[draft.pk]),
        reverse("wagtailadmin_choose_page_search") + f"?q={query}",
        reverse("wagtailadmin_api:pages:listing") + f"?search={query}",
        reverse("wagtailadmin_api:pages:listing") + f"?child_of={page.pk}",
        reverse("wagtailadmin_api:pages:listing") + f"?child_of={page.pk}&for_explorer=1",
        reverse("wagtailadmin_api:pages:detail", args=[draft.pk]),
        reverse("wagtailapi:pages:listing") + f"?search={query}",
        reverse("wagtailapi:pages:listing") + f"?child_of={page.pk}",
        reverse("wagtailapi:pages:detail", args=[draft.pk]),
        reverse("wagtailapi:pages:find") + f"?id={draft.pk}",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/locked/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
    ]


def check_media_denied(client, other, problems):
    image, document = other["image"], other["document"]
    for label, method, url in (
        ("image edit", "get", reverse("wagtailimages:edit", args=[image.pk])),
        ("image edit POST", "post", reverse("wagtailimages:edit", args=[image.pk])),
        ("image delete", "get", reverse("wagtailimages:delete", args=[image.pk])),
        ("image delete POST", "post", reverse("wagtailimages:delete", args=[image.pk])),
        ("image chosen", "get", reverse("wagtailimages_chooser:chosen", args=[image.pk])),
        ("document edit", "get", reverse("wagtaildocs:edit", args=[document.pk])),
        ("document edit POST", "post", reverse("wagtaildocs:edit", args=[document.pk])),
        ("document delete", "get", reverse("wagtaildocs:delete", args=[document.pk])),
        ("document delete POST", "post", reverse("wagtaildocs:delete", args=[document.pk])),
        ("document chosen", "get", reverse("wagtaildocs_chooser:chosen", args=[document.pk])),
    ):
        data = {"title": "HACKED"} if method == "post" else None
        response = getattr(client, method)(url, data)
        if not is_denied(response):
            problems.append(f"{label}: {response.status_code}")
    image.refresh_from_db()
    document.refresh_from_db()
    if image.title == "HACKED" or document.title == "HACKED":
        problems.append("media title changed")

    image_marker = image.title.split()[-1]
    document_marker = document.title.split()[-1]
    image_query, document_query = image.title.split()[0], document.title.split()[0]
    for url in (
        reverse("wagtailimages:index"),
        reverse("wagtailimages:index_results") + f"?q={image_query}",
        reverse("wagtailimages_chooser:choose"),
        reverse("wagtailimages_chooser:choose_results") + f"?q={image_query}",
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:index_results") + f"?q={document_query}",
        reverse("wagtaildocs_chooser:choose"),
        reverse("wagtaildocs_chooser:choose_results") + f"?q={document_query}",
    ):
        text = body_text(client.get(url))
        if image_marker in text or document_marker in text:
            problems.append(f"media listed at {url}")


@pytest.mark.django_db
@pytest.mark.parametrize(("editor_key", "other_key"), OUTSIDE_PAIRS)
def test_editor_cannot_touch_another_venues_pages_or_media(client, network, editor_key, other_key):
    editor_venue, other_venue = network[editor_key], network[other_key]
    assert not other_venue.page.is_descendant_of(editor_venue.page)
    other = stock(other_venue)
    own = stock(editor_venue)
    login(client, editor_of(editor_venue))
    page_count = Page.objects.count()
    problems = []

    for target in (other["draft"], other["page"]):
        revision_id = target.latest_revision_id
        before = (target.live, target.draft_title)
        for label, method, url, data in page_operations(target, revision_id):
            response = getattr(client, method)(url, data)
            if not is_denied(response):
                problems.append(f"{target.title} {label}: {response.status_code} {url}")
        target.refresh_from_db()
        if (target.live, target.draft_title) != before or target.latest_revision_id != revision_id:
            problems.append(f"{target.title} was changed")
    if Page.objects.count() != page_count:
        problems.append("a page was created or deleted")
    if not Page.objects.filter(pk=other["draft"].pk, live=False).exists():
        problems.append("the draft was published or deleted")

    check_media_denied(client, other, problems)

    for url in listing_urls(other):
        response = client.get(url, follow=True)
        text = body_text(response)
        if other["marker"] in text:
            problems.append(f"draft title leaked by {url} ({response.status_code})")

    # The same listings and searches do show the editor's own draft and media, so the checks
    # above are not vacuous.
    for url, marker in (
        (reverse("wagtailadmin_explore", args=[own["page"].pk]), own["marker"]),
        (reverse("wagtailadmin_pages:search_results") + "?q=未发布草稿", own["marker"]),
        (reverse("wagtailadmin_choose_page_search") + "?q=未发布草稿", own["marker"]),
        (reverse("wagtailimages:index_results") + "?q=图片", own["image"].title),
        (reverse("wagtaildocs_chooser:choose_results") + "?q=文档", own["document"].title),
    ):
        if marker not in body_text(client.get(url)):
            problems.append(f"own content missing from {url}")
    assert not problems, "\n".join(problems)


def check_can_work_on(client, venue, problems):
    """The editor logged in on `client` can edit, preview and add under `venue`'s pages and
    edit its media."""
    content = stock(venue)
    draft, page = content["draft"], content["page"]
    edit = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.get(edit)
    if response.status_code != 200 or 'id="page-edit-form"' not in response.content.decode():
        problems.append(f"{venue.code}: edit GET {response.status_code}")
        return
    data = admin_page_form_data(response)
    data["title"] = f"改过的标题 {venue.code}"
    response = client.post(edit, data)
    draft.refresh_from_db()
    if response.status_code != 302 or draft.draft_title != data["title"] or draft.live:
        problems.append(f"{venue.code}: save draft {response.status_code}")

    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[draft.pk])
    response = client.post(preview, data)
    if response.status_code != 200 or not response.json().get("is_valid"):
        problems.append(f"{venue.code}: preview POST {response.status_code}")
    for label, url in (
        ("preview GET", preview),
        ("view draft", reverse("wagtailadmin_pages:view_draft", args=[draft.pk])),
        ("history", reverse("wagtailadmin_pages:history", args=[draft.pk])),
        ("edit own venue page", reverse("wagtailadmin_pages:edit", args=[page.pk])),
        ("add subpage", reverse("wagtailadmin_pages:add_subpage", args=[page.pk])),
        ("add article", reverse("wagtailadmin_pages:add", args=["portal", "articlepage", page.pk])),
        ("explore", reverse("wagtailadmin_explore", args=[page.pk])),
        ("image edit", reverse("wagtailimages:edit", args=[content["image"].pk])),
        ("document edit", reverse("wagtaildocs:edit", args=[content["document"].pk])),
    ):
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{venue.code}: {label} {response.status_code}")
    for label, url, marker in (
        ("image listing", reverse("wagtailimages:index"), content["image"].title),
        ("document listing", reverse("wagtaildocs:index"), content["document"].title),
        ("page chooser", reverse("wagtailadmin_choose_page_child", args=[page.pk]), data["title"]),
    ):
        if marker not in body_text(client.get(url)):
            problems.append(f"{venue.code}: {label} misses {marker}")


@pytest.mark.django_db
@pytest.mark.parametrize("key", LEVELS)
def test_editor_works_on_own_venue(client, network, key):
    login(client, editor_of(network[key]))
    problems = []
    check_can_work_on(client, network[key], problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("editor_key", "below_keys"),
    [
        pytest.param("liling", ["pukou", "shimen"], id="main-edits-its-branch-and-point"),
        pytest.param("pukou", ["shimen"], id="branch-edits-its-point"),
        pytest.param("hub", ["youxian", "huangfeng", "school"], id="hub-edits-the-network"),
    ],
)
def test_governing_editor_reaches_the_venues_below(client, network, editor_key, below_keys):
    """Permissions follow the page and collection subtrees: a venue's editors also edit the
    venues below it, which is how a main centre looks after its branches' sites."""
    login(client, editor_of(network[editor_key]))
    problems = []
    for key in below_keys:
        check_can_work_on(client, network[key], problems)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_editors_cannot_publish(client, network):
    """Editors only draft and submit; publishing is the governing moderators' (workflow)."""
    for key in ("hub", "liling", "pukou", "shimen"):
        venue = network[key]
        assert not venue.page.permissions_for_user(editor_of(venue)).can_publish()


@pytest.mark.django_db
def test_page_chooser_chosen_multiple_hides_other_venues_drafts(client, network):
    draft = make_article(network["youxian"].page, "未发布草稿 draft-secret-youxian")
    login(client, editor_of(network["liling"]))
    url = reverse("wagtailadmin_choose_page_chosen_multiple") + f"?id={draft.pk}"
    assert "draft-secret-youxian" not in body_text(client.get(url))


@pytest.mark.django_db
def test_own_pages_chosen_multiple_view_answers_only_for_choosable_pages(rf, network):
    """The replacement for Wagtail's chosen-multiple view, routed in portal/urls.py."""
    from portal.chooser import own_pages_chosen_multiple

    own = make_article(network["liling"].page, "醴陵草稿")
    other = make_article(network["youxian"].page, "未发布草稿 draft-secret-youxian")
    request = rf.get("/admin/choose-page/chosen-multiple/", {"id": [own.pk, other.pk]})
    request.user = editor_of(network["liling"])
    response = own_pages_chosen_multiple(request)
    assert response.status_code == 200
    result = json.loads(response.content)["result"]
    assert [item["id"] for item in result] == [own.pk]
    assert "draft-secret-youxian" not in body_text(response)
