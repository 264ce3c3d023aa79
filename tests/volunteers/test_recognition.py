"""Recognition: star levels at the hub's thresholds, the PDF certificate (one page, its text
readable), the public showcase of volunteers who agreed and of teams, the annual rankings."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import editor_of, make_user
from tests.training.factories import RESIDENT_PASSWORD
from volunteers import hours, recognition, signups
from volunteers.models import VolunteerSettings

from .factories import at, make_activity, make_grid, make_shift, make_team, make_volunteer

pytestmark = pytest.mark.django_db


def serve(volunteer, activity, start, hours_served, staff):
    """A confirmed record of `hours_served` hours starting at `start`."""
    shift = make_shift(activity, start, hours=hours_served, places=50)
    signup = signups.sign_up(volunteer, shift, now=start - timedelta(days=1))
    return hours.record_by_staff(signup, start, start + timedelta(hours=hours_served), staff)


@pytest.mark.parametrize(
    ("served", "level"),
    [
        ("0", 0),
        ("99.99", 0),
        ("100", 1),
        ("299.99", 1),
        ("300", 2),
        ("600", 3),
        ("999.99", 3),
        ("1000", 4),
        ("1499.99", 4),
        ("1500", 5),
        ("9000", 5),
    ],
)
def test_star_levels_at_the_default_thresholds(served, level):
    assert recognition.star_level(Decimal(served)) == level


def test_the_hub_changes_the_thresholds_and_they_must_rise():
    settings = VolunteerSettings.load()
    assert settings.thresholds() == {1: 100, 2: 300, 3: 600, 4: 1000, 5: 1500}
    settings.one_star_hours = 50
    settings.full_clean()
    settings.save()
    assert recognition.star_level(Decimal(50)) == 1
    settings.three_star_hours = 250
    with pytest.raises(ValidationError) as caught:
        settings.full_clean()
    assert "三星的时长必须多于二星（300 小时）" in caught.value.message_dict["three_star_hours"][0]


def test_settings_form_in_the_admin(client):
    client.force_login(make_user("hub-admin", superuser=True))
    pk = VolunteerSettings.load().pk
    url = reverse("wagtailsettings:edit", args=["volunteers", "volunteersettings", pk])
    response = client.post(
        url,
        {
            "one_star_hours": 100,
            "two_star_hours": 80,
            "three_star_hours": 600,
            "four_star_hours": 1000,
            "five_star_hours": 1500,
        },
    )
    assert response.status_code == 200
    assert "二星的时长必须多于一星（100 小时）" in response.content.decode()
    assert VolunteerSettings.load().two_star_hours == 300


@pytest.fixture
def served(network):
    grid = make_grid(network["pukou"], "浦口社区")
    team = make_team(network["pukou"], "浦口文艺轻骑兵", description="送戏下乡")
    activity = make_activity(network["pukou"], grid)
    staff = editor_of(network["pukou"])
    shown = make_volunteer(grid, consent=True, team=team, real_name="刘美华")
    hidden = make_volunteer(grid, consent=False, team=team, real_name="隐名者")
    for day in range(1, 13):  # 12 × 10 h = 120 h in 2025: one star
        serve(shown, activity, at(2025, 3, day, 8), 10, staff)
    serve(shown, activity, at(2026, 2, 1, 8), 5, staff)
    serve(hidden, activity, at(2025, 4, 1, 8), 8, staff)
    return {"shown": shown, "hidden": hidden, "team": team, "staff": staff}


def test_certificate_pdf_is_one_page_with_the_text(served):
    volunteer = served["shown"]
    pdf = recognition.certificate_pdf(volunteer, issued_on=at(2026, 3, 1).date())
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "文化志愿服务证书",
        "刘美华",
        "累计志愿服务 125.00 小时",
        "一星志愿者",
        "浦口文艺轻骑兵",
        "株洲市文化馆",
        "2026年3月1日",
        f"ZY2026{volunteer.pk:06d}",
    ):
        assert expected in text


def test_volunteers_and_their_venue_download_the_certificate(client, served, network):
    volunteer = served["shown"]
    client.login(username=volunteer.resident.phone, password=RESIDENT_PASSWORD)
    response = client.get(reverse("volunteers:certificate"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "刘美华" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    staff_url = reverse("volunteer_people:certificate", args=[volunteer.pk])
    client.force_login(served["staff"])
    assert client.get(staff_url).status_code == 200
    client.force_login(editor_of(network["youxian"]))
    assert client.get(staff_url).status_code == 404


def test_showcase_shows_only_volunteers_who_agreed(client, served):
    volunteers, teams = recognition.showcase()
    assert [v.name for v in volunteers] == ["刘美华"]
    assert volunteers[0].star_label == "一星志愿者"
    (team,) = teams
    assert (team.member_count, team.hours) == (2, Decimal("133.00"))
    assert [v.name for v in team.shown_members] == ["刘美华"]
    page = client.get(reverse("volunteers:showcase")).content.decode()
    assert "刘美华" in page and "浦口文艺轻骑兵" in page and "送戏下乡" in page
    assert "隐名者" not in page


def test_annual_rankings_count_the_year_only(client, served, network):
    grid = make_grid(network["liling"])
    other = make_volunteer(grid, consent=True, real_name="黄志强")
    serve(
        other,
        make_activity(network["liling"], grid),
        at(2025, 6, 1, 8),
        12,
        editor_of(network["liling"]),
    )

    volunteers, teams = recognition.rankings(2025)
    assert [(v.name, v.hours) for v in volunteers] == [
        ("刘美华", Decimal("120.00")),
        ("黄志强", Decimal("12.00")),
    ]
    assert [(t.name, t.hours) for t in teams] == [("浦口文艺轻骑兵", Decimal("128.00"))]
    volunteers, _teams = recognition.rankings(2026)
    assert [(v.name, v.hours) for v in volunteers] == [("刘美华", Decimal("5.00"))]

    page = client.get(reverse("volunteers:rankings"), {"year": 2025}).content.decode()
    assert page.index("刘美华") < page.index("黄志强")
    assert "隐名者" not in page
    assert client.get(reverse("volunteers:rankings"), {"year": "x"}).status_code == 200


def test_my_page_shows_hours_stars_and_the_qr_code(client, served):
    volunteer = served["shown"]
    client.login(username=volunteer.resident.phone, password=RESIDENT_PASSWORD)
    response = client.get(reverse("volunteers:me"))
    text = response.content.decode()
    assert "已确认服务 125.00 小时，一星志愿者" in text
    assert "再服务 175.00 小时" in text
    assert "<svg" in text and response["Cache-Control"] == "no-store"
