"""/api/v1/courses…, /api/v1/me/enrolments: the course menu and enrolment.

The menu and a course's page are public. Enrolling, cancelling, rating and one's own enrolments
need a resident: the web session or a bearer token (training.auth.resident_auth). Refusals
carry the service's Chinese message: 400 for a rule, 409 for a second enrolment or rating, 404
for a course that is not on the menu; nothing is changed by a refused request."""

from datetime import date, datetime, time
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from network.plan import Weekday
from portal.models import EventPage
from resources.models import Course

from . import attendance, ratings, schedule
from . import enrolment as services
from .auth import require_resident, resident_auth
from .menu import TIME_OF_DAY_LABELS, filtered_menu, schedule_summary, time_of_day, with_places
from .models import ACTIVE, Enrolment, Offering

router = Router(tags=["培训报名"])

MAX_PAGE_SIZE = 50
# Rule codes (training.enrolment, training.ratings) answered with 409 Conflict; any other
# refusal is a 400.
CONFLICT_CODES = {"duplicate", "already_rated"}
# Ids are 64-bit: a larger number names no row and the database refuses it (an error 500
# instead of a 422 from the validation handler).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    detail: str
    code: str = ""


def refusal(error):
    """A service's ValidationError as a response with its Chinese message and rule code."""
    status = 409 if error.code in CONFLICT_CODES else 400
    return Status(status, {"detail": error.messages[0], "code": error.code or ""})


# --- the menu ---------------------------------------------------------------------------------


class MenuParams(Schema):
    art_form: str = Field("", description="艺术门类名称，如：声乐")
    district: str = Field("", description="区县，如：醴陵市")
    venue: str = Field("", description="场馆代码，如：liling-main")
    audience: str = Field("", description="适合人群：children、youth、seniors、all")
    fee_type: str = Field("", description="收费类型：free、low、charged")
    weekday: int | None = Field(None, description="星期：0 为周一 … 6 为周日")
    time_of_day: str = Field("", description="时段：morning、afternoon、evening")
    page: int = 1
    page_size: int = 20


class CourseOut(Schema):
    id: int
    title: str
    url: str = Field(description="课程报名页")
    art_form: str
    level: str
    level_label: str
    audience: str
    audience_label: str
    fee_type: str
    fee_type_label: str
    fee_amount: str | None
    venue: str
    venue_code: str
    district: str
    start_date: date | None
    end_date: date | None
    schedule: str = Field(description="上课时间概要，如：周六上午")
    status: str = Field(description="open（报名中）或 full（已满，可候补）")
    capacity: int
    places_left: int = Field(description="剩余名额")
    waitlist_length: int = Field(description="候补人数")


class MenuOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CourseOut]


class SessionOut(Schema):
    date: date
    weekday: str
    starts: time
    ends: time
    time_of_day: str
    room: str


class WindowOut(Schema):
    state: str = Field(
        description="open 可报名；reopened 开课后补报名；not_yet 未开始；closed 已截止；"
        "ended 已结束；unavailable 不接受报名"
    )
    state_label: str
    opens_at: datetime | None
    closes_at: datetime | None
    reopened_until: datetime | None


class RulesOut(Schema):
    min_age: int | None
    max_age: int | None
    requires_id_number: bool
    waitlist_limit: int | None


class RatingsOut(Schema):
    count: int
    average: float | None
    teacher_count: int
    teacher_average: float | None


class CourseDetailOut(CourseOut):
    description: str
    schedule_note: str
    teachers: list[str]
    sessions: list[SessionOut]
    enrolment: WindowOut
    rules: RulesOut
    ratings: RatingsOut


def course_out(request, course):
    return {
        "id": course.pk,
        "title": course.title,
        "url": request.build_absolute_uri(reverse("training:course", args=[course.pk])),
        "art_form": course.art_form.name,
        "level": course.level,
        "level_label": course.get_level_display(),
        "audience": course.audience,
        "audience_label": course.get_audience_display(),
        "fee_type": course.fee_type,
        "fee_type_label": course.get_fee_type_display(),
        "fee_amount": None if course.fee_amount is None else str(course.fee_amount),
        "venue": course.owner.name,
        "venue_code": course.owner.code,
        "district": course.owner.district,
        "start_date": course.start_date,
        "end_date": course.end_date,
        "schedule": schedule_summary(course),
        "status": course.status,
        "capacity": course.offering.capacity if hasattr(course, "offering") else course.capacity,
        "places_left": course.places_left,
        "waitlist_length": course.waiting,
    }


@router.get(
    "/courses",
    response={200: MenuOut, 400: ErrorOut},
    summary="课程菜单",
    description="全市各场馆正在报名（或已满可候补）的公开课程，含剩余名额与候补人数；"
    "可按艺术门类、区县、场馆、人群、收费类型、星期和时段筛选。",
    url_name="course_menu",
)
def course_menu(request, params: Query[MenuParams]):
    if not 1 <= params.page_size <= MAX_PAGE_SIZE:
        raise HttpError(400, _("每页条数应在 1～%(max)d 之间。") % {"max": MAX_PAGE_SIZE})
    if params.page < 1:
        raise HttpError(400, _("页码从 1 开始。"))
    data = params.dict(exclude={"page", "page_size"}, exclude_none=True)
    filterset, courses = filtered_menu({k: v for k, v in data.items() if v != ""})
    if filterset.is_bound and not filterset.is_valid():
        problems = [
            f"{filterset.form.fields[name].label}：{errors[0]}"
            for name, errors in filterset.errors.items()
        ]
        raise HttpError(400, _("筛选条件有误：%(problems)s") % {"problems": "；".join(problems)})
    paginator = Paginator(courses, params.page_size)
    page = paginator.page(min(params.page, paginator.num_pages))
    return {
        "count": paginator.count,
        "page": page.number,
        "page_size": params.page_size,
        "results": [course_out(request, course) for course in page],
    }


def public_course(course_id):
    """A course on the public side: public, of a public venue, and not a draft."""
    courses = with_places(
        Course.objects.public()
        .exclude(status="draft")
        .select_related("art_form", "owner", "offering")
        .prefetch_related("sessions", "teachers")
    )
    course = courses.filter(pk=course_id).first()
    if course is None:
        raise HttpError(404, _("找不到该课程，或它没有公开。"))
    return course


def window_out(offering):
    win = schedule.window(offering)
    return {
        "state": win.state,
        "state_label": str(win.label),
        "opens_at": win.opens_at,
        "closes_at": win.closes_at,
        "reopened_until": win.reopened_until,
    }


@router.get(
    "/courses/{course_id}",
    response={200: CourseDetailOut, 404: ErrorOut},
    summary="课程详情",
    description="课程信息、课次安排、报名规则与状态、剩余名额和评价。",
    url_name="course_detail",
)
def course_detail(request, course_id: RowId):
    course = public_course(course_id)
    offering = getattr(course, "offering", None)
    data = course_out(request, course)
    data.update(
        description=course.description,
        schedule_note=course.schedule_note,
        teachers=[teacher.name for teacher in course.teachers.all()],
        sessions=[
            {
                "date": s.date,
                "weekday": str(Weekday(s.date.weekday()).label),
                "starts": s.starts,
                "ends": s.ends,
                "time_of_day": str(TIME_OF_DAY_LABELS[time_of_day(s.starts)]),
                "room": s.room,
            }
            for s in course.sessions.all()
        ],
        enrolment=window_out(offering)
        if offering
        else {"state": "unavailable", "state_label": str(schedule.STATE_LABELS["unavailable"])}
        | dict.fromkeys(("opens_at", "closes_at", "reopened_until")),
        rules={
            "min_age": offering.min_age if offering else None,
            "max_age": offering.max_age if offering else None,
            "requires_id_number": bool(offering and offering.requires_id_number),
            "waitlist_limit": offering.waitlist_limit if offering else None,
        },
        ratings=ratings.ratings_summary(course=course),
    )
    return data


# --- enrolling ------------------------------------------------------------------------------


class EnrolmentOut(Schema):
    id: int
    status: str = Field(description="enrolled（已报名）或 waitlisted（候补中）")
    status_label: str
    position: int | None = Field(description="候补中时在候补名单中的位置（1 为下一个）")
    waitlist_number: int | None = Field(description="候补序号（报名时领取，不随他人取消而变）")


def enrolment_out(enrolment, position=None):
    """`position`: the waiting position when the caller knows it (a fresh enrolment does)."""
    if position is None:
        position = services.waitlist_position(enrolment)
    return {
        "id": enrolment.pk,
        "status": enrolment.status,
        "status_label": enrolment.get_status_display(),
        "position": position,
        "waitlist_number": enrolment.waitlist_number,
    }


def _course_offerings(course_id):
    """The offering of a public course, as a queryset (enrolling looks it up as it locks it)."""
    public = Course.objects.public().exclude(status="draft")
    return Offering.objects.filter(course_id=course_id, course__in=public)


def _no_course_offering(course_id):
    public = Course.objects.public().exclude(status="draft")
    if public.filter(pk=course_id).exists():
        return HttpError(400, _("该课程目前不接受报名。"))
    return HttpError(404, _("找不到该课程，或它没有公开。"))


def _course_offering(course_id):
    offering = _course_offerings(course_id).first()
    if offering is None:
        raise _no_course_offering(course_id)
    return offering


def _event_offerings(event_id):
    public = EventPage.objects.live().public()
    return Offering.objects.filter(event_id=event_id, event__in=public)


def _no_event_offering():
    return HttpError(404, _("找不到该活动，或它不在本平台报名。"))


def _event_offering(event_id):
    offering = _event_offerings(event_id).first()
    if offering is None:
        raise _no_event_offering()
    return offering


def _enrol(request, enrol_into, missing):
    """Enrol the request's resident by `enrol_into(resident)`; `missing()` is the HttpError
    when there is no such offering."""
    resident = require_resident(request)
    try:
        enrolment = enrol_into(resident)
    except Offering.DoesNotExist:
        raise missing() from None
    except ValidationError as error:
        return refusal(error)
    return Status(201, enrolment_out(enrolment, enrolment.position_on_enrolment))


def _cancel_mine(request, offering):
    resident = require_resident(request)
    enrolment = services.active_enrolment(resident, offering)
    if enrolment is None:
        raise HttpError(404, _("您没有该项目的有效报名。"))
    try:
        services.cancel(enrolment)
    except ValidationError as error:
        return refusal(error)
    return Status(204, None)


ENROL_RESPONSES = {
    201: EnrolmentOut,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}
CANCEL_RESPONSES = {204: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.post(
    "/courses/{course_id}/enrolments",
    auth=resident_auth,
    response=ENROL_RESPONSES,
    summary="报名课程",
    description="有空位时为已报名（enrolled），满员时进入候补（waitlisted，position 为候补位置）。"
    "不符合报名规则时返回 400，重复报名返回 409，均附中文说明。",
    url_name="course_enrol",
)
def enrol_course(request, course_id: RowId):
    return _enrol(
        request,
        lambda resident: services.enrol_in_public_course(resident, course_id),
        lambda: _no_course_offering(course_id),
    )


@router.delete(
    "/courses/{course_id}/enrolments/me",
    auth=resident_auth,
    response=CANCEL_RESPONSES,
    summary="取消我的课程报名",
    description="取消已报名或候补；空出的名额自动按候补顺序递补。",
    url_name="course_cancel",
)
def cancel_course(request, course_id: RowId):
    return _cancel_mine(request, _course_offering(course_id))


@router.post(
    "/events/{event_id}/enrolments",
    auth=resident_auth,
    response=ENROL_RESPONSES,
    summary="报名活动",
    description="与课程报名相同的名额与候补机制（仅限在本平台报名的活动）。",
    url_name="event_enrol",
)
def enrol_event(request, event_id: RowId):
    return _enrol(
        request,
        lambda resident: services.enrol_in(resident, _event_offerings(event_id)),
        _no_event_offering,
    )


@router.delete(
    "/events/{event_id}/enrolments/me",
    auth=resident_auth,
    response=CANCEL_RESPONSES,
    summary="取消我的活动报名",
    url_name="event_cancel",
)
def cancel_event(request, event_id: RowId):
    return _cancel_mine(request, _event_offering(event_id))


# --- my enrolments and ratings -----------------------------------------------------------------


class AttendanceOut(Schema):
    label: str
    state: str = Field(description="present 出勤；absent 缺勤；unrecorded 未记录；upcoming 未开始")


class RatingOut(Schema):
    stars: int
    teacher: str | None
    teacher_stars: int | None
    comment: str


class MyEnrolmentOut(EnrolmentOut):
    kind: str = Field(description="course 或 event")
    course_id: int | None
    event_id: int | None
    title: str
    venue: str
    created_at: datetime
    promoted_at: datetime | None
    cancelled_at: datetime | None
    attendance: list[AttendanceOut]
    can_rate: bool
    rating: RatingOut | None


def my_enrolment_out(enrolment):
    offering = enrolment.offering
    rating = getattr(enrolment, "rating", None)
    return enrolment_out(enrolment) | {
        "kind": "event" if offering.event_id else "course",
        "course_id": offering.course_id,
        "event_id": offering.event_id,
        "title": str(offering.target),
        "venue": offering.venue.name if offering.venue else "",
        "created_at": enrolment.created_at,
        "promoted_at": enrolment.promoted_at,
        "cancelled_at": enrolment.cancelled_at,
        "attendance": [vars(line) for line in attendance.record_of(enrolment)]
        if enrolment.status == "enrolled"
        else [],
        "can_rate": ratings.can_rate(enrolment),
        "rating": {
            "stars": rating.stars,
            "teacher": rating.teacher.name if rating.teacher else None,
            "teacher_stars": rating.teacher_stars,
            "comment": rating.comment,
        }
        if rating
        else None,
    }


def my_enrolments_of(resident, include_cancelled=False):
    enrolments = Enrolment.objects.filter(resident=resident)
    if not include_cancelled:
        enrolments = enrolments.filter(status__in=ACTIVE)
    return (
        enrolments.select_related(
            "offering__course", "offering__event", "offering__venue", "rating__teacher"
        )
        .prefetch_related("offering__course__sessions", "attendance")
        .order_by("-created_at", "-pk")
    )


@router.get(
    "/me/enrolments",
    auth=resident_auth,
    response={200: list[MyEnrolmentOut], 401: ErrorOut, 403: ErrorOut},
    summary="我的报名",
    description="本人的课程与活动报名（含候补位置、考勤记录和评价）；include_cancelled=true 时含已取消的。",
    url_name="my_enrolments",
)
def my_enrolments(request, include_cancelled: bool = False):
    resident = require_resident(request)
    return [my_enrolment_out(e) for e in my_enrolments_of(resident, include_cancelled)]


class RatingIn(Schema):
    stars: int = Field(description="课程评分，1–5")
    teacher_stars: int | None = Field(None, description="教师评分，1–5（可选）")
    teacher_id: int | None = Field(None, description="被评价的教师（课程有多位教师时必填）")
    comment: str = Field("", description="评价内容，最多 500 字")


@router.post(
    "/courses/{course_id}/rating",
    auth=resident_auth,
    response={
        201: RatingOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="评价课程",
    description="课程结束后，正式报名的学员可评价课程（1–5 星）和授课教师，每次报名一次。",
    url_name="course_rate",
)
def rate_course(request, course_id: RowId, payload: RatingIn):
    resident = require_resident(request)
    course = public_course(course_id)
    enrolment = (
        Enrolment.objects.filter(resident=resident, offering__course=course, status="enrolled")
        .select_related("offering__course")
        .order_by("-created_at")
        .first()
    )
    if enrolment is None:
        raise HttpError(404, _("您没有报名该课程，不能评价。"))
    teacher = None
    if payload.teacher_id is not None:
        teacher = course.teachers.filter(pk=payload.teacher_id).first()
        if teacher is None:
            return Status(
                400, {"detail": _("所选教师不是该课程的授课教师。"), "code": "teacher_unknown"}
            )
    try:
        rating = ratings.rate(
            enrolment,
            payload.stars,
            teacher_stars=payload.teacher_stars,
            comment=payload.comment,
            teacher=teacher,
        )
    except ValidationError as error:
        return refusal(error)
    return Status(
        201,
        {
            "stars": rating.stars,
            "teacher": rating.teacher.name if rating.teacher else None,
            "teacher_stars": rating.teacher_stars,
            "comment": rating.comment,
        },
    )
