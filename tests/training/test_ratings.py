"""Ratings: after the end, by the enrolled, once; teacher ratings for the course's own teachers;
summaries per course, venue and teacher; the form on the resident's page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.resources.factories import make_teacher
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from training import accounts, ratings
from training import enrolment as services
from training.models import Enrolment, Rating

pytestmark = pytest.mark.django_db


def ended_course(venue, capacity=5, **fields):
    course = open_course(venue, capacity=capacity, first_day_in=-15, sessions=2, **fields)
    return course, offering_of(course)


def enrol_then(person, offering):
    return services.enrol(person, offering, now=timezone.now() - timedelta(days=16))


def refusal(code, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        ratings.rate(*args, **kwargs)
    assert caught.value.code == code
    return caught.value.messages[0]


def test_rating_rules(network):
    first, second = make_teacher(network["liling"]), make_teacher(network["liling"])
    outsider = make_teacher(network["youxian"])
    course, offering = ended_course(network["liling"], capacity=1, teachers=[first, second])
    enrolled, waiting = make_resident(), make_resident()
    enrolment = enrol_then(enrolled, offering)
    waited = enrol_then(waiting, offering)

    assert refusal("not_enrolled", waited, 5) == "只有正式报名的学员才能评价。"
    assert refusal("stars", enrolment, 0) == "课程评分须是 1 到 5 星。"
    assert refusal("stars", enrolment, True) == "课程评分须是 1 到 5 星。"
    assert refusal("teacher_missing", enrolment, 5, teacher_stars=4) == "请选择要评价的教师。"
    assert refusal("teacher_unknown", enrolment, 5, teacher_stars=4, teacher=outsider)
    assert refusal("teacher_stars_missing", enrolment, 5, teacher=first) == "请给所选教师打分。"
    assert refusal("comment_too_long", enrolment, 5, comment="好" * 501).startswith(
        "评价最多 500 字"
    )
    assert not Rating.objects.exists()

    rating = ratings.rate(enrolment, 4, teacher_stars=5, teacher=second, comment=" 很好 ")
    assert (rating.stars, rating.teacher, rating.teacher_stars, rating.comment) == (
        4,
        second,
        5,
        "很好",
    )
    assert refusal("already_rated", enrolment, 3) == "您已经评价过了，每次报名只能评价一次。"


def test_no_rating_before_the_end(network):
    offering = offering_of(open_course(network["liling"], first_day_in=-1, sessions=2))
    enrolment = services.enrol(make_resident(), offering, now=timezone.now() - timedelta(days=2))
    assert refusal("not_ended", enrolment, 5) == "课程结束后才能评价。"
    assert not ratings.can_rate(enrolment)


def test_summaries_by_course_venue_and_teacher(network):
    teacher = make_teacher(network["liling"])
    course_a, offering_a = ended_course(network["liling"], teachers=[teacher])
    course_b, offering_b = ended_course(network["liling"])
    _course_c, offering_c = ended_course(network["youxian"])
    for stars, teacher_stars in ((5, 5), (4, 3), (3, None)):
        ratings.rate(enrol_then(make_resident(), offering_a), stars, teacher_stars=teacher_stars)
    ratings.rate(enrol_then(make_resident(), offering_b), 2)
    ratings.rate(enrol_then(make_resident(), offering_c), 1)

    assert ratings.ratings_summary(course=course_a) == {
        "count": 3,
        "average": 4.0,
        "teacher_count": 2,
        "teacher_average": 4.0,
    }
    venue = ratings.ratings_summary(venue=network["liling"])
    assert (venue["count"], venue["average"]) == (4, 3.5)
    assert ratings.ratings_summary(teacher=teacher)["teacher_average"] == 4.0
    assert ratings.ratings_summary(course=course_b)["teacher_average"] is None


def test_rating_form_on_my_courses(client, network):
    teacher = make_teacher(network["liling"], name="孙老师")
    course, offering = ended_course(network["liling"], teachers=[teacher])
    person = make_resident()
    enrolment = enrol_then(person, offering)
    client.force_login(person.user)
    page = client.get(reverse("training:me")).content.decode()
    assert "提交评价" in page and "教师评分" in page

    url = reverse("training:rate", args=[enrolment.pk])
    prefix = f"rate-{enrolment.pk}"
    response = client.post(url, {f"{prefix}-stars": "9"}, follow=True)
    assert "课程评分：" in response.content.decode()
    assert not Rating.objects.exists()

    data = {
        f"{prefix}-stars": "5",
        f"{prefix}-teacher": str(teacher.pk),
        f"{prefix}-teacher_stars": "4",
        f"{prefix}-comment": "受益匪浅",
    }
    response = client.post(url, data, follow=True)
    assert "感谢您的评价！" in response.content.decode()
    rating = Rating.objects.get()
    assert (rating.stars, rating.teacher, rating.teacher_stars) == (5, teacher, 4)
    page = client.get(reverse("training:me")).content.decode()
    assert "提交评价" not in page and "您的评价：5 星" in page
    course_page = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert "5.0 星（1 人评价）" in course_page and "教师 4.0 星" in course_page


def test_someone_elses_enrolment_cannot_be_rated(client, network):
    _course, offering = ended_course(network["liling"])
    enrolment = enrol_then(make_resident(), offering)
    client.force_login(make_resident().user)
    response = client.post(
        reverse("training:rate", args=[enrolment.pk]), {f"rate-{enrolment.pk}-stars": "1"}
    )
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_a_deleted_account_s_ratings_stay_anonymised_in_the_figures(network):
    teacher = make_teacher(network["liling"])
    course, offering = ended_course(network["liling"], teachers=[teacher])
    leaver, stayer = make_resident(real_name="离开者"), make_resident()
    ratings.rate(enrol_then(leaver, offering), 2, teacher_stars=3, comment="教室太冷")
    ratings.rate(enrol_then(stayer, offering), 4)
    before = ratings.ratings_summary(course=course)

    accounts.delete_account(leaver)

    kept = Rating.objects.get(comment="教室太冷")
    assert kept.enrolment is None and kept.offering == offering
    assert (kept.stars, kept.teacher, kept.teacher_stars) == (2, teacher, 3)
    assert not Enrolment.objects.filter(resident_id=leaver.pk).exists()
    assert (
        ratings.ratings_summary(course=course)
        == before
        == {
            "count": 2,
            "average": 3.0,
            "teacher_count": 1,
            "teacher_average": 3.0,
        }
    )
    assert ratings.ratings_summary(venue=network["liling"])["count"] == 2
    assert "离开者" not in str(kept)
