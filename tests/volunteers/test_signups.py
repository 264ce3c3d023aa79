"""Shift sign-ups: places counted on the shift row (a CHECK keeps them within the places), one
place per volunteer and shift, no two overlapping shifts for one volunteer, places given back
by cancelling, declining or deleting the volunteer."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tests.factories import editor_of
from tests.training.factories import RESIDENT_PASSWORD
from volunteers import signups
from volunteers.models import Shift, ShiftSignup, Volunteer, VolunteerStatus

from .factories import at, make_activity, make_grid, make_shift, make_volunteer

pytestmark = pytest.mark.django_db

NOW = at(2026, 5, 1, 9)


@pytest.fixture
def grid(network):
    return make_grid(network["pukou"])


@pytest.fixture
def activity(network, grid):
    return make_activity(network["pukou"], grid, "浦口端午文化节")


def taken(shift):
    return Shift.objects.get(pk=shift.pk).taken


def test_sign_up_takes_a_place_until_the_shift_is_full(activity, grid):
    shift = make_shift(activity, at(2026, 5, 2, 9), places=2)
    first, second, third = (make_volunteer(grid) for _ in range(3))
    assert signups.sign_up(first, shift, now=NOW).status == "signed_up"
    signups.sign_up(second, shift, now=NOW)
    with pytest.raises(ValidationError, match="该班次名额已满（2 人）"):
        signups.sign_up(third, shift, now=NOW)
    assert taken(shift) == 2
    assert not ShiftSignup.objects.filter(volunteer=third).exists()


def test_overlapping_shifts_for_one_volunteer_are_refused_and_nothing_changes(
    activity, grid, network
):
    volunteer = make_volunteer(grid)
    morning = make_shift(activity, at(2026, 5, 2, 9), hours=3, role="引导员")
    other = make_activity(network["liling"], make_grid(network["liling"]), "醴陵瓷博会")
    overlapping = make_shift(other, at(2026, 5, 2, 11), hours=3, role="讲解员")
    afterwards = make_shift(other, at(2026, 5, 2, 12), hours=2, role="摄影")  # starts at the end
    signups.sign_up(volunteer, morning, now=NOW)

    with pytest.raises(ValidationError) as caught:
        signups.sign_up(volunteer, overlapping, now=NOW)
    message = caught.value.messages[0]
    assert "时间重叠" in message and "浦口端午文化节 · 引导员" in message
    assert "2026-05-02 09:00–12:00" in message
    assert taken(overlapping) == 0
    assert not ShiftSignup.objects.filter(shift=overlapping).exists()
    # Back to back is not an overlap.
    signups.sign_up(volunteer, afterwards, now=NOW)
    assert taken(afterwards) == 1


def test_duplicates_unapproved_and_started_shifts_are_refused(activity, grid):
    shift = make_shift(activity, at(2026, 5, 2, 9))
    volunteer = make_volunteer(grid)
    signups.sign_up(volunteer, shift, now=NOW)
    with pytest.raises(ValidationError, match="不能重复报名"):
        signups.sign_up(volunteer, shift, now=NOW)
    pending = make_volunteer(grid, status=VolunteerStatus.PENDING)
    with pytest.raises(ValidationError, match="审核通过的志愿者"):
        signups.sign_up(pending, shift, now=NOW)
    with pytest.raises(ValidationError, match="已经开始"):
        signups.sign_up(make_volunteer(grid), shift, now=at(2026, 5, 2, 9))
    activity.published = False
    activity.save()
    with pytest.raises(ValidationError, match="尚未发布"):
        signups.sign_up(make_volunteer(grid), shift, now=NOW)
    assert taken(shift) == 1


def test_cancel_and_decline_give_the_place_back(activity, grid, network):
    shift = make_shift(activity, at(2026, 5, 2, 9), places=1)
    first, second = make_volunteer(grid), make_volunteer(grid)
    signup = signups.sign_up(first, shift, now=NOW)
    signups.cancel(signup, now=NOW)
    assert taken(shift) == 0
    with pytest.raises(ValidationError, match="已经已取消|已取消"):
        signups.cancel(signup, now=NOW)
    again = signups.sign_up(first, shift, now=NOW)  # a cancelled sign-up does not block
    staff = editor_of(network["pukou"])
    signups.decline(again, staff, now=NOW)
    assert taken(shift) == 0
    signups.confirm(signups.sign_up(second, shift, now=NOW), staff)
    with pytest.raises(ValidationError, match="班次已经开始"):
        signups.cancel(ShiftSignup.objects.get(volunteer=second), now=at(2026, 5, 2, 10))
    assert taken(shift) == 1


def test_database_refuses_overfilling_and_double_places_written_past_the_service(activity, grid):
    shift = make_shift(activity, at(2026, 5, 2, 9), places=1)
    volunteer = make_volunteer(grid)
    signups.sign_up(volunteer, shift, now=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(taken=F("taken") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ShiftSignup.objects.create(shift=shift, volunteer=volunteer, status="confirmed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(ends_at=F("starts_at"))
    assert taken(shift) == 1


def test_deleting_a_volunteer_gives_back_future_places(activity, grid):
    shift = make_shift(activity, timezone.now() + timedelta(days=3), places=3)
    volunteer = make_volunteer(grid)
    signups.sign_up(volunteer, shift)
    volunteer.resident.user.delete()  # the account goes, and everything with it
    assert not Volunteer.objects.exists()
    assert taken(shift) == 0


def test_places_cannot_drop_below_those_taken_in_the_admin(client, activity, grid, network):
    shift = make_shift(activity, timezone.now() + timedelta(days=3), places=3)
    for _ in range(2):
        signups.sign_up(make_volunteer(grid), shift)
    client.force_login(editor_of(network["pukou"]))
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    response = client.post(
        reverse("volunteer_shifts:edit", args=[shift.pk]),
        {
            "activity": activity.pk,
            "role": shift.role,
            "starts_at": f"{start:%Y-%m-%d %H:%M}",
            "ends_at": f"{end:%Y-%m-%d %H:%M}",
            "places": 1,
        },
    )
    assert response.status_code == 200
    assert "名额不能少于 2" in response.content.decode()
    assert Shift.objects.get(pk=shift.pk).places == 3


def test_public_activity_page_and_sign_up(client, activity, grid):
    shift = make_shift(activity, timezone.now() + timedelta(days=2), places=4, role="摄影")
    volunteer = make_volunteer(grid)
    page = client.get(reverse("volunteers:activity", args=[activity.pk]))
    assert page.status_code == 200 and "剩余 4 / 4 个名额" in page.content.decode()
    assert activity.title in client.get(reverse("volunteers:activities")).content.decode()

    client.login(username=volunteer.resident.phone, password=RESIDENT_PASSWORD)
    response = client.post(reverse("volunteers:sign_up", args=[shift.pk]), follow=True)
    assert "已报名“摄影”" in response.content.decode()
    assert taken(shift) == 1
    response = client.post(reverse("volunteers:sign_up", args=[shift.pk]), follow=True)
    assert "不能重复报名" in response.content.decode()
    signup = ShiftSignup.objects.get(volunteer=volunteer)
    response = client.post(reverse("volunteers:cancel", args=[signup.pk]), follow=True)
    assert "已取消报名" in response.content.decode()
    assert taken(shift) == 0
