"""/api/v1 for the volunteer service: public activities, one's own record and check-in code,
signing up and cancelling by session or bearer token, with Chinese refusals (409 for a held
place, an overlap or a full shift) that change nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import editor_of
from tests.training.factories import make_resident
from training.accounts import issue_token
from volunteers import hours
from volunteers.models import Shift, ShiftSignup, VolunteerStatus

from .factories import make_activity, make_grid, make_shift, make_volunteer

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def world(network):
    grid = make_grid(network["pukou"], "浦口社区")
    activity = make_activity(network["pukou"], grid, "浦口读书节")
    start = timezone.now() + timedelta(days=3)
    return {
        "grid": grid,
        "activity": activity,
        "one": make_shift(activity, start, hours=3, places=1, role="讲解员"),
        "overlap": make_shift(activity, start + timedelta(hours=1), hours=3, role="引导员"),
        "volunteer": make_volunteer(grid, real_name="孙丽"),
    }


def test_public_activity_list(client, world):
    hidden = make_activity(world["activity"].venue, world["grid"], "未发布", published=False)
    make_shift(hidden)
    body = client.get(f"{API}/volunteer-activities").json()
    assert [a["title"] for a in body] == ["浦口读书节"]
    assert {s["role"]: s["places_left"] for s in body[0]["shifts"]} == {"讲解员": 1, "引导员": 5}
    assert body[0]["shifts"][0]["starts_at"].endswith("+08:00")


def test_sign_up_by_bearer_token_and_refusals(client, world):
    volunteer = world["volunteer"]
    token, _expires = issue_token(volunteer.resident.user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"{API}/volunteer-shifts/{world['one'].pk}/signups"
    response = client.post(url, **auth)
    assert response.status_code == 201 and response.json()["status"] == "signed_up"

    again = client.post(url, **auth)
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    clash = client.post(f"{API}/volunteer-shifts/{world['overlap'].pk}/signups", **auth)
    assert clash.status_code == 409 and "时间重叠" in clash.json()["detail"]
    assert Shift.objects.get(pk=world["overlap"].pk).taken == 0

    other = make_volunteer(world["grid"])
    other_token, _expires = issue_token(other.resident.user)
    full = client.post(url, HTTP_AUTHORIZATION=f"Bearer {other_token}")
    assert full.status_code == 409 and "名额已满" in full.json()["detail"]

    me = client.get(f"{API}/me/volunteer", **auth).json()
    assert (me["status"], me["star_label"], me["grid"]) == ("approved", "未评星", "浦口社区")
    assert hours.volunteer_for_token(me["check_in_code"]) == volunteer
    (signup,) = me["signups"]
    # Someone else's sign-up is not found; one's own is cancelled.
    assert (
        client.delete(
            f"{API}/volunteer-signups/{signup['id']}", HTTP_AUTHORIZATION=f"Bearer {other_token}"
        ).status_code
        == 404
    )
    assert client.delete(f"{API}/volunteer-signups/{signup['id']}", **auth).status_code == 204
    assert ShiftSignup.objects.get(pk=signup["id"]).status == "cancelled"
    assert Shift.objects.get(pk=world["one"].pk).taken == 0


def test_who_may_use_the_api(client, world, network):
    url = f"{API}/volunteer-shifts/{world['one'].pk}/signups"
    assert client.post(url).status_code == 401
    client.force_login(editor_of(network["pukou"]))
    assert client.get(f"{API}/me/volunteer").status_code == 403
    pending = make_volunteer(world["grid"], status=VolunteerStatus.PENDING)
    client.force_login(pending.resident.user)
    body = client.get(f"{API}/me/volunteer").json()
    assert body["status"] == "pending" and body["check_in_code"] == ""
    refused = client.post(url)
    assert refused.status_code == 400 and "审核通过" in refused.json()["detail"]
    client.force_login(make_resident().user)
    assert client.get(f"{API}/me/volunteer").status_code == 404
    assert client.post(f"{API}/volunteer-shifts/999999/signups").status_code == 404


def test_the_endpoints_are_in_the_openapi_document(client, db):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/api/v1/volunteer-activities",
        "/api/v1/me/volunteer",
        "/api/v1/volunteer-shifts/{shift_id}/signups",
        "/api/v1/volunteer-signups/{signup_id}",
    ):
        assert path in paths
