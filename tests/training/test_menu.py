"""The course menu: which courses it lists, its filters (also on one session at once), the
places shown, and the public page /courses/."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from resources.models import CourseSession
from tests.resources.factories import art_form
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from training import enrolment as services
from training.menu import filtered_menu, menu_courses, schedule_summary

pytestmark = pytest.mark.django_db


def titles(data):
    filterset, courses = filtered_menu(data)
    assert filterset.is_valid(), filterset.errors
    return sorted(course.title for course in courses)


def test_menu_lists_open_and_full_public_courses_not_ended(network):
    open_course(network["liling"], title="开放")
    open_course(network["liling"], title="满员", capacity=1)
    services.enrol(
        make_resident(), offering_of(open_course(network["pukou"], title="已满课程", capacity=1))
    )
    open_course(network["liling"], title="草稿", status="draft")
    open_course(network["liling"], title="已结束", first_day_in=-30, sessions=1)
    open_course(network["liling"], title="本馆可见", visibility="owner")
    open_course(network["liling"], title="关闭", status="closed")
    assert sorted(c.title for c in menu_courses()) == ["已满课程", "开放", "满员"]


def test_weekday_and_time_of_day_apply_to_the_same_session(network):
    course = open_course(network["liling"], title="两个时段", sessions=1)
    saturday_morning = course.sessions.get()
    # A second session on another weekday, in the evening.
    CourseSession.objects.create(
        course=course,
        date=saturday_morning.date + timedelta(days=1),
        starts=time(19),
        ends=time(20, 30),
    )
    day = saturday_morning.date.weekday()
    next_day = (day + 1) % 7
    assert titles({"weekday": day, "time_of_day": "morning"}) == ["两个时段"]
    assert titles({"weekday": next_day, "time_of_day": "evening"}) == ["两个时段"]
    assert titles({"weekday": day, "time_of_day": "evening"}) == []
    assert titles({"time_of_day": "afternoon"}) == []
    assert schedule_summary(course).count("·") == 1


def test_bad_filter_values_are_reported_in_chinese_and_filter_nothing(network):
    open_course(network["liling"], title="甲")
    filterset, courses = filtered_menu({"weekday": "9", "audience": "martians"})
    assert not filterset.is_valid()
    assert "选择一个有效的选项" in filterset.errors["weekday"][0]
    assert [c.title for c in courses] == ["甲"]


def test_menu_page_with_filters_and_places(client, network):
    dance = art_form("舞蹈")
    open_course(network["liling"], title="民族舞", art_form=dance, capacity=3)
    full = open_course(network["youxian"], title="合唱团", capacity=1)
    services.enrol(make_resident(), offering_of(full))
    services.enrol(make_resident(), offering_of(full))

    page = client.get(reverse("training:menu")).content.decode()
    assert "找到 2 门课程" in page
    assert "剩余 3 个名额" in page
    assert "已满" in page and "1 人候补" in page
    page = client.get(reverse("training:menu"), {"art_form": "舞蹈"}).content.decode()
    assert "找到 1 门课程" in page and "民族舞" in page and "合唱团" not in page
    page = client.get(reverse("training:menu"), {"district": "攸县"}).content.decode()
    assert "合唱团" in page and "民族舞" not in page
    page = client.get(reverse("training:menu"), {"time_of_day": "noon"}).content.decode()
    assert "选择一个有效的选项" in page


def test_course_page_shows_places_rules_and_the_enrol_button(client, network):
    course = open_course(network["liling"], title="古筝", capacity=12)
    offering = offering_of(course)
    offering.min_age, offering.max_age = 8, 14
    offering.save()
    page = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert "古筝" in page
    assert "共 12 个，剩余 12 个" in page
    assert "8–14 岁" in page
    login = f"/account/login/?next={reverse('training:course', args=[course.pk])}"
    assert f'href="{login}"' in page
    assert "登录后报名" in page

    draft = open_course(network["liling"], status="draft")
    assert client.get(reverse("training:course", args=[draft.pk])).status_code == 404
    hidden = open_course(network["liling"], visibility="staff")
    assert client.get(reverse("training:course", args=[hidden.pk])).status_code == 404


def test_course_page_after_closing_has_no_button(client, network):
    course = open_course(network["liling"], first_day_in=-1)
    client.force_login(make_resident().user)
    page = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert "报名已截止" in page
    assert 'id="enrol-button"' not in page
