"""Admission (入网): application → 现场考察 → 签订协议 → 人员培训 → 挂牌 → 运行中."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from network import admission_routing as routing
from network import admission_services as services
from network.admission import AdmissionEvent, Application, InspectionPhoto
from network.models import Township, Venue
from network.plan import AdmissionStage as S
from portal.models import VenuePage
from tests.factories import make_user, moderator_of

TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def notices(django_capture_on_commit_callbacks):
    """Tests run in one transaction: the after-commit e-mails are sent when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def townships(db):
    rows = [
        ("醴陵市", "东富镇"),
        ("醴陵市", "浦口镇"),
        ("攸县", "网岭镇"),
        ("天元区", "嵩山路街道"),
    ]
    for district, name in rows:
        Township.objects.create(
            district=district, name=name, population=40_000, latitude=27, longitude=113
        )


@pytest.fixture
def people(network, townships):
    return {
        "applicant": make_user("applicant"),
        "liling": moderator_of(network["liling"]),
        "youxian": moderator_of(network["youxian"]),
        "hub": moderator_of(network["hub"]),
    }


def branch_data(**overrides):
    data = {
        "organisation": "东富镇综合文化站",
        "level": "branch",
        "operator_type": "government",
        "place_name": "东富",
        "district": "醴陵市",
        "township": "东富镇",
        "address": "醴陵市东富镇政府旁",
        "floor_area": "420",
        "has_functional_rooms": "on",
        "staff_count": "2",
        "contact_name": "李站长",
        "contact_phone": "13812345678",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def school(applicant, **overrides):
    fields = {
        "organisation": "星光舞蹈培训学校",
        "level": "point",
        "operator_type": "training_school",
        "place_name": "星光舞蹈培训学校",
        "district": "天元区",
        "township": "",
        "address": "天元区泰山路 8 号",
        "floor_area": Decimal(260),
        "has_training_room": True,
        "staff_count": 3,
        "contact_name": "王校长",
        "contact_phone": "13900001111",
    }
    fields.update(overrides)
    return services.submit(applicant, Application(**fields))


def photo(name="site.png"):
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def inspection_post(checklist_size=5, **overrides):
    data = {
        "inspected_on": TODAY().isoformat(),
        "inspectors": "张三、李四",
        "conclusion": "pass",
        "notes": "",
        **{f"item_{i}": "1" for i in range(checklist_size)},
    }
    data.update(overrides)
    return data


def counts():
    return (Venue.objects.count(), Group.objects.count(), VenuePage.objects.count())


def all_pass(application):
    return dict.fromkeys(routing.checklist_items(application.level), True)


# --- the journeys ----------------------------------------------------------------------------


def test_township_branch_journey_through_the_county(client, people, network, notices):
    with notices():
        _journey(client, people, network)
    events = list(AdmissionEvent.objects.all())
    assert [e.action for e in events] == ["submit", "inspect", "sign", "train", "plaque"]
    assert [e.user for e in events] == [people["applicant"]] + [people["liling"]] * 4
    # The applicant and the county's reviewers heard of every step, but not of their own acts.
    applicant_mails = [m for m in mail.outbox if m.to == ["applicant@example.com"]]
    assert [m.subject.split("：")[0] for m in applicant_mails] == [
        "【入网申请】现场考察",
        "【入网申请】签订协议",
        "【入网申请】人员培训",
        "【入网申请】挂牌",
    ]
    assert "挂牌名称：醴陵市文化馆东富分馆" in applicant_mails[-1].body
    reviewer_mails = [m for m in mail.outbox if "liling-main-moderator@example.com" in m.to]
    assert [m.subject.split("：")[0] for m in reviewer_mails] == ["【入网申请】提交申请"]
    client.force_login(people["applicant"])
    timeline = client.get(f"/join/{events[0].application_id}/").content.decode()
    assert "运行中" in timeline and timeline.count("timeline__item") == 5


def _journey(client, people, network):
    client.force_login(people["applicant"])
    response = client.post("/join/", branch_data())
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == f"/join/{application.pk}/"
    assert application.reviewer == network["liling"]
    assert application.stage == S.INSPECTION
    page = client.get(response.url).content.decode()
    assert "醴陵市文化馆东富分馆" in page and "待现场考察" in page
    before = counts()

    reviewer = client
    reviewer.force_login(people["liling"])
    url = f"/admin/network/applications/{application.pk}/"
    detail = reviewer.get(url).content.decode()
    assert "138****5678" in detail and "13812345678" not in detail
    steps = [
        ("inspection", {**inspection_post(), "photos": [photo(), photo("b.png")]}, S.AGREEMENT),
        ("agreement", {"signed_on": TODAY().isoformat(), "generate": "on"}, S.TRAINING),
        (
            "training",
            {"trained_staff": "李站长、陈干事", "trained_on": TODAY().isoformat(), "trained_by": "株洲市群众艺术馆"},
            S.PLAQUE,
        ),
    ]  # fmt: skip
    for step, data, expected in steps:
        response = reviewer.post(url + step + "/", data)
        assert response.status_code == 302, response.content.decode()[-2000:]
        application.refresh_from_db()
        assert application.stage == expected
        assert counts() == before  # nothing provisioned before the plaque
        assert f"办理：{expected.label}" in reviewer.get(url).content.decode()
        assert not Venue.objects.filter(name="醴陵市文化馆东富分馆").exists()
    assert InspectionPhoto.objects.filter(application=application).count() == 2
    assert application.agreement_file.open("rb").read(5) == b"%PDF-"

    response = reviewer.post(url + "plaque/", {"plaqued_on": TODAY().isoformat(), "code": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    venue = application.venue
    assert application.stage == S.OPERATING
    assert venue.name == application.plaque_name == "醴陵市文化馆东富分馆"
    assert (venue.parent, venue.level, venue.township) == (network["liling"], "branch", "东富镇")
    assert venue.opened_on == TODAY() and venue.code.startswith("liling-dong")
    assert venue.page.live and venue.page.get_parent().specific.venue == network["liling"]
    assert venue.editors_group.name == "醴陵市文化馆东富分馆编辑"
    assert venue.moderators_group.name == "醴陵市文化馆东富分馆审核"
    assert counts() == (before[0] + 1, before[1] + 2, before[2] + 1)


def test_private_training_school_point_through_the_hub(people, network):
    application = school(people["applicant"])
    assert application.reviewer == network["hub"]
    assert routing.standard_name(application) == "株洲市群众艺术馆星光舞蹈培训学校服务点"
    # The county has no say over the hub's direct points.
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            people["liling"], application, TODAY(), "某某", all_pass(application), "pass"
        )
    hub = people["hub"]
    services.record_inspection(hub, application, TODAY(), "汪湛", all_pass(application), "pass")
    upload = SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed", content_type="application/pdf")
    services.sign_agreement(hub, application, TODAY(), upload=upload)
    services.record_training(hub, application, "王校长", TODAY(), "株洲市群众艺术馆")
    assert not Venue.objects.filter(code__startswith="hub-xing").exists()
    services.award_plaque(hub, application, TODAY())
    venue = Venue.objects.get(admission=application)
    assert venue.name == "株洲市群众艺术馆星光舞蹈培训学校服务点"
    assert venue.parent == network["hub"] and venue.operator_type == "training_school"
    assert venue.code == "hub-xing-guang-wu-dao-pei-xun-xue-xiao"
    assert venue.page.get_parent().specific.venue == network["hub"]
    assert Group.objects.filter(name=f"{venue.name}编辑").exists()
    application.refresh_from_db()
    assert application.agreement_file.open("rb").read() == b"%PDF-1.4 signed"


def test_the_hub_records_training_for_a_county_application(people, network):
    """人员培训 is organised by the hub: its reviewers may record it, but not inspect."""
    application = services.submit(people["applicant"], Application(**_model_fields()))
    with pytest.raises(PermissionDenied):
        services.record_inspection(
            people["hub"], application, TODAY(), "x", all_pass(application), "pass"
        )
    liling = people["liling"]
    services.record_inspection(liling, application, TODAY(), "张三", all_pass(application), "pass")
    services.sign_agreement(liling, application, TODAY(), generate=True)
    services.record_training(people["hub"], application, "李站长", TODAY(), "株洲市群众艺术馆")
    assert Application.objects.get().stage == S.PLAQUE


def _model_fields(**overrides):
    data = branch_data(**overrides)
    fields = {k: v for k, v in data.items() if k not in ("has_functional_rooms",)}
    fields.update(
        floor_area=Decimal(data["floor_area"]),
        staff_count=int(data["staff_count"]),
        has_functional_rooms="has_functional_rooms" in data,
    )
    return fields


# --- refusals and send-back ------------------------------------------------------------------


def test_unmet_requirements_are_listed_and_nothing_is_saved(client, people):
    client.force_login(people["applicant"])
    data = branch_data(floor_area="250", staff_count="0", has_functional_rooms=None)
    response = client.post("/join/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "面积 250 ㎡ 不足：分馆要求面积达到 300 ㎡ 以上。" in page
    assert "分馆要求功能用房齐备。" in page
    assert "分馆要求有专门人员（至少 1 名），申请中为 0 名。" in page
    assert not Application.objects.exists() and not mail.outbox


def test_the_hub_can_change_the_thresholds(people):
    from network.hub_settings import NetworkSettings

    settings = NetworkSettings.load()
    settings.point_min_floor_area = 300
    settings.save()
    with pytest.raises(ValidationError) as caught:
        school(people["applicant"])
    assert caught.value.messages == ["面积 260 ㎡ 不足：服务点要求面积达到 300 ㎡ 以上。"]
    with pytest.raises(ValidationError) as caught:
        school(people["applicant"], floor_area=Decimal(320), has_training_room=False)
    assert caught.value.messages == ["服务点要求有培训教室。"]


def test_send_back_and_resubmission(client, people, notices):
    application = services.submit(people["applicant"], Application(**_model_fields()))
    liling = people["liling"]
    services.record_inspection(liling, application, TODAY(), "张三", all_pass(application), "pass")
    with pytest.raises(ValidationError, match="退回时请填写理由"):
        services.send_back(liling, application, "  ")
    with notices():
        services.send_back(liling, application, "协议联系人与申请不一致，请更正联系人。")
    application.refresh_from_db()
    assert (application.stage, application.returned_from) == (S.RETURNED, S.AGREEMENT)
    assert "退回修改" in mail.outbox[-1].subject and "请更正联系人" in mail.outbox[-1].body
    # Only the applicant resubmits; routing fields stay.
    with pytest.raises(PermissionDenied):
        services.resubmit(liling, application, contact_name="赵")
    with pytest.raises(ValidationError, match="不能修改"):
        services.resubmit(people["applicant"], application, district="攸县")

    client.force_login(people["applicant"])
    page = client.get(f"/join/{application.pk}/").content.decode()
    assert "请更正联系人" in page and "重新提交" in page
    data = {
        k: v
        for k, v in branch_data(contact_name="陈站长").items()
        if k not in ("level", "operator_type", "district")
    }
    response = client.post(f"/join/{application.pk}/", data)  # fmt: skip
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.stage, application.contact_name) == (S.AGREEMENT, "陈站长")
    assert application.return_reason == "" and application.inspected_on == TODAY()
    actions = list(application.events.values_list("action", "to_stage"))
    assert actions[-2:] == [("send_back", S.RETURNED), ("resubmit", S.AGREEMENT)]


def test_rectify_and_fail_conclusions(people):
    liling = people["liling"]
    application = services.submit(people["applicant"], Application(**_model_fields()))
    results = {**all_pass(application), "消防与安全设施合格": False}
    with pytest.raises(ValidationError, match="不能为“通过”"):
        services.record_inspection(liling, application, TODAY(), "张三", results, "pass")
    with pytest.raises(ValidationError, match="说明原因"):
        services.record_inspection(liling, application, TODAY(), "张三", results, "rectify")
    services.record_inspection(
        liling, application, TODAY(), "张三", results, "rectify", "加装灭火器"
    )
    application.refresh_from_db()
    assert (application.stage, application.returned_from) == (S.RETURNED, S.INSPECTION)
    services.resubmit(people["applicant"], application, description="已加装灭火器")
    services.record_inspection(liling, application, TODAY(), "张三", results, "fail", "仍不合格")
    assert Application.objects.get().stage == S.REJECTED


# --- no skipping -------------------------------------------------------------------------------


def test_no_step_can_be_skipped_even_by_crafted_posts(client, people):
    application = services.submit(people["applicant"], Application(**_model_fields()))
    client.force_login(people["liling"])
    url = f"/admin/network/applications/{application.pk}/"
    before = counts()
    for step, data in (
        ("plaque", {"plaqued_on": TODAY().isoformat()}),
        ("training", {"trained_staff": "x", "trained_on": TODAY().isoformat(), "trained_by": "y"}),
        ("agreement", {"signed_on": TODAY().isoformat(), "generate": "on"}),
    ):
        response = client.post(url + step + "/", data)
        assert response.status_code == 400
        assert "各步骤须依次办理" in response.content.decode()
        application.refresh_from_db()
        assert application.stage == S.INSPECTION
    assert client.post(url + "bogus/", {}).status_code == 403
    assert counts() == before and not application.agreement_file
    assert list(application.events.values_list("action", flat=True)) == ["submit"]
    with pytest.raises(ValidationError, match="各步骤须依次办理"):
        services.award_plaque(people["liling"], application, TODAY())


def test_the_database_guard_refuses_a_stale_step(people):
    """Two reviewers load the same application; the second inspection finds it moved on."""
    application = services.submit(people["applicant"], Application(**_model_fields()))
    stale = Application.objects.get(pk=application.pk)
    services.record_inspection(people["liling"], application, TODAY(), "张三", all_pass(application), "pass")  # fmt: skip
    with pytest.raises(ValidationError, match="已不在“待现场考察”步骤"):
        services._move(stale, S.INSPECTION, S.AGREEMENT)
    # And the constraints: a venue exactly when operating.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(stage=S.OPERATING)


# --- permissions -------------------------------------------------------------------------------


def test_a_county_reviews_only_its_own_applicants(client, people, network):
    liling_app = services.submit(people["applicant"], Application(**_model_fields()))
    youxian_app = services.submit(
        people["applicant"],
        Application(**_model_fields(district="攸县", township="网岭镇", place_name="网岭", organisation="网岭镇综合文化站")),
    )  # fmt: skip
    assert youxian_app.reviewer == network["youxian"]
    client.force_login(people["youxian"])
    listing = client.get("/admin/network/applications/").content.decode()
    assert "网岭镇综合文化站" in listing and "东富镇综合文化站" not in listing
    url = f"/admin/network/applications/{liling_app.pk}/"
    assert client.get(url).status_code == 403
    response = client.post(url + "inspection/", inspection_post())
    assert response.status_code == 403
    liling_app.refresh_from_db()
    assert liling_app.stage == S.INSPECTION and not liling_app.inspected_on
    # The hub sees every application but inspects only its own points.
    client.force_login(people["hub"])
    assert client.get(url).status_code == 200
    assert client.post(url + "inspection/", inspection_post()).status_code == 403
    # Applicants see only their own, publicly.
    other = make_user("other")
    client.force_login(other)
    assert client.get(f"/join/{liling_app.pk}/").status_code == 404
    assert client.get(f"/admin/network/applications/{liling_app.pk}/").status_code in (302, 403)


def test_the_form_needs_a_login(client, townships):
    response = client.get("/join/")
    assert response.status_code == 302 and "/account/login/" in response.url


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"floor_area": "-20"}, "面积不能为负数。"),
        ({"floor_area": None}, "请填写面积。"),
        ({"township": "不存在镇"}, "乡镇/街道“不存在镇”不在醴陵市的乡镇/街道名单中，请核对。"),
        ({"township": ""}, "请填写所在乡镇/街道。"),
        ({"operator_type": "training_school"}, "社会艺术培训机构只能申请为服务点。"),
    ],
)
def test_bad_applications_are_refused_in_chinese(client, people, overrides, message):
    client.force_login(people["applicant"])
    response = client.post("/join/", branch_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Application.objects.exists() and not AdmissionEvent.objects.exists()


def test_an_inspection_dated_before_the_application_is_refused(client, people, media):
    application = services.submit(people["applicant"], Application(**_model_fields()))
    Application.objects.filter(pk=application.pk).update(applied_on=TODAY() - timedelta(days=3))
    client.force_login(people["liling"])
    day = TODAY() - timedelta(days=5)
    response = client.post(
        f"/admin/network/applications/{application.pk}/inspection/",
        {**inspection_post(inspected_on=day.isoformat()), "photos": [photo()]},
    )
    assert response.status_code == 400
    assert (
        f"考察日期 {day} 早于申请日期 {TODAY() - timedelta(days=3)}，请核对。"
        in response.content.decode()
    )
    application.refresh_from_db()
    assert application.stage == S.INSPECTION and application.inspected_on is None
    assert not InspectionPhoto.objects.exists() and not any(media.rglob("*.png"))
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(inspected_on=day)


def test_a_non_pdf_agreement_is_refused_without_leaving_a_file(people, media):
    application = services.submit(people["applicant"], Application(**_model_fields()))
    liling = people["liling"]
    services.record_inspection(liling, application, TODAY(), "张三", all_pass(application), "pass")
    upload = SimpleUploadedFile("x.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationError, match="须为 PDF"):
        services.sign_agreement(liling, application, TODAY(), upload=upload)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.sign_agreement(liling, application, TODAY() + timedelta(days=1), generate=True)
    assert Application.objects.get().stage == S.AGREEMENT
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_admin_pages_render(client, people):
    client.force_login(people["liling"])
    assert "代为提交申请" in client.get("/admin/network/applications/").content.decode()
    form = client.get("/admin/network/applications/new/").content.decode()
    assert "申请单位" in form and "醴陵市" in form
    response = client.post("/admin/network/applications/new/", branch_data())
    assert response.status_code == 302
    assert Application.objects.get().applicant == people["liling"]
    detail = client.get(response.url).content.decode()
    assert "办理：待现场考察" in detail and "消防与安全设施合格" in detail
    assert "退回修改" in detail
