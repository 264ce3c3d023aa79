"""Who sees what of a volunteer: the staff of the volunteer's venue everything; other venues only
approved volunteers who agreed to be shown, by name and hours; hub administrators manage all
with the numbers masked; activities, rosters and records stay with the organising venue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import editor_of, make_user, moderator_of
from tests.training.factories import make_resident
from training.validators import id_check_char
from volunteers import signups
from volunteers.models import Activity, Team, VolunteerStatus
from volunteers.permissions import volunteers_visible_to

from .factories import make_activity, make_grid, make_shift, make_team, make_volunteer

pytestmark = pytest.mark.django_db

ID = "43028119800101003" + id_check_char("43028119800101003")
LIST = reverse("volunteer_people:index")


@pytest.fixture
def people(network):
    pukou, youxian = network["pukou"], network["youxian"]
    home = make_grid(pukou, "浦口社区")
    away = make_grid(youxian, "攸县城关")
    return {
        "agreed": make_volunteer(
            home,
            consent=True,
            resident=make_resident(phone="13811112222", real_name="愿公开", id_number=ID),
        ),
        "private": make_volunteer(
            home, resident=make_resident(phone="13833334444", real_name="林私密")
        ),
        "pending": make_volunteer(
            home,
            consent=True,
            status=VolunteerStatus.PENDING,
            resident=make_resident(real_name="吴待批"),
        ),
        "away": make_volunteer(
            away, resident=make_resident(phone="13955556666", real_name="攸县人")
        ),
        "pukou": pukou,
        "youxian": youxian,
    }


def test_own_venue_sees_all_its_volunteers_in_full(client, people):
    client.force_login(moderator_of(people["pukou"]))
    text = client.get(LIST).content.decode()
    for shown in ("愿公开", "林私密", "吴待批", "13811112222", "13833334444"):
        assert shown in text
    assert "攸县人" not in text
    detail = client.get(
        reverse("volunteer_people:detail", args=[people["agreed"].pk])
    ).content.decode()
    assert "13811112222" in detail and ID in detail


def test_other_venues_see_only_agreed_volunteers_names_and_hours(client, people):
    client.force_login(editor_of(people["youxian"]))
    text = client.get(LIST).content.decode()
    assert "愿公开" in text and "攸县人" in text
    assert "林私密" not in text and "吴待批" not in text
    assert "13811112222" not in text and "138****2222" not in text
    detail = client.get(
        reverse("volunteer_people:detail", args=[people["agreed"].pk])
    ).content.decode()
    assert "愿公开" in detail and "服务时长" in detail
    assert "13811112222" not in detail and ID not in detail and "138****" not in detail
    assert (
        client.get(reverse("volunteer_people:detail", args=[people["private"].pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("volunteer_people:reassign", args=[people["agreed"].pk]), {}
        ).status_code
        == 404
    )


def test_hub_administrators_manage_everyone_with_numbers_masked(client, people):
    admin = make_user("root", superuser=True)
    assert volunteers_visible_to(admin).count() == 4
    client.force_login(admin)
    text = client.get(LIST).content.decode()
    assert "138****2222" in text and "13811112222" not in text
    detail = client.get(
        reverse("volunteer_people:detail", args=[people["agreed"].pk])
    ).content.decode()
    assert ID not in detail and ID[:6] + "********" + ID[-4:] in detail


def test_residents_and_strangers_reach_no_admin_view(client, people):
    client.force_login(people["agreed"].resident.user)
    for url in (LIST, reverse("volunteer_hours:index"), reverse("volunteer_exports:export")):
        assert client.get(url).status_code in (302, 403, 404)


def test_activities_and_rosters_stay_with_the_organising_venue(client, people, network):
    pukou_activity = make_activity(people["pukou"], make_grid(people["pukou"]), "浦口活动")
    make_activity(people["youxian"], make_grid(people["youxian"]), "攸县活动")
    shift = make_shift(pukou_activity, timezone.now() + timedelta(days=2))
    # A volunteer of another venue signs up: the roster names them with a masked phone.
    signups.sign_up(people["away"], shift)
    staff = editor_of(people["pukou"])
    client.force_login(staff)
    listing = client.get(reverse("volunteer_activities:index")).content.decode()
    assert "浦口活动" in listing and "攸县活动" not in listing
    roster = client.get(
        reverse("volunteer_rosters:roster", args=[pukou_activity.pk])
    ).content.decode()
    assert "攸县人" in roster and "139****6666" in roster and "13955556666" not in roster

    client.force_login(editor_of(people["youxian"]))
    assert (
        client.get(reverse("volunteer_rosters:roster", args=[pukou_activity.pk])).status_code == 404
    )
    assert (
        client.get(reverse("volunteer_activities:edit", args=[pukou_activity.pk])).status_code
        == 404
    )
    signup = shift.signups.get()
    assert client.post(reverse("volunteer_rosters:confirm", args=[signup.pk])).status_code == 404
    signup.refresh_from_db()
    assert signup.status == "signed_up"


def test_forms_offer_only_the_users_venues(client, people):
    make_team(people["youxian"], "攸县队")
    client.force_login(editor_of(people["pukou"]))
    add_team = client.get(reverse("volunteer_teams:add")).content.decode()
    assert "醴陵市文化馆浦口分馆" in add_team and "攸县文化馆" not in add_team
    response = client.post(
        reverse("volunteer_teams:add"),
        {"venue": people["youxian"].pk, "name": "冒名队", "description": "", "showcase": "on"},
    )
    assert response.status_code == 200
    assert not Team.objects.filter(name="冒名队").exists()
    response = client.post(
        reverse("volunteer_activities:add"),
        {
            "title": "越权活动",
            "venue": people["youxian"].pk,
            "grid": "",
            "location": "",
            "longitude": "",
            "latitude": "",
            "description": "",
            "published": "on",
        },
    )
    assert response.status_code == 200
    assert not Activity.objects.filter(title="越权活动").exists()
