"""Enrolling from the public pages: a course's page and an event's page, as a resident, a
visitor and a staff member; refusals shown in Chinese with nothing changed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import editor_of
from tests.training.courses import offering_of, open_course, publish_event
from tests.training.factories import make_resident
from training import enrolment as services
from training.models import Enrolment

pytestmark = pytest.mark.django_db


def test_resident_enrols_waits_and_cancels_on_the_course_page(client, network):
    course = open_course(network["liling"], capacity=1)
    offering = offering_of(course)
    page_url = reverse("training:course", args=[course.pk])
    first, second = make_resident(), make_resident()

    client.force_login(first.user)
    response = client.post(reverse("training:enrol", args=[course.pk]), follow=True)
    assert response.redirect_chain == [(page_url, 302)]
    html = response.content.decode()
    assert "报名成功！" in html and "已报名" in html and "取消报名" in html

    client.force_login(second.user)
    assert "名额已满，加入候补" in client.get(page_url).content.decode()
    html = client.post(reverse("training:enrol", args=[course.pk]), follow=True).content.decode()
    assert "您已进入候补名单，现排第 1 位" in html and "候补中" in html
    html = client.post(reverse("training:enrol", args=[course.pk]), follow=True).content.decode()
    assert "您已在候补名单中（第 1 位），不能重复报名。" in html
    assert Enrolment.objects.count() == 2

    client.force_login(first.user)
    html = client.post(reverse("training:cancel", args=[course.pk]), follow=True).content.decode()
    assert "已取消报名。" in html
    assert services.active_enrolment(second, offering).status == "enrolled"


def test_visitor_is_sent_to_log_in_and_staff_are_told_to_use_a_resident_account(client, network):
    course = open_course(network["liling"])
    page_url = reverse("training:course", args=[course.pk])
    response = client.post(reverse("training:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"/account/login/?next={page_url}"
    assert client.get(reverse("training:me"))["Location"].startswith("/account/login/")

    client.force_login(editor_of(network["liling"]))
    assert "请使用居民账号报名" in client.get(page_url).content.decode()
    html = client.post(reverse("training:enrol", args=[course.pk]), follow=True).content.decode()
    assert "该账号不是居民账号，不能报名。" in html
    assert not Enrolment.objects.exists()


def test_refusals_on_the_page_change_nothing(client, network):
    course = open_course(network["liling"])
    offering = offering_of(course)
    offering.requires_id_number = True
    offering.save()
    client.force_login(make_resident().user)
    html = client.post(reverse("training:enrol", args=[course.pk]), follow=True).content.decode()
    assert "该课程须实名报名，请先在个人资料中填写身份证号。" in html
    offering.refresh_from_db()
    assert (offering.enrolled, Enrolment.objects.count()) == (0, 0)
    assert client.get(reverse("training:enrol", args=[course.pk])).status_code == 405


def test_event_page_takes_registrations(client, network):
    page = publish_event(network["pukou"], title="非遗市集", capacity=1)
    person = make_resident()
    html = client.get(page.url).content.decode()
    assert "登录后报名" in html and "共 1 个，剩余 1 个" in html

    client.force_login(person.user)
    html = client.post(reverse("training:event_enrol", args=[page.pk]), follow=True)
    assert "报名成功！" in html.content.decode() and "已报名" in html.content.decode()
    assert services.active_enrolment(person, offering_of(page)).status == "enrolled"
    html = client.post(reverse("training:event_cancel", args=[page.pk]), follow=True)
    assert "已取消报名。" in html.content.decode()

    outside = publish_event(
        network["pukou"], title="外部报名", registration_url="https://example.com/"
    )
    html = client.get(outside.url).content.decode()
    assert 'id="event-register"' in html and 'id="enrol"' not in html


def test_my_courses_lists_current_and_finished(client, network):
    person = make_resident()
    current = offering_of(open_course(network["liling"], title="在读课程"))
    services.enrol(person, current)
    ended = offering_of(open_course(network["liling"], title="往期课程", first_day_in=-20))
    services.enrol(person, ended, now=timezone.now() - timedelta(days=21))
    client.force_login(person.user)
    html = client.get(reverse("training:me")).content.decode()
    assert html.index("在读课程") < html.index("已结束") < html.index("往期课程")

    client.force_login(editor_of(network["liling"]))
    assert client.get(reverse("training:me")).status_code == 404
