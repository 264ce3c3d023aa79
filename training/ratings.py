"""Ratings (评价): an enrolled resident rates a course (or event) and its teacher once, after
it has ended. The summaries feed the evaluation of venues, courses and teachers. A rating
outlives its rater's account, anonymised (Rating.enrolment becomes empty)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.translation import gettext as _

from . import schedule, usage
from .models import EnrolmentStatus, Rating
from .rules import RATING_MAX, RATING_MIN

COMMENT_MAX = Rating._meta.get_field("comment").max_length


def _stars(value, label):
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not (RATING_MIN <= value <= RATING_MAX)
    ):
        raise ValidationError(
            _("%(label)s须是 %(low)s 到 %(high)s 星。")
            % {"label": label, "low": RATING_MIN, "high": RATING_MAX},
            code="stars",
        )
    return value


def teachers_of(enrolment):
    course = enrolment.offering.course
    return list(course.teachers.all()) if course else []


def rating_refusal(enrolment, now=None):
    """Why this enrolment may not be rated now (a ValidationError), or None."""
    kind = schedule.kind_label(enrolment.offering)
    if enrolment.status != EnrolmentStatus.ENROLLED:
        return ValidationError(_("只有正式报名的学员才能评价。"), code="not_enrolled")
    if not schedule.has_ended(enrolment.offering, now):
        return ValidationError(_("%(kind)s结束后才能评价。") % {"kind": kind}, code="not_ended")
    if Rating.objects.filter(enrolment=enrolment).exists():
        return ValidationError(_("您已经评价过了，每次报名只能评价一次。"), code="already_rated")
    return None


def can_rate(enrolment, now=None):
    return rating_refusal(enrolment, now) is None


def rate(enrolment, stars, teacher_stars=None, comment="", teacher=None, now=None):
    now = now or timezone.now()
    refusal = rating_refusal(enrolment, now)
    if refusal:
        raise refusal
    stars = _stars(stars, _("课程评分"))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError(
            _("评价最多 %(max)s 字，现在有 %(length)s 字。")
            % {"max": COMMENT_MAX, "length": len(comment)},
            code="comment_too_long",
        )
    if teacher_stars is not None:
        teacher_stars = _stars(teacher_stars, _("教师评分"))
        teachers = teachers_of(enrolment)
        if teacher is None and len(teachers) == 1:
            teacher = teachers[0]
        if teacher is None:
            message = (
                _("请选择要评价的教师。") if teachers else _("该课程没有授课教师，不能给教师评分。")
            )
            raise ValidationError(message, code="teacher_missing")
        if teacher not in teachers:
            raise ValidationError(_("所选教师不是该课程的授课教师。"), code="teacher_unknown")
    elif teacher is not None:
        raise ValidationError(_("请给所选教师打分。"), code="teacher_stars_missing")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                offering=enrolment.offering,
                enrolment=enrolment,
                stars=stars,
                teacher=teacher,
                teacher_stars=teacher_stars,
                comment=comment,
            )
            usage.rated(rating)
            return rating
    except IntegrityError:  # a second submission racing the first
        raise ValidationError(
            _("您已经评价过了，每次报名只能评价一次。"), code="already_rated"
        ) from None


def ratings_summary(venue=None, course=None, teacher=None, event=None):
    """{count, average, teacher_count, teacher_average} of the ratings of a venue's courses and
    events, one course or event, or one teacher; averages to one decimal, None when unrated.
    Ratings of residents who have since deleted their account count too (kept anonymised)."""
    ratings = Rating.objects.all()
    if venue is not None:
        ratings = ratings.filter(offering__venue=venue)
    if course is not None:
        ratings = ratings.filter(offering__course=course)
    if event is not None:
        ratings = ratings.filter(offering__event=event)
    if teacher is not None:
        ratings = ratings.filter(teacher=teacher)
    result = ratings.aggregate(
        count=Count("pk"),
        average=Avg("stars"),
        teacher_count=Count("teacher_stars"),
        teacher_average=Avg("teacher_stars"),
    )
    for key in ("average", "teacher_average"):
        if result[key] is not None:
            result[key] = round(float(result[key]), 1)
    return result
