"""Becoming a volunteer: a logged-in resident applies on the public page, the staff of the
grid's venue approve (with a team) or reject (with a reason); a rejected resident may apply
again. Every decision is in Wagtail's log."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.factories import editor_of
from tests.training.factories import RESIDENT_PASSWORD, make_resident
from volunteers import applications
from volunteers.models import Volunteer, VolunteerStatus

from .factories import make_grid, make_team

pytestmark = pytest.mark.django_db

APPLY = reverse("volunteers:apply")


def details(**overrides):
    data = {
        "skills": ["photography", "dialect"],
        "skills_note": "",
        "availability": ["weekend_day"],
        "preferred_area": "浦口老街",
        "introduction": "退休教师，喜欢摄影。",
        "showcase_consent": True,
    }
    data.update(overrides)
    return data


def test_anonymous_visitors_are_sent_to_the_resident_login(client):
    response = client.get(APPLY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


def test_a_resident_applies_on_the_public_page(client, network):
    grid = make_grid(network["pukou"], "浦口社区")
    resident = make_resident(real_name="李桂兰")
    client.login(username=resident.phone, password=RESIDENT_PASSWORD)

    page = client.get(APPLY)
    assert page.status_code == 200 and "浦口社区" in page.content.decode()
    # Bad input: no skill, no time: Chinese errors, nothing written.
    response = client.post(APPLY, {"grid": grid.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "请至少选择一项特长" in text and "请至少选择一个可服务时间" in text
    assert not Volunteer.objects.exists()

    response = client.post(
        APPLY,
        {
            "grid": grid.pk,
            "skills": ["photography", "stewarding"],
            "availability": ["weekend_day", "holidays"],
            "preferred_area": "浦口老街",
            "showcase_consent": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("volunteers:me")
    volunteer = Volunteer.objects.get(resident=resident)
    assert volunteer.status == VolunteerStatus.PENDING
    assert volunteer.venue == network["pukou"]
    assert volunteer.skill_labels == ["摄影摄像", "活动引导与秩序维护"]
    assert volunteer.showcase_consent
    me = client.get(reverse("volunteers:me"))
    assert "您的申请正在审核中" in me.content.decode()
    # Applying again while pending leads to the status page, and the service refuses it.
    assert client.get(APPLY)["Location"] == reverse("volunteers:me")
    with pytest.raises(ValidationError, match="正在审核中"):
        applications.apply(resident, grid, **details())


def test_a_staff_account_without_a_resident_cannot_apply(client, network):
    client.force_login(editor_of(network["pukou"]))
    response = client.get(APPLY, follow=True)
    assert "该账号不是居民账号" in response.content.decode()


def test_unknown_skills_and_a_team_of_another_venue_are_refused(network):
    grid = make_grid(network["pukou"])
    resident = make_resident()
    with pytest.raises(ValidationError) as caught:
        applications.apply(resident, grid, **details(skills=["juggling"]))
    assert "未知的特长" in str(caught.value)
    assert not Volunteer.objects.exists()

    volunteer = applications.apply(resident, grid, **details())
    staff = editor_of(network["pukou"])
    other_team = make_team(network["liling"], "醴陵摄影队")
    with pytest.raises(ValidationError, match="不是该志愿者所属网格的场馆"):
        applications.approve(volunteer, staff, team=other_team)
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.PENDING and volunteer.team is None


def test_staff_of_the_grids_venue_approve_with_a_team(client, network):
    grid = make_grid(network["pukou"])
    team = make_team(network["pukou"], "浦口文艺轻骑兵")
    volunteer = applications.apply(make_resident(real_name="周建国"), grid, **details())
    staff = editor_of(network["pukou"])
    client.force_login(staff)
    detail = client.get(reverse("volunteer_people:detail", args=[volunteer.pk]))
    assert detail.status_code == 200 and "浦口文艺轻骑兵" in detail.content.decode()

    response = client.post(
        reverse("volunteer_people:approve", args=[volunteer.pk]), {"team": team.pk}, follow=True
    )
    assert "已通过 周建国 的志愿者申请" in response.content.decode()
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.team, volunteer.reviewed_by) == ("approved", team, staff)
    entry = ModelLogEntry.objects.for_instance(volunteer).get()
    assert (entry.action, entry.user) == (applications.APPROVED_ACTION, staff)
    # A second decision is refused.
    with pytest.raises(ValidationError, match="不能重复审核"):
        applications.reject(volunteer, staff, "重复")


def test_other_venues_cannot_review(client, network):
    volunteer = applications.apply(make_resident(), make_grid(network["pukou"]), **details())
    client.force_login(editor_of(network["youxian"]))
    url = reverse("volunteer_people:approve", args=[volunteer.pk])
    assert client.post(url, {}).status_code == 404
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.PENDING


def test_rejection_needs_a_reason_and_the_resident_may_apply_again(client, network):
    grid = make_grid(network["pukou"])
    resident = make_resident()
    volunteer = applications.apply(resident, grid, **details())
    staff = editor_of(network["pukou"])
    client.force_login(staff)
    reject = reverse("volunteer_people:reject", args=[volunteer.pk])
    response = client.post(reject, {"reason": "  "}, follow=True)
    assert "请填写不通过的原因" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.PENDING

    client.post(reject, {"reason": "请补充可服务时间"})
    volunteer.refresh_from_db()
    assert (volunteer.status, volunteer.review_note) == ("rejected", "请补充可服务时间")
    entry = ModelLogEntry.objects.for_instance(volunteer).get()
    assert entry.data == {"reason": "请补充可服务时间"}

    again = applications.apply(resident, grid, **details(availability=["holidays"]))
    assert again.pk == volunteer.pk
    assert (again.status, again.review_note, again.availability) == ("pending", "", ["holidays"])
