"""/api/v1/volunteer-activities, /api/v1/me/volunteer…: the volunteer service for apps and the
WeChat mini-program.

The activities and their shifts are public. One's own volunteer record (status, hours, star
level, the check-in code) and signing up or cancelling need a resident: the web session or a
bearer token (training.auth.resident_auth). Refusals carry the service's Chinese message and
rule code: 409 for a place already held, an overlapping shift or a full shift, 400 for any other
rule, 404 for what is not there (or not the caller's); a refused request changes nothing."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from training.auth import require_resident, resident_auth

from . import hours, recognition, signups
from .models import HOLDING, Activity, Shift, ShiftSignup, Volunteer, VolunteerStatus

router = Router(tags=["志愿服务"])

CONFLICT_CODES = {"duplicate", "overlap", "full"}


class VolunteerErrorOut(Schema):
    detail: str
    code: str = ""


def refusal(error):
    status = 409 if error.code in CONFLICT_CODES else 400
    return Status(status, {"detail": error.messages[0], "code": error.code or ""})


class VolunteerShiftOut(Schema):
    id: int
    role: str
    starts_at: datetime
    ends_at: datetime
    places: int
    places_left: int


class VolunteerActivityOut(Schema):
    id: int
    title: str
    venue: str
    grid: str
    location: str
    shifts: list[VolunteerShiftOut]


def shift_out(shift):
    return {
        "id": shift.pk,
        "role": shift.role,
        "starts_at": timezone.localtime(shift.starts_at),
        "ends_at": timezone.localtime(shift.ends_at),
        "places": shift.places,
        "places_left": shift.places_left,
    }


@router.get(
    "/volunteer-activities",
    response=list[VolunteerActivityOut],
    summary="志愿服务活动",
    description="已发布、仍有未结束班次的活动，及其班次和剩余名额。",
    url_name="volunteer_activities",
)
def list_activities(request):
    now = timezone.now()
    upcoming = Shift.objects.filter(ends_at__gt=now).order_by("starts_at")
    activities = (
        Activity.objects.filter(published=True, shifts__ends_at__gt=now)
        .distinct()
        .select_related("venue", "grid")
        .prefetch_related(Prefetch("shifts", queryset=upcoming))
        .order_by("-created_at")[:100]
    )
    return [
        {
            "id": a.pk,
            "title": a.title,
            "venue": str(a.venue),
            "grid": str(a.grid),
            "location": a.location,
            "shifts": [shift_out(s) for s in a.shifts.all()],
        }
        for a in activities
    ]


class ShiftSignupOut(Schema):
    id: int
    status: str
    status_label: str
    activity: str
    shift: VolunteerShiftOut
    hours: Decimal | None = None


class VolunteerOut(Schema):
    status: str
    status_label: str
    review_note: str
    grid: str
    venue: str
    team: str
    hours: Decimal
    star_level: int
    star_label: str
    check_in_code: str = ""
    signups: list[ShiftSignupOut]


def signup_out(signup):
    record = getattr(signup, "record", None)
    return {
        "id": signup.pk,
        "status": signup.status,
        "status_label": signup.get_status_display(),
        "activity": str(signup.shift.activity),
        "shift": shift_out(signup.shift),
        "hours": record.hours if record and record.status == "confirmed" else None,
    }


def my_volunteer(request):
    resident = require_resident(request)
    volunteer = (
        Volunteer.objects.select_related("grid__venue", "team").filter(resident=resident).first()
    )
    if volunteer is None:
        raise HttpError(404, _("您还没有申请成为志愿者。"))
    return volunteer


@router.get(
    "/me/volunteer",
    auth=resident_auth,
    response={
        200: VolunteerOut,
        401: VolunteerErrorOut,
        403: VolunteerErrorOut,
        404: VolunteerErrorOut,
    },
    summary="我的志愿服务",
    description="申请状态、已确认服务时长与星级、签到码（审核通过后，有效期 12 小时）和报名的班次。",
    url_name="my_volunteer",
)
def me(request):
    volunteer = my_volunteer(request)
    standing = recognition.standing(volunteer)
    approved = volunteer.status == VolunteerStatus.APPROVED
    held = volunteer.signups.select_related("shift__activity", "record").order_by(
        "-shift__starts_at"
    )
    return {
        "status": volunteer.status,
        "status_label": volunteer.get_status_display(),
        "review_note": volunteer.review_note,
        "grid": str(volunteer.grid),
        "venue": str(volunteer.grid.venue),
        "team": str(volunteer.team or ""),
        "hours": standing.hours,
        "star_level": standing.level,
        "star_label": standing.label,
        "check_in_code": hours.qr_token(volunteer) if approved else "",
        "signups": [signup_out(s) for s in held[:100]],
    }


@router.post(
    "/volunteer-shifts/{shift_id}/signups",
    auth=resident_auth,
    response={
        201: ShiftSignupOut,
        400: VolunteerErrorOut,
        401: VolunteerErrorOut,
        403: VolunteerErrorOut,
        404: VolunteerErrorOut,
        409: VolunteerErrorOut,
    },
    summary="报名班次",
    description="审核通过的志愿者报名一个班次（待工作人员确认）。名额已满、与已报名班次时间重叠或重复报名返回 409。",
    url_name="volunteer_sign_up",
)
def sign_up(request, shift_id: int):
    volunteer = my_volunteer(request)
    shift = get_object_or_404(Shift, pk=shift_id, activity__published=True)
    try:
        signup = signups.sign_up(volunteer, shift)
    except ValidationError as error:
        return refusal(error)
    signup.shift = Shift.objects.select_related("activity").get(pk=shift.pk)
    return Status(201, signup_out(signup))


@router.delete(
    "/volunteer-signups/{signup_id}",
    auth=resident_auth,
    response={
        204: None,
        400: VolunteerErrorOut,
        401: VolunteerErrorOut,
        403: VolunteerErrorOut,
        404: VolunteerErrorOut,
    },
    summary="取消班次报名",
    description="班次开始前可以取消，名额随即释放。",
    url_name="volunteer_cancel",
)
def cancel(request, signup_id: int):
    volunteer = my_volunteer(request)
    signup = get_object_or_404(ShiftSignup, pk=signup_id, volunteer=volunteer, status__in=HOLDING)
    try:
        signups.cancel(signup)
    except ValidationError as error:
        return refusal(error)
    return Status(204, None)
