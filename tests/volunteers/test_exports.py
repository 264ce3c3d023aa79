"""Exports to .xlsx: hours per volunteer, team, venue and grid for a period (phone masked), and
service records with the national system's fields (ID number in full only for the exporting
staff's own volunteers)."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import editor_of, make_user
from tests.training.factories import make_resident
from training.validators import id_check_char
from volunteers import exports, hours, signups
from volunteers.rules import SERVICE_RECORD_COLUMNS

from .factories import at, make_activity, make_grid, make_shift, make_team, make_volunteer

pytestmark = pytest.mark.django_db

ID_PUKOU = "43028119600101001" + id_check_char("43028119600101001")
ID_YOUXIAN = "43022319700202002" + id_check_char("43022319700202002")


def rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def data(network):
    pukou, youxian = network["pukou"], network["youxian"]
    home = make_grid(pukou, "浦口社区")
    away = make_grid(youxian, "攸县城关")
    team = make_team(pukou, "浦口摄影队")
    mine = make_volunteer(
        home,
        team=team,
        resident=make_resident(phone="13812345678", real_name="本馆甲", id_number=ID_PUKOU),
    )
    theirs = make_volunteer(
        away,
        consent=True,
        resident=make_resident(phone="13987654321", real_name="外馆乙", id_number=ID_YOUXIAN),
    )
    staff = editor_of(pukou)
    activity = make_activity(pukou, home, "浦口读书月")
    shift = make_shift(activity, at(2026, 4, 23, 19), hours=4, places=5, role="讲解员")
    for volunteer, end in ((mine, at(2026, 4, 23, 23, 30)), (theirs, at(2026, 4, 23, 22))):
        signup = signups.sign_up(volunteer, shift, now=at(2026, 4, 1, 9))
        hours.record_by_staff(signup, at(2026, 4, 23, 19, 30), end, staff)
    return {"staff": staff, "mine": mine, "theirs": theirs, "network": network}


APRIL = (at(2026, 4, 1).date(), at(2026, 4, 30).date())


def test_hours_per_volunteer_mask_the_phone(data):
    table = rows(exports.hours_workbook("volunteer", data["staff"], *APRIL))
    assert table[0] == [
        "志愿者",
        "手机号",
        "所属场馆",
        "网格",
        "团队",
        "服务次数",
        "服务时长（小时）",
    ]
    # Only the staff's own venue's volunteers.
    assert table[1:] == [
        ["本馆甲", "138****5678", "醴陵市文化馆浦口分馆", "浦口社区", "浦口摄影队", 1, 4]
    ]
    hub = rows(exports.hours_workbook("volunteer", make_user("root", superuser=True), *APRIL))
    assert {row[0] for row in hub[1:]} == {"本馆甲", "外馆乙"}
    assert all("****" in row[1] for row in hub[1:])
    assert "13812345678" not in str(hub)


def test_hours_per_team_venue_and_grid(data):
    staff = data["staff"]
    assert rows(exports.hours_workbook("team", staff, *APRIL))[1:] == [
        ["浦口摄影队", "醴陵市文化馆浦口分馆", 1, 1, 4]
    ]
    assert rows(exports.hours_workbook("venue", staff, *APRIL))[1:] == [
        ["醴陵市文化馆浦口分馆", "醴陵市", 1, 2, 6.5]
    ]
    grids = {row[0]: row for row in rows(exports.hours_workbook("grid", staff, *APRIL))[1:]}
    assert grids["浦口社区"][3:] == [1, 1, 6.5]
    assert grids["攸县城关"][3:] == [1, 0, 0]
    may = (at(2026, 5, 1).date(), at(2026, 5, 31).date())
    assert rows(exports.hours_workbook("venue", staff, *may))[1:] == [
        ["醴陵市文化馆浦口分馆", "醴陵市", 1, 0, 0]
    ]


def test_service_records_with_the_national_fields(data):
    table = rows(exports.service_records_workbook(data["staff"], *APRIL))
    assert table[0] == [str(column) for column in SERVICE_RECORD_COLUMNS]
    by_name = {row[0]: row for row in table[1:]}
    mine, theirs = by_name["本馆甲"], by_name["外馆乙"]
    assert mine == [
        "本馆甲",
        "居民身份证",
        ID_PUKOU,  # the venue's own volunteer: in full, to report upward
        "138****5678",
        "浦口读书月",
        "醴陵市文化馆浦口分馆",
        "讲解员",
        "2026-04-23",
        "2026-04-23 19:30",
        "2026-04-23 23:30",
        4,
        "浦口社区",
    ]
    assert theirs[2] == ID_YOUXIAN[:6] + "********" + ID_YOUXIAN[-4:]
    assert theirs[10] == 2.5
    # The hub administrator gets every venue's records, every ID number masked.
    hub = rows(exports.service_records_workbook(make_user("root", superuser=True), *APRIL))
    assert len(hub) == 3 and ID_PUKOU not in str(hub)
    # Another venue's staff export their own activities' records: none here.
    assert rows(
        exports.service_records_workbook(editor_of(data["network"]["youxian"]), *APRIL)
    ) == [table[0]]


def test_export_view_downloads_xlsx(client, data):
    client.force_login(data["staff"])
    url = reverse("volunteer_exports:export")
    page = client.get(url)
    assert page.status_code == 200 and "全国志愿服务信息系统" in page.content.decode()
    response = client.get(url, {"kind": "records", "start": "2026-04-01", "end": "2026-04-30"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    assert "volunteer-records-20260401-20260430.xlsx" in response["Content-Disposition"]
    assert len(rows(response.content)) == 3
    bad = client.get(url, {"kind": "records", "start": "2026-04-30", "end": "2026-04-01"})
    assert (
        bad["Content-Type"].startswith("text/html")
        and "结束日期不能早于开始日期" in bad.content.decode()
    )
    assert (at(2026, 4, 30) - timedelta(days=29)).date() == APRIL[0]
