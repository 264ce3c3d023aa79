"""Ownership in the catalogue admin (resources.admin_views + resources.permissions).

An editor of venue A sees venue B's public and staff-only entries read-only, never B's owner-only
ones (404, as if they did not exist: also when guessing ids), and cannot change or delete any of
B's entries. A's own entries are A's to edit. Superusers (hub administrators) do everything.

Wagtail answers a PermissionDenied inside the admin with a redirect to the dashboard and an error
message (a 403 for XMLHttpRequest); assert_denied checks exactly that.
"""

import io
import json
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from resources.forms import OWNER_REFUSED
from resources.models import ArtForm

from ..factories import editor_of, make_user, moderator_of
from .factories import (
    TINY_PDF,
    art_form,
    make_asset,
    make_course,
    make_heritage,
    make_programme,
    make_teacher,
    make_teaching_asset,
    make_two_venues,
)


@dataclass
class Spec:
    model_name: str
    make: object
    label: str  # the entry's title field
    add_fields: dict = field(default_factory=dict)
    upload: bool = False


SPECS = [
    Spec("teacher", make_teacher, "name"),
    Spec("course", make_course, "title", {"capacity": "12"}),
    Spec("programme", make_programme, "title", {"kind": "performance"}),
    Spec("mediaasset", make_asset, "title", {"kind": "document"}, upload=True),
    Spec("teachingasset", make_teaching_asset, "name", {"kind": "costume"}),
    Spec("heritageitem", make_heritage, "name", {"level": "county", "category": "drama"}),
]
PARAMS = [pytest.param(spec, id=spec.model_name) for spec in SPECS]


def url(spec, view, *args):
    return reverse(f"wagtailsnippets_resources_{spec.model_name}:{view}", args=args)


def chooser_url(spec, view="choose", *args):
    return reverse(f"wagtailsnippetchoosers_resources_{spec.model_name}:{view}", args=args)


def assert_denied(response):
    assert response.status_code == 302, response.status_code
    assert response["Location"] == reverse("wagtailadmin_home")


def sidebar_menu(client):
    """The admin sidebar's menu as text (its props are JSON with escaped Chinese)."""
    soup = WagtailTestUtils.get_soup(client.get(reverse("wagtailadmin_home")).content)
    props = json.loads(soup.select_one("#wagtail-sidebar-props").text)
    return json.dumps(props, ensure_ascii=False)


def label(spec, entry):
    return getattr(entry, spec.label)


def exists(entry):
    return type(entry).objects.filter(pk=entry.pk).exists()


def form_data(client, form_url):
    """The admin form at form_url as the browser would submit it (a dict of lists)."""
    response = client.get(form_url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    return {key: data.getlist(key) for key in data}


def fill_add_form(client, spec, owner, title):
    data = form_data(client, url(spec, "add"))
    data.update({"owner": [str(owner.pk)], "visibility": ["public"], spec.label: [title]})
    data.update({key: [value] for key, value in spec.add_fields.items()})
    if spec.model_name == "course":
        data["art_form"] = [str(art_form().pk)]
    if spec.upload:
        data["file"] = SimpleUploadedFile("leaflet.pdf", TINY_PDF, "application/pdf")
    return data


def xlsx_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture(autouse=True)
def _local_media(local_storage):
    return local_storage


@pytest.fixture
def venues(db):
    return make_two_venues()


def entries_of(spec, venues):
    a, b = venues["a"], venues["b"]
    return {
        "b_public": spec.make(b, visibility="public", **{spec.label: "攸县公开条目"}),
        "b_staff": spec.make(b, visibility="staff", **{spec.label: "攸县内部条目"}),
        "b_owner": spec.make(b, visibility="owner", **{spec.label: "攸县本馆机密"}),
        "a_own": spec.make(a, visibility="owner", **{spec.label: "醴陵本馆条目"}),
    }


@pytest.mark.parametrize("spec", PARAMS)
def test_editor_reads_other_venues_shared_entries_and_nothing_more(client, venues, spec):
    entries = entries_of(spec, venues)
    b_public, b_staff, b_owner = entries["b_public"], entries["b_staff"], entries["b_owner"]
    client.force_login(editor_of(venues["a"]))

    # The listing: B's public and staff entries and A's own, never B's owner-only one.
    listing = client.get(url(spec, "list")).content.decode()
    for visible in ("b_public", "b_staff", "a_own"):
        assert label(spec, entries[visible]) in listing
    assert "攸县本馆机密" not in listing
    # Edit links only on A's own entries.
    assert url(spec, "edit", entries["a_own"].pk) in listing
    assert url(spec, "edit", b_public.pk) not in listing
    # Searching for it does not find it either.
    found = client.get(url(spec, "list_results"), {"q": "机密"}).content.decode()
    assert "攸县本馆机密" not in found

    # Export of the listing: the same entries, no owner-only one of B.
    rows = xlsx_rows(client.get(url(spec, "list"), {"export": "xlsx"}))
    titles = {row[0] for row in rows[1:]}
    assert titles == {"攸县公开条目", "攸县内部条目", "醴陵本馆条目"}

    # Read-only views of B's shared entries; B's owner-only entry does not exist for A.
    inspect = client.get(url(spec, "inspect", b_staff.pk))
    assert inspect.status_code == 200
    if spec.upload:  # the file is linked through the permission-checked view
        assert reverse("resources:asset_file", args=[b_staff.pk]) in inspect.content.decode()
    assert client.get(url(spec, "inspect", b_owner.pk)).status_code == 404
    for view in ("history", "usage"):
        assert_denied(client.get(url(spec, view, b_public.pk)))
        assert client.get(url(spec, view, b_owner.pk)).status_code == 404
    # An id that was never used answers the same as B's owner-only entry.
    assert client.get(url(spec, "edit", 999_999)).status_code == 404
    # No copy view: a copy would carry B's data (a teacher's phone) into A's form.
    assert client.get(url(spec, "list") + f"copy/{b_public.pk}/").status_code == 404


@pytest.mark.parametrize("spec", PARAMS)
def test_editor_cannot_change_or_delete_other_venues_entries(client, venues, spec):
    entries = entries_of(spec, venues)
    client.force_login(editor_of(venues["a"]))
    # A well-formed submission, taken from A's own edit form.
    data = form_data(client, url(spec, "edit", entries["a_own"].pk))
    data[spec.label] = ["被篡改"]

    for key, denied in (("b_public", assert_denied), ("b_staff", assert_denied)):
        entry = entries[key]
        denied(client.get(url(spec, "edit", entry.pk)))
        denied(client.post(url(spec, "edit", entry.pk), data))
        denied(client.get(url(spec, "delete", entry.pk)))
        denied(client.post(url(spec, "delete", entry.pk)))
        entry.refresh_from_db()
        assert label(spec, entry) != "被篡改"
    # XMLHttpRequest gets Wagtail's plain 403.
    xhr = client.post(
        url(spec, "edit", entries["b_public"].pk), data, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert xhr.status_code == 403

    hidden = entries["b_owner"]
    assert client.get(url(spec, "edit", hidden.pk)).status_code == 404
    assert client.post(url(spec, "edit", hidden.pk), data).status_code == 404
    assert client.get(url(spec, "delete", hidden.pk)).status_code == 404
    assert client.post(url(spec, "delete", hidden.pk)).status_code == 404
    hidden.refresh_from_db()
    assert label(spec, hidden) == "攸县本馆机密"
    assert all(exists(entry) for entry in entries.values())


@pytest.mark.parametrize("spec", PARAMS)
def test_editor_edits_adds_and_deletes_own_entries(client, venues, spec):
    entries = entries_of(spec, venues)
    own = entries["a_own"]
    client.force_login(moderator_of(venues["a"]))  # the 审核 group counts as venue staff too

    data = form_data(client, url(spec, "edit", own.pk))
    data[spec.label] = ["醴陵改过的条目"]
    response = client.post(url(spec, "edit", own.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    own.refresh_from_db()
    assert label(spec, own) == "醴陵改过的条目"

    # Moving an own entry to venue B is refused like adding one for B.
    data["owner"] = [str(venues["b"].pk)]
    response = client.post(url(spec, "edit", own.pk), data)
    assert response.status_code == 200
    assert str(OWNER_REFUSED) in response.content.decode()
    own.refresh_from_db()
    assert own.owner == venues["a"]

    model = type(own)
    # Adding for venue B: refused with a Chinese form error, nothing saved.
    data = fill_add_form(client, spec, venues["b"], "替攸县添加")
    response = client.post(url(spec, "add"), data)
    assert response.status_code == 200
    assert str(OWNER_REFUSED) in response.content.decode()
    assert not model.objects.filter(**{spec.label: "替攸县添加"}).exists()
    # The owner field offers A only.
    soup = WagtailTestUtils.get_soup(client.get(url(spec, "add")).content)
    offered = {option["value"] for option in soup.select('select[name="owner"] option')}
    assert offered - {""} == {str(venues["a"].pk)}

    # Adding for A works.
    data = fill_add_form(client, spec, venues["a"], "醴陵新条目")
    response = client.post(url(spec, "add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = model.objects.get(**{spec.label: "醴陵新条目"})
    assert created.owner == venues["a"]

    response = client.post(url(spec, "delete", created.pk))
    assert response.status_code == 302
    assert not exists(created)


@pytest.mark.parametrize("spec", PARAMS)
def test_chooser_lists_only_entries_visible_to_the_user(client, venues, spec):
    entries = entries_of(spec, venues)
    client.force_login(editor_of(venues["a"]))

    for response in (
        client.get(chooser_url(spec)),
        client.get(chooser_url(spec, "choose_results")),
        client.get(chooser_url(spec, "choose_results"), {"q": "攸县"}),
    ):
        assert response.status_code == 200
        html = response.json()["html"] if "json" in response["Content-Type"] else ""
        html = html or response.content.decode()
        assert "攸县本馆机密" not in html
    listing = client.get(chooser_url(spec, "choose_results")).content.decode()
    for visible in ("b_public", "b_staff", "a_own"):
        assert label(spec, entries[visible]) in listing
    # The search matches part of a Chinese title.
    found = client.get(chooser_url(spec, "choose_results"), {"q": "公开"}).content.decode()
    assert "攸县公开条目" in found
    assert "醴陵本馆条目" not in found

    chosen = client.get(chooser_url(spec, "chosen", entries["b_public"].pk))
    assert chosen.status_code == 200
    assert chosen.json()["result"]["string"] == "攸县公开条目"
    assert client.get(chooser_url(spec, "chosen", entries["b_owner"].pk)).status_code == 404
    both = client.get(
        chooser_url(spec, "chosen_multiple"),
        {"id": [entries["b_public"].pk, entries["b_owner"].pk]},
    )
    assert both.status_code == 200
    assert [item["string"] for item in both.json()["result"]] == ["攸县公开条目"]


@pytest.mark.parametrize("spec", PARAMS)
def test_bulk_delete_respects_ownership(client, venues, spec):
    entries = entries_of(spec, venues)
    client.force_login(editor_of(venues["a"]))
    bulk = reverse("wagtail_bulk_action", args=["resources", spec.model_name, "delete"])
    b_public, b_owner, own = entries["b_public"], entries["b_owner"], entries["a_own"]

    # B's owner-only entry alone: as if it did not exist.
    assert client.get(bulk, {"id": [b_owner.pk]}).status_code == 404
    assert client.post(f"{bulk}?id={b_owner.pk}").status_code == 404

    # A mix: only A's own is deleted; B's shared one is listed as not deletable, B's owner-only
    # one is not even named.
    query = f"id={b_public.pk}&id={b_owner.pk}&id={own.pk}"
    confirm = client.get(f"{bulk}?{query}").content.decode()
    assert "攸县公开条目" in confirm
    assert "攸县本馆机密" not in confirm
    response = client.post(f"{bulk}?{query}")
    assert response.status_code == 302
    assert exists(b_public) and exists(b_owner)
    assert not exists(own)

    # "Select all in listing" reaches only entries the user may see, and deletes only own ones.
    spare = spec.make(venues["a"], **{spec.label: "醴陵另一条"})
    client.post(f"{bulk}?id=all")
    assert not exists(spare)
    assert all(exists(entries[key]) for key in ("b_public", "b_staff", "b_owner"))


def test_anonymous_is_sent_to_login(client, venues):
    login = reverse("wagtailadmin_login")
    teacher = make_teacher(venues["b"], visibility="public")
    for spec in SPECS[:1]:
        for target in (
            url(spec, "list"),
            url(spec, "list") + "?export=xlsx",
            url(spec, "add"),
            url(spec, "edit", teacher.pk),
            url(spec, "delete", teacher.pk),
            url(spec, "inspect", teacher.pk),
            chooser_url(spec),
            chooser_url(spec, "chosen", teacher.pk),
            reverse("wagtail_bulk_action", args=["resources", "teacher", "delete"])
            + f"?id={teacher.pk}",
        ):
            response = client.get(target)
            assert response.status_code == 302, target
            assert response["Location"].startswith(login), target
    assert client.post(url(SPECS[0], "delete", teacher.pk)).status_code == 302
    assert exists(teacher)


def test_admin_user_without_a_venue_gets_nothing(client, venues):
    spec = SPECS[0]
    make_teacher(venues["b"], visibility="public", name="攸县公开教师")
    outsider = make_user("outsider")
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(outsider)
    assert_denied(client.get(url(spec, "list")))
    assert_denied(client.get(url(spec, "add")))
    assert "攸县公开教师" not in client.get(chooser_url(spec, "choose_results")).content.decode()


@pytest.mark.parametrize("spec", PARAMS)
def test_superuser_does_everything(client, venues, spec):
    entries = entries_of(spec, venues)
    client.force_login(make_user("hub-admin", superuser=True))

    listing = client.get(url(spec, "list")).content.decode()
    assert all(label(spec, entry) in listing for entry in entries.values())
    hidden = entries["b_owner"]
    assert client.get(url(spec, "inspect", hidden.pk)).status_code == 200
    assert client.get(url(spec, "history", hidden.pk)).status_code == 200

    data = form_data(client, url(spec, "edit", hidden.pk))
    data[spec.label] = ["中心馆修改"]
    assert client.post(url(spec, "edit", hidden.pk), data).status_code == 302
    hidden.refresh_from_db()
    assert label(spec, hidden) == "中心馆修改"

    data = fill_add_form(client, spec, venues["b"], "中心馆替攸县添加")
    assert client.post(url(spec, "add"), data).status_code == 302
    assert type(hidden).objects.get(**{spec.label: "中心馆替攸县添加"}).owner == venues["b"]

    assert client.post(url(spec, "delete", entries["b_staff"].pk)).status_code == 302
    assert not exists(entries["b_staff"])


def test_art_forms_are_kept_by_the_hub(client, venues):
    add = reverse("wagtailsnippets_resources_artform:add")
    listing = reverse("wagtailsnippets_resources_artform:list")
    chinese_opera = ArtForm.objects.get_or_create(name="戏曲")[0]
    edit = reverse("wagtailsnippets_resources_artform:edit", args=[chinese_opera.pk])

    client.force_login(editor_of(venues["a"]))
    assert_denied(client.get(listing))
    assert_denied(client.get(add))
    assert_denied(client.post(add, {"name": "街舞", "sort_order": "5"}))
    assert_denied(client.post(edit, {"name": "改名", "sort_order": "1"}))
    assert not ArtForm.objects.filter(name__in=["街舞", "改名"]).exists()
    # ... but they choose from the vocabulary.
    choices = client.get(reverse("wagtailsnippetchoosers_resources_artform:choose_results"))
    assert "戏曲" in choices.content.decode()
    # The menu shows the catalogue without the vocabulary.
    menu = sidebar_menu(client)
    assert "共建共享" in menu
    assert url(SPECS[0], "list") in menu
    assert listing not in menu

    client.force_login(make_user("hub-admin", superuser=True))
    assert listing in sidebar_menu(client)
    assert client.get(listing).status_code == 200
    assert client.post(add, {"name": "街舞", "sort_order": "5"}).status_code == 302
    assert ArtForm.objects.filter(name="街舞").exists()


def test_art_form_vocabulary_is_seeded_once(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("resources.migrations.0002_art_forms")
    ArtForm.objects.all().delete()  # also covers databases flushed by transactional tests
    migration.seed_art_forms(apps, None)
    migration.seed_art_forms(apps, None)  # idempotent
    names = list(ArtForm.objects.values_list("name", flat=True))
    expected = [
        "声乐",
        "器乐",
        "舞蹈",
        "戏曲",
        "书法",
        "美术",
        "摄影",
        "文学",
        "非遗技艺",
        "曲艺",
        "朗诵",
        "广场舞",
    ]
    assert names == expected  # ArtForm's ordering is sort_order, then name
