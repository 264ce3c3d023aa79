"""At 挂牌 the applicant's account joins the new venue's editors, and is told so."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from network import admission_routing as routing
from network import admission_services as services
from network.admission import Application
from network.models import Township, Venue
from tests.factories import make_user, moderator_of

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def hub_reviewer(network):
    Township.objects.create(
        district="天元区", name="嵩山路街道", population=40_000, latitude=27, longitude=113
    )
    return moderator_of(network["hub"])


def school_fields(**overrides):
    return {
        "organisation": "星光舞蹈培训学校",
        "level": "point",
        "operator_type": "training_school",
        "place_name": "星光舞蹈培训学校",
        "district": "醴陵市",
        "address": "醴陵市瓷城大道 8 号",
        "floor_area": Decimal(260),
        "has_training_room": True,
        "staff_count": 3,
        "contact_name": "王校长",
        "contact_phone": "13900001111",
        **overrides,
    }


def up_to_plaque(reviewer, application):
    items = dict.fromkeys(routing.checklist_items(application.level), True)
    services.record_inspection(reviewer, application, TODAY(), "汪湛", items, "pass")
    upload = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    services.sign_agreement(reviewer, application, TODAY(), upload=upload)
    services.record_training(reviewer, application, "王校长", TODAY(), "株洲市群众艺术馆")


def test_the_applicant_edits_the_new_venue_from_the_plaque_on(
    hub_reviewer, django_capture_on_commit_callbacks
):
    applicant = make_user("xingguang")
    application = services.submit(applicant, Application(**school_fields()))
    up_to_plaque(hub_reviewer, application)
    assert not applicant.groups.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.award_plaque(hub_reviewer, application, TODAY())

    venue = Venue.objects.get(admission=application)
    assert list(applicant.groups.all()) == [venue.editors_group]  # not its moderators
    permissions = venue.page.permissions_for_user(applicant)
    assert permissions.can_edit() and not permissions.can_publish()
    assert applicant.has_perm("wagtailadmin.access_admin")
    plaque_mail = next(m for m in mail.outbox if m.subject.startswith("【入网申请】挂牌"))
    assert plaque_mail.to == ["xingguang@example.com"]
    assert f"已加入“{venue.editors_group.name}”" in plaque_mail.body
    assert "/admin/" in plaque_mail.body
    reviewer_mails = [m for m in mail.outbox if m.to != ["xingguang@example.com"]]
    assert all("已加入" not in m.body for m in reviewer_mails)


def test_a_refused_plaque_adds_nobody(hub_reviewer):
    applicant = make_user("xingguang")
    application = services.submit(applicant, Application(**school_fields()))
    up_to_plaque(hub_reviewer, application)
    with pytest.raises(ValidationError):
        services.award_plaque(hub_reviewer, application, TODAY() - timedelta(days=1))
    assert not applicant.groups.exists() and not Venue.objects.filter(admission=application)


def test_a_reviewer_submitting_on_someones_behalf_does_not_become_an_editor(client, hub_reviewer):
    client.force_login(hub_reviewer)
    data = {
        **{k: v for k, v in school_fields().items() if k != "has_training_room"},
        "has_training_room": "on",
        "township": "",
    }
    response = client.post("/admin/network/applications/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    application = Application.objects.get()
    assert application.applicant == hub_reviewer and application.submitted_on_behalf
    groups_before = set(hub_reviewer.groups.all())
    up_to_plaque(hub_reviewer, application)
    services.award_plaque(hub_reviewer, application, TODAY())
    venue = Venue.objects.get(admission=application)
    assert set(hub_reviewer.groups.all()) == groups_before
    assert not venue.editors_group.user_set.exists()
