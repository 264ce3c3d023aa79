"""The resident's download (training/my_data.py) holds everything kept about them: the account,
app logins, enrolments with attendance and ratings, the volunteer application with its shifts
and service records, and when staff saw their full numbers; the numbers themselves masked."""

import json

import pytest
from django.urls import reverse

from tests.factories import editor_of
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from tests.volunteers.factories import at, make_activity, make_grid, make_shift, make_volunteer
from training import accounts
from training import enrolment as services
from training.validators import id_check_char
from volunteers import hours, signups

pytestmark = pytest.mark.django_db

PHONE = "13877778888"
ID_NUMBER = "43020319700305002" + id_check_char("43020319700305002")


def test_the_download_holds_everything_kept_about_the_resident(client, network):
    pukou = network["pukou"]
    resident = make_resident(phone=PHONE, real_name="冯十二", id_number=ID_NUMBER)
    offering = offering_of(open_course(pukou, title="浦口国画"))
    services.enrol(resident, offering)
    grid = make_grid(pukou, "浦口社区")
    volunteer = make_volunteer(grid, resident=resident)
    signup = signups.sign_up(
        volunteer,
        make_shift(make_activity(pukou, grid, "浦口读书月"), at(2026, 4, 23, 19)),
        now=at(2026, 4, 1, 9),
    )
    staff = editor_of(pukou)
    hours.record_by_staff(signup, at(2026, 4, 23, 19), at(2026, 4, 23, 22), staff)
    accounts.issue_token(resident.user)
    client.force_login(staff)
    client.get(reverse("volunteer_people:detail", args=[volunteer.pk]))  # full numbers: logged

    client.force_login(resident.user)
    body = client.get(reverse("account:download")).content.decode()
    data = json.loads(body)

    assert PHONE not in body and ID_NUMBER not in body and staff.username not in body
    assert data["account"]["id_number"] == resident.masked_id_number
    assert data["account"]["real_name"] == "冯十二"
    [login] = data["app_logins"]
    assert login["created"] and login["revoked_at"] is None
    [enrolment] = data["enrolments"]
    assert enrolment["offering"] == "浦口国画" and enrolment["status"] == "已报名"
    assert data["volunteer"]["grid"] == str(grid)
    [shift] = data["volunteer"]["signups"]
    assert shift["shift"] and shift["record"]["hours"] == "3.00"
    [seen] = data["number_views"]
    assert seen["where"] == "志愿者资料" and seen["fields"] == ["phone", "id_number"]
    assert "id_number_hash" not in body  # a key, not the resident's data
