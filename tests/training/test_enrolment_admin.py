"""培训报名 in the admin: who sees which offerings, personal data shown in full only to the
course's own venue, front-desk enrolment, cancelling with promotion, reopening, the rules form
(报名设置) and the word on places held above a lowered number."""

import io
import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from portal.spreadsheets import XLSX_CONTENT_TYPE
from tests.factories import editor_of, make_user, moderator_of
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from training import attendance
from training import enrolment as services
from training.models import Enrolment

pytestmark = pytest.mark.django_db

ID_NUMBER = "43020219800101001X"


@pytest.fixture
def setup(network):
    course = open_course(network["liling"], title="醴陵剪纸", capacity=1)
    offering = offering_of(course)
    holder = make_resident(real_name="钱七", phone="13811112222", id_number=ID_NUMBER)
    waiting = make_resident(real_name="孙八")
    services.enrol(holder, offering)
    services.enrol(waiting, offering)
    return course, offering, holder, waiting


def detail_url(offering):
    return reverse("training_enrolments:detail", args=[offering.pk])


def test_menu_and_listing_show_only_the_venue_s_own_offerings(client, network, setup):
    _course, offering, *_ = setup
    other = offering_of(open_course(network["youxian"], title="攸县花鼓戏"))
    client.force_login(editor_of(network["liling"]))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert json.dumps("培训报名")[1:-1] in home and json.dumps("报名设置")[1:-1] in home
    listing = client.get(reverse("training_enrolments:index")).content.decode()
    assert "醴陵剪纸" in listing and "攸县花鼓戏" not in listing
    assert "1 / 1" in listing
    assert client.get(detail_url(other)).status_code == 404
    settings_list = client.get(reverse("training_offerings:index")).content.decode()
    assert "醴陵剪纸" in settings_list and "攸县花鼓戏" not in settings_list

    outsider = make_user("no-venue")
    client.force_login(outsider)
    assert client.get(detail_url(offering)).status_code in (302, 404)


def test_id_and_phone_in_full_only_for_the_course_s_own_venue(client, network, setup):
    _course, offering, *_ = setup
    client.force_login(moderator_of(network["liling"]))
    page = client.get(detail_url(offering)).content.decode()
    assert ID_NUMBER in page and "13811112222" in page

    client.force_login(make_user("hub-admin", superuser=True))
    page = client.get(detail_url(offering)).content.decode()
    assert ID_NUMBER not in page and "13811112222" not in page
    assert "430202********001X" in page and "138****2222" in page
    assert "手机号和身份证号仅对本馆工作人员完整显示" in page

    # The hub's own staff are not the course venue's staff either.
    client.force_login(editor_of(network["hub"]))
    assert client.get(detail_url(offering)).status_code == 404


def test_front_desk_enrolment_by_phone(client, network, setup):
    _course, offering, *_ = setup
    clerk = editor_of(network["liling"])
    client.force_login(clerk)
    newcomer = make_resident(real_name="周九", phone="13622223333")
    url = reverse("training_enrolments:enrol", args=[offering.pk])
    html = client.post(url, {"phone": "136 2222 3333"}, follow=True).content.decode()
    assert "名额已满，周九 已进入候补名单（第 2 位）。" in html
    enrolment = services.active_enrolment(newcomer, offering)
    assert (enrolment.status, enrolment.registered_by) == ("waitlisted", clerk)

    html = client.post(url, {"phone": "13622223333"}, follow=True).content.decode()
    assert "周九：您已在候补名单中（第 2 位），不能重复报名。" in html
    html = client.post(url, {"phone": "13900000000"}, follow=True).content.decode()
    assert "没有找到使用该手机号的居民" in html
    assert Enrolment.objects.count() == 3


def test_staff_cancel_promotes_the_first_waiting(client, network, setup):
    _course, offering, holder, waiting = setup
    client.force_login(editor_of(network["liling"]))
    enrolment = services.active_enrolment(holder, offering)
    url = reverse("training_enrolments:cancel", args=[offering.pk, enrolment.pk])
    html = client.post(url, follow=True).content.decode()
    assert "已取消 钱七 的报名。候补的 孙八 已转为正式报名。" in html
    assert services.active_enrolment(waiting, offering).status == "enrolled"
    html = client.post(url, follow=True).content.decode()
    assert "该报名已经取消。" in html

    client.force_login(editor_of(network["youxian"]))
    assert client.post(url).status_code == 404


def test_reopen_a_started_course_with_free_places(client, network):
    course = open_course(network["liling"], capacity=3, first_day_in=-1, sessions=3)
    offering = offering_of(course)
    client.force_login(editor_of(network["liling"]))
    page = client.get(detail_url(offering)).content.decode()
    assert "重新开放报名" in page
    url = reverse("training_enrolments:reopen", args=[offering.pk])
    until = timezone.localtime() + timedelta(days=2)
    html = client.post(url, {"until": until.strftime("%Y-%m-%dT%H:%M")}, follow=True)
    assert "已重新开放报名，截止到" in html.content.decode()
    offering.refresh_from_db()
    assert offering.reopened_until is not None
    assert services.enrol(make_resident(), offering).status == "enrolled"

    html = client.post(url, {"until": "明天"}, follow=True).content.decode()
    assert "请填写有效的补报名截止时间。" in html


def test_rules_form_saves_and_refuses_bad_values_in_chinese(client, network, setup):
    _course, offering, *_ = setup
    client.force_login(editor_of(network["liling"]))
    url = reverse("training_offerings:edit", args=[offering.pk])
    assert client.get(url).status_code == 200
    data = {
        "opens_at": "",
        "closes_at": "",
        "min_age": "10",
        "max_age": "6",
        "waitlist_limit": "5",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "最小年龄不能大于最大年龄。" in response.content.decode()
    offering.refresh_from_db()
    assert (offering.min_age, offering.max_age) == (None, None)

    data.update(min_age="6", max_age="12", requires_id_number="on")
    response = client.post(url, data)
    assert response.status_code == 302
    offering.refresh_from_db()
    assert (offering.min_age, offering.max_age, offering.requires_id_number) == (6, 12, True)
    assert offering.waitlist_limit == 5

    client.force_login(editor_of(network["youxian"]))
    assert client.get(url).status_code == 404
    assert client.post(url, data | {"min_age": "1"}).status_code == 404
    assert client.get(reverse("training_offerings:history", args=[offering.pk])).status_code == 404
    assert client.get(reverse("training_offerings:add")).status_code in (302, 403)
    assert client.post(reverse("training_offerings:delete", args=[offering.pk])).status_code in (
        302,
        403,
        404,
    )
    assert offering_of(offering.course).pk == offering.pk


def test_lowering_places_under_the_enrolled_is_explained(client, network):
    course = open_course(network["liling"], capacity=3)
    offering = offering_of(course)
    for _ in range(3):
        services.enrol(make_resident(), offering)
    course.capacity = 1
    course.save()
    client.force_login(editor_of(network["liling"]))
    page = client.get(detail_url(offering)).content.decode()
    assert "名额已改为 1，但目前已有 3 人报名：不会取消任何人的报名" in page
    edit = client.get(reverse("training_offerings:edit", args=[offering.pk])).content.decode()
    assert "名额已改为 1" in edit


def test_saving_a_course_with_fewer_places_than_enrolled_warns_the_editor(client, network):
    from wagtail.test.utils.form_data import querydict_from_html

    course = open_course(network["liling"], capacity=2)
    offering = offering_of(course)
    for _ in range(2):
        services.enrol(make_resident(), offering)
    client.force_login(editor_of(network["liling"]))
    url = reverse("wagtailsnippets_resources_course:edit", args=[course.pk])
    form = querydict_from_html(client.get(url).content.decode(), form_id="w-editor-form")
    form["capacity"] = "1"
    html = client.post(url, form, follow=True).content.decode()
    assert "名额已改为 1，但目前已有 2 人报名" in html
    offering.refresh_from_db()
    assert (offering.capacity, offering.enrolled) == (2, 2)


def test_staff_enrol_and_cancel_are_in_the_audit_log_with_the_resident_masked(
    client, network, setup
):
    _course, offering, holder, _waiting = setup
    clerk = editor_of(network["liling"])
    client.force_login(clerk)
    newcomer = make_resident(real_name="周九", phone="13622223333")
    client.post(reverse("training_enrolments:enrol", args=[offering.pk]), {"phone": "13622223333"})
    enrolment = services.active_enrolment(holder, offering)
    client.post(reverse("training_enrolments:cancel", args=[offering.pk, enrolment.pk]))

    entries = ModelLogEntry.objects.filter(action__startswith="training.enrolment.")
    enrol_entry = entries.get(action=services.STAFF_ENROLLED)
    cancel_entry = entries.get(action=services.STAFF_CANCELLED)
    assert (enrol_entry.user, cancel_entry.user) == (clerk, clerk)
    assert enrol_entry.data["resident"] == newcomer.pk
    assert enrol_entry.data["status"] == "waitlisted"
    assert cancel_entry.object_id == str(enrolment.pk)
    logged = json.dumps(
        [(e.label, e.data) for e in (enrol_entry, cancel_entry)], ensure_ascii=False
    )
    for personal in ("周九", "钱七", "13622223333", "3333", "13811112222", ID_NUMBER):
        assert personal not in logged
    assert f"居民 #{newcomer.pk}" in enrol_entry.label
    assert log_registry.action_exists(services.STAFF_ENROLLED)
    assert log_registry.action_exists(services.STAFF_CANCELLED)
    assert enrol_entry.message == "工作人员代为报名，进入候补（序号 2）"

    client.force_login(make_user("hub-admin", superuser=True))
    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert "代居民报名" in history and "代居民取消报名" in history
    # A resident's own enrolment is not staff action: nothing is logged.
    services.enrol(make_resident(), offering_of(open_course(network["liling"])))
    assert entries.count() == 2


def test_staff_export_the_enrolment_list_as_xlsx_with_numbers_masked(client, network, setup):
    _course, offering, holder, waiting = setup
    first_session = offering.course.sessions.order_by("date").first()
    attendance.take_roll(
        offering, first_session, [services.active_enrolment(holder, offering).pk], None
    )
    services.enrol(make_resident(real_name="李十"), offering)  # second in line
    client.force_login(moderator_of(network["liling"]))  # sees full numbers on screen
    detail = client.get(detail_url(offering)).content.decode()
    url = reverse("training_enrolments:export", args=[offering.pk])
    assert url in detail

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="enrolments-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "状态",
        "候补序号",
        "姓名",
        "手机号",
        "身份证号",
        "报名时间",
        "前台代报名",
        "出勤次数",
        "课次数",
    ]
    people = [(r[0], r[1], r[2], r[3], r[4], r[7], r[8]) for r in rows[1:]]
    assert people == [
        ("已报名", None, "钱七", "138****2222", "430202********001X", 1, 3),
        ("候补中", 1, "孙八", waiting.masked_phone, None, 0, 3),
        ("候补中", 2, "李十", people[2][3], None, 0, 3),
    ]
    assert "13811112222" not in str(rows) and ID_NUMBER not in str(rows)

    client.force_login(editor_of(network["youxian"]))
    assert client.get(url).status_code == 404
