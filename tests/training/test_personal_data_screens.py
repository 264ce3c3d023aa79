"""Phone and ID numbers masked on every screen and export: each admin screen, download and
resident page that shows a resident is rendered for the people who must see them masked, and
no full number may appear anywhere in the answer (HTML, JSON or the cells of a workbook)."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import editor_of, make_user
from tests.training.courses import offering_of, open_course
from tests.training.factories import RESIDENT_PASSWORD, make_resident
from tests.volunteers.factories import at, make_activity, make_grid, make_shift, make_volunteer
from training import enrolment as services
from training.validators import id_check_char
from volunteers import hours, signups

pytestmark = pytest.mark.django_db

PHONE = "13866667777"
ID_NUMBER = "43020319700305002" + id_check_char("43020319700305002")
FULL = (PHONE, ID_NUMBER, ID_NUMBER[6:14])  # the birth-date part says too much on its own
MASKED_PHONE = "138****7777"


def text_of(response):
    """Everything a person could read in the answer, workbooks cell by cell."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in response.get("Content-Type", ""):
        book = load_workbook(io.BytesIO(body))
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return body.decode()


@pytest.fixture
def world(network):
    pukou = network["pukou"]
    resident = make_resident(
        phone=PHONE, real_name="郑十一", id_number=ID_NUMBER, registered_at_venue=pukou
    )
    offering = offering_of(open_course(pukou, title="浦口书法"))
    services.enrol(resident, offering)
    grid = make_grid(pukou, "浦口社区")
    volunteer = make_volunteer(grid, consent=True, resident=resident)
    activity = make_activity(pukou, grid, "浦口读书月")
    shift = make_shift(activity, at(2026, 4, 23, 19), hours=4)
    signup = signups.sign_up(volunteer, shift, now=at(2026, 4, 1, 9))
    staff = editor_of(pukou)
    hours.record_by_staff(signup, at(2026, 4, 23, 19), at(2026, 4, 23, 23), staff)
    session = offering.course.sessions.order_by("date").first()
    return {
        "resident": resident,
        "offering": offering,
        "volunteer": volunteer,
        "activity": activity,
        "session": session,
        "staff": staff,
    }


def admin_urls(world):
    offering, resident = world["offering"], world["resident"]
    records = {"kind": "records", "start": "2026-04-01", "end": "2026-04-30"}
    by_volunteer = {**records, "kind": "volunteer"}
    return [
        (reverse("training_enrolments:detail", args=[offering.pk]), {}),
        (reverse("training_enrolments:roll", args=[offering.pk, world["session"].pk]), {}),
        (reverse("training_enrolments:export", args=[offering.pk]), {}),
        (reverse("residents:index"), {}),
        (reverse("residents:index"), {"export": "csv"}),
        (reverse("residents:index"), {"export": "xlsx"}),
        (reverse("residents:inspect", args=[resident.pk]), {}),
        (reverse("volunteer_people:index"), {}),
        (reverse("volunteer_people:detail", args=[world["volunteer"].pk]), {}),
        (reverse("volunteer_rosters:roster", args=[world["activity"].pk]), {}),
        (reverse("volunteer_exports:export"), by_volunteer),
        (reverse("volunteer_exports:export"), records),
        (reverse("volunteer_hours:index"), {}),
        (reverse("wagtailadmin_reports:site_history"), {}),
        (reverse("wagtailusers_users:index"), {}),
        (reverse("wagtailusers_users:index"), {"q": "1386666"}),
    ]


def test_hub_administrators_see_every_number_masked(client, world):
    """The hub manages everyone but is no venue that needs the numbers."""
    client.force_login(make_user("hub-root", superuser=True))
    shown_masked = 0
    for url, query in admin_urls(world):
        response = client.get(url, query)
        assert response.status_code == 200, (url, query, response.status_code)
        text = text_of(response)
        for number in FULL:
            assert number not in text, (url, query)
        shown_masked += MASKED_PHONE in text
    assert shown_masked >= 8  # the screens do show the resident, masked


def test_other_venues_staff_see_no_full_number(client, world, network):
    client.force_login(editor_of(network["youxian"]))
    for url, query in admin_urls(world):
        response = client.get(url, query)
        if response.status_code == 200:
            text = text_of(response)
            assert not any(number in text for number in FULL), (url, query)


def test_the_resident_s_own_pages_and_files_show_their_numbers_masked(client, world):
    client.login(username=PHONE, password=RESIDENT_PASSWORD)
    for name in ("account:home", "account:edit", "account:download", "volunteers:me"):
        text = text_of(client.get(reverse(name)))
        assert not any(number in text for number in FULL), name
    token = client.post(
        "/api/v1/auth/token",
        json.dumps({"phone": PHONE, "password": RESIDENT_PASSWORD}),
        content_type="application/json",
    ).json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["phone"] == MASKED_PHONE
    assert not any(number in me.content.decode() for number in FULL)


def test_wagtail_s_user_admin_lists_and_opens_staff_accounts_only(client, world):
    """A resident's user is named by the phone number: 用户 is for staff; residents are in 居民."""
    clerk = world["staff"]
    client.force_login(make_user("hub-root", superuser=True))
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert clerk.username in listing and PHONE not in listing
    resident_user = world["resident"].user.pk
    for view in ("edit", "delete", "history"):
        url = reverse(f"wagtailusers_users:{view}", args=[resident_user])
        assert client.get(url).status_code == 404, view
    assert client.get(reverse("wagtailusers_users:edit", args=[clerk.pk])).status_code == 200
