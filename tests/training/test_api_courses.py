"""GET /api/v1/courses(/{id}), POST/DELETE …/enrolments, GET /api/v1/me/enrolments, POST
…/rating: public menu, resident-only changes by session or bearer token, Chinese refusals with
the right status and nothing changed."""

import json
from datetime import time, timedelta

import pytest
from django.utils import timezone

from tests.factories import editor_of
from tests.resources.factories import art_form, make_teacher
from tests.training.courses import offering_of, open_course, publish_event
from tests.training.factories import make_resident
from training import enrolment as services
from training.accounts import issue_token
from training.models import Enrolment, Rating

pytestmark = pytest.mark.django_db

API = "/api/v1"


def signed_in(client, resident):
    client.force_login(resident.user)
    return client


def counts(offering):
    offering.refresh_from_db()
    return offering.enrolled, offering.waitlist_seq, Enrolment.objects.count()


# --- the menu -----------------------------------------------------------------------------------


def test_menu_lists_open_public_courses_with_places_and_filters(client, network):
    dance = art_form("舞蹈")
    morning = open_course(network["liling"], title="少儿舞蹈", art_form=dance, audience="children")
    evening = open_course(
        network["youxian"], title="合唱", capacity=2, clock=(time(19), time(21)), fee_type="low"
    )
    open_course(network["liling"], title="内部培训", visibility="staff")
    open_course(network["liling"], title="草稿课程", status="draft")
    services.enrol(make_resident(), offering_of(evening))
    services.enrol(make_resident(), offering_of(evening))
    services.enrol(make_resident(), offering_of(evening))

    response = client.get(f"{API}/courses")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_title = {c["title"]: c for c in body["results"]}
    assert set(by_title) == {"少儿舞蹈", "合唱"}
    assert by_title["合唱"] | {} == by_title["合唱"]
    assert (by_title["合唱"]["places_left"], by_title["合唱"]["waitlist_length"]) == (0, 1)
    assert by_title["合唱"]["status"] == "full"
    assert (by_title["少儿舞蹈"]["places_left"], by_title["少儿舞蹈"]["capacity"]) == (20, 20)
    assert by_title["少儿舞蹈"]["district"] == "醴陵市"

    def titles(**params):
        data = client.get(f"{API}/courses", params).json()
        return sorted(c["title"] for c in data["results"])

    weekday = morning.sessions.first().date.weekday()
    assert titles(art_form="舞蹈") == ["少儿舞蹈"]
    assert titles(district="攸县") == ["合唱"]
    assert titles(venue="liling-main") == ["少儿舞蹈"]
    assert titles(audience="children") == ["少儿舞蹈"]
    assert titles(fee_type="low") == ["合唱"]
    assert titles(time_of_day="evening") == ["合唱"]
    assert titles(time_of_day="morning", weekday=weekday) == ["少儿舞蹈"]
    assert titles(time_of_day="morning", weekday=(weekday + 1) % 7) == []


def test_menu_refuses_bad_filters_in_chinese(client, network):
    response = client.get(f"{API}/courses", {"time_of_day": "midnight"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("筛选条件有误：时段：")
    response = client.get(f"{API}/courses", {"weekday": "周六"})
    assert response.status_code == 422
    assert "weekday" in response.json()["detail"]
    assert client.get(f"{API}/courses", {"page_size": 500}).status_code == 400


def test_course_detail_has_sessions_rules_and_window(client, network):
    teacher = make_teacher(network["liling"], name="李老师")
    course = open_course(network["liling"], title="书法", teachers=[teacher], sessions=2)
    offering = offering_of(course)
    offering.min_age, offering.requires_id_number = 50, True
    offering.save()

    body = client.get(f"{API}/courses/{course.pk}").json()
    assert body["title"] == "书法"
    assert body["teachers"] == ["李老师"]
    assert [s["starts"] for s in body["sessions"]] == ["09:00:00", "09:00:00"]
    assert body["sessions"][0]["time_of_day"] == "上午"
    assert body["rules"] == {
        "min_age": 50,
        "max_age": None,
        "requires_id_number": True,
        "waitlist_limit": None,
    }
    assert body["enrolment"]["state"] == "open"
    assert body["ratings"]["count"] == 0

    hidden = open_course(network["liling"], visibility="owner")
    response = client.get(f"{API}/courses/{hidden.pk}")
    assert response.status_code == 404
    assert response.json()["detail"] == "找不到该课程，或它没有公开。"


# --- enrolling ----------------------------------------------------------------------------------


def test_enrol_waitlist_and_cancel_by_session(client, network):
    offering = offering_of(open_course(network["liling"], capacity=1))
    course_id = offering.course_id
    first, second = make_resident(), make_resident()

    response = signed_in(client, first).post(f"{API}/courses/{course_id}/enrolments")
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "status": "enrolled",
        "status_label": "已报名",
        "position": None,
        "waitlist_number": None,
    }
    response = signed_in(client, second).post(f"{API}/courses/{course_id}/enrolments")
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["position"]) == ("waitlisted", 1)

    mine = client.get(f"{API}/me/enrolments").json()
    assert [(e["title"], e["status"], e["position"]) for e in mine] == [
        (offering.course.title, "waitlisted", 1)
    ]

    signed_in(client, first)
    response = client.delete(f"{API}/courses/{course_id}/enrolments/me")
    assert response.status_code == 204
    assert services.active_enrolment(second, offering).status == "enrolled"
    response = client.delete(f"{API}/courses/{course_id}/enrolments/me")
    assert response.status_code == 404
    assert response.json()["detail"] == "您没有该项目的有效报名。"


def test_enrol_by_bearer_token(client, network):
    offering = offering_of(open_course(network["liling"]))
    resident = make_resident()
    token, _expires = issue_token(resident.user)
    response = client.post(
        f"{API}/courses/{offering.course_id}/enrolments", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201
    response = client.get(f"{API}/me/enrolments", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [e["status"] for e in response.json()] == ["enrolled"]


def test_enrolling_twice_is_409_and_rules_are_400_nothing_changed(client, network):
    offering = offering_of(open_course(network["liling"]))
    offering.max_age = 12
    offering.save()
    adult = make_resident(birth_date=timezone.localdate() - timedelta(days=365 * 40))
    child = make_resident(birth_date=timezone.localdate() - timedelta(days=365 * 8))
    url = f"{API}/courses/{offering.course_id}/enrolments"

    assert signed_in(client, child).post(url).status_code == 201
    before = counts(offering)
    response = client.post(url)
    assert response.status_code == 409
    assert response.json() == {"detail": "您已报名该课程，不能重复报名。", "code": "duplicate"}
    response = signed_in(client, adult).post(url)
    assert response.status_code == 400
    assert response.json()["code"] == "too_old"
    assert "不符合年龄要求" in response.json()["detail"]
    assert counts(offering) == before


def test_enrolling_after_closing_is_400(client, network):
    offering = offering_of(open_course(network["liling"], first_day_in=-1))
    response = signed_in(client, make_resident()).post(
        f"{API}/courses/{offering.course_id}/enrolments"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "closed"
    assert response.json()["detail"].startswith("报名已于 ")
    assert Enrolment.objects.count() == 0


def test_anonymous_staff_and_unknown_courses(client, network):
    offering = offering_of(open_course(network["liling"]))
    url = f"{API}/courses/{offering.course_id}/enrolments"
    response = client.post(url)
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录。"
    response = client.post(url, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401
    client.force_login(editor_of(network["liling"]))
    response = client.post(url)
    assert response.status_code == 403
    assert response.json()["detail"] == "该账号不是居民账号。"
    response = signed_in(client, make_resident()).post(f"{API}/courses/999999/enrolments")
    assert response.status_code == 404
    assert Enrolment.objects.count() == 0


def test_event_registration_through_the_api(client, network):
    page = publish_event(network["pukou"], capacity=1)
    signed_in(client, make_resident())
    response = client.post(f"{API}/events/{page.pk}/enrolments")
    assert (response.status_code, response.json()["status"]) == (201, "enrolled")
    mine = client.get(f"{API}/me/enrolments").json()
    assert [(e["kind"], e["event_id"]) for e in mine] == [("event", page.pk)]
    assert client.delete(f"{API}/events/{page.pk}/enrolments/me").status_code == 204
    outside = publish_event(network["pukou"], title="外部", registration_url="https://example.com/")
    assert client.post(f"{API}/events/{outside.pk}/enrolments").status_code == 404


# --- ratings --------------------------------------------------------------------------------


def _ended_enrolment(network, resident, **course_fields):
    offering = offering_of(
        open_course(network["liling"], first_day_in=-15, sessions=2, **course_fields)
    )
    services.enrol(resident, offering, now=timezone.now() - timedelta(days=16))
    return offering


def test_rating_after_the_end_once(client, network):
    resident = make_resident()
    teacher = make_teacher(network["liling"], name="周老师")
    offering = _ended_enrolment(network, resident, teachers=[teacher])
    url = f"{API}/courses/{offering.course_id}/rating"
    signed_in(client, resident)
    payload = {"stars": 5, "teacher_stars": 4, "comment": "老师很耐心"}
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {
        "stars": 5,
        "teacher": "周老师",
        "teacher_stars": 4,
        "comment": "老师很耐心",
    }
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 409
    assert response.json()["detail"] == "您已经评价过了，每次报名只能评价一次。"
    detail = client.get(f"{API}/courses/{offering.course_id}").json()
    assert detail["ratings"] == {
        "count": 1,
        "average": 5.0,
        "teacher_count": 1,
        "teacher_average": 4.0,
    }


def test_malformed_or_out_of_range_rating_is_refused_nothing_stored(client, network):
    resident = make_resident()
    offering = _ended_enrolment(network, resident)
    url = f"{API}/courses/{offering.course_id}/rating"
    signed_in(client, resident)
    response = client.post(url, "{stars: five", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "请求内容不是有效的 JSON。"
    response = client.post(url, json.dumps({"comment": "没打分"}), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "参数格式不正确：stars。"
    response = client.post(url, json.dumps({"stars": 6}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "课程评分须是 1 到 5 星。"
    response = client.post(
        url, json.dumps({"stars": 4, "teacher_stars": 3}), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "该课程没有授课教师，不能给教师评分。"
    assert Rating.objects.count() == 0


def test_rating_before_the_end_is_refused(client, network):
    resident = make_resident()
    offering = offering_of(open_course(network["liling"]))
    services.enrol(resident, offering)
    response = signed_in(client, resident).post(
        f"{API}/courses/{offering.course_id}/rating",
        json.dumps({"stars": 5}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "课程结束后才能评价。"
