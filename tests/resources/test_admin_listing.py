"""The catalogue listings in the admin: filters, search, export, and the masked teacher phone."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ..factories import editor_of, make_user
from .factories import art_form, make_course, make_teacher, make_two_venues

RAW_PHONE = "13812345678"
MASKED_PHONE = "138****5678"


def teacher_url(view="list", *args):
    return reverse(f"wagtailsnippets_resources_teacher:{view}", args=args)


def course_url(view="list", *args):
    return reverse(f"wagtailsnippets_resources_course:{view}", args=args)


def xlsx_rows(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def csv_rows(response):
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture(autouse=True)
def _local_media(local_storage):
    return local_storage


@pytest.fixture
def catalogue(db):
    venues = make_two_venues()
    a, b = venues["a"], venues["b"]
    vocal, dance = art_form("声乐"), art_form("舞蹈")
    teachers = {
        "a": make_teacher(a, name="醴陵王老师", phone=RAW_PHONE, art_forms=[vocal]),
        "b": make_teacher(b, name="攸县李老师", phone=RAW_PHONE, art_forms=[dance]),
        "b_owner": make_teacher(b, name="攸县机密老师", phone=RAW_PHONE, visibility="owner"),
    }
    courses = {
        "a_open": make_course(a, title="醴陵声乐班", art_form=vocal, status="open"),
        "a_draft": make_course(a, title="醴陵舞蹈班", art_form=dance, status="draft"),
        "b_open": make_course(b, title="攸县声乐班", art_form=vocal, status="open"),
    }
    return {**venues, "teachers": teachers, "courses": courses, "vocal": vocal, "dance": dance}


def test_teacher_phone_is_masked_everywhere_but_the_owners_edit_form(client, catalogue):
    teachers = catalogue["teachers"]
    client.force_login(editor_of(catalogue["a"]))

    listing = client.get(teacher_url()).content.decode()
    assert MASKED_PHONE in listing
    assert RAW_PHONE not in listing
    for pk in (teachers["a"].pk, teachers["b"].pk):
        inspect = client.get(teacher_url("inspect", pk)).content.decode()
        assert MASKED_PHONE in inspect
        assert RAW_PHONE not in inspect

    rows = xlsx_rows(client.get(teacher_url(), {"export": "xlsx"}))
    header, body = rows[0], rows[1:]
    phone_column = header.index("手机")
    assert {row[phone_column] for row in body} == {MASKED_PHONE}
    assert all(RAW_PHONE not in str(cell) for row in rows for cell in row)
    assert "攸县机密老师" not in {row[0] for row in body}
    # Readable cells: venue names, district, the art forms joined, the visibility's label.
    own = next(row for row in body if row[0] == "醴陵王老师")
    assert own[header.index("所属场馆")] == "醴陵市文化馆"
    assert own[header.index("区县")] == "醴陵市"
    assert own[header.index("艺术门类")] == "声乐"
    assert own[header.index("可见范围")] == "公开"

    rows = csv_rows(client.get(teacher_url(), {"export": "csv"}))
    assert rows[0][rows[0].index("手机")] == "手机"
    assert all(RAW_PHONE not in cell for row in rows for cell in row)
    assert {row[rows[0].index("手机")] for row in rows[1:]} == {MASKED_PHONE}

    # The raw number: in the owner venue's edit form, and only there.
    edit = client.get(teacher_url("edit", teachers["a"].pk)).content.decode()
    assert f'value="{RAW_PHONE}"' in edit


def test_superuser_exports_are_masked_too(client, catalogue):
    client.force_login(make_user("hub-admin", superuser=True))
    rows = xlsx_rows(client.get(teacher_url(), {"export": "xlsx"}))
    assert len(rows) == 1 + 3
    assert all(RAW_PHONE not in str(cell) for row in rows for cell in row)


def test_filters_by_venue_district_art_form_and_status(client, catalogue):
    a, b, vocal = catalogue["a"], catalogue["b"], catalogue["vocal"]
    client.force_login(editor_of(a))

    def titles(**params):
        rows = xlsx_rows(client.get(course_url(), {"export": "xlsx", **params}))
        return {row[0] for row in rows[1:]}

    assert titles() == {"醴陵声乐班", "醴陵舞蹈班", "攸县声乐班"}
    assert titles(owner=b.pk) == {"攸县声乐班"}
    assert titles(owner__district="醴陵市") == {"醴陵声乐班", "醴陵舞蹈班"}
    assert titles(art_form=vocal.pk) == {"醴陵声乐班", "攸县声乐班"}
    assert titles(status="open", owner=a.pk) == {"醴陵声乐班"}

    # The listing itself offers those filters, districts by name.
    listing = client.get(course_url()).content.decode()
    for name in ("owner", "owner__district", "art_form", "status", "visibility"):
        assert f'name="{name}"' in listing
    assert '<option value="攸县">攸县</option>' in listing

    results = client.get(course_url("list_results"), {"owner__district": "攸县"})
    assert "攸县声乐班" in results.content.decode()
    assert "醴陵声乐班" not in results.content.decode()

    teachers = xlsx_rows(
        client.get(teacher_url(), {"export": "xlsx", "art_forms": catalogue["dance"].pk})
    )
    assert [row[0] for row in teachers[1:]] == ["攸县李老师"]


def test_search_matches_chinese_substrings(client, catalogue):
    client.force_login(editor_of(catalogue["a"]))
    found = client.get(course_url("list_results"), {"q": "声乐"}).content.decode()
    assert "醴陵声乐班" in found and "攸县声乐班" in found
    assert "醴陵舞蹈班" not in found
    found = client.get(teacher_url("list_results"), {"q": "老师"}).content.decode()
    assert "攸县李老师" in found
    assert "攸县机密老师" not in found


def test_course_form_offers_only_visible_teachers(client, catalogue):
    teachers = catalogue["teachers"]
    client.force_login(editor_of(catalogue["a"]))
    form = client.get(course_url("add")).content.decode()
    assert "醴陵王老师" in form and "攸县李老师" in form
    assert "攸县机密老师" not in form

    # A crafted POST linking B's owner-only teacher is refused.
    own = catalogue["courses"]["a_open"]
    from wagtail.test.utils.form_data import querydict_from_html

    html = client.get(course_url("edit", own.pk)).content.decode()
    data = querydict_from_html(html, form_id="w-editor-form")
    data.setlist("teachers", [str(teachers["b_owner"].pk)])
    response = client.post(course_url("edit", own.pk), data)
    assert response.status_code == 200
    own.refresh_from_db()
    assert list(own.teachers.all()) == []
