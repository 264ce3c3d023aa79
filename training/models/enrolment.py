"""Places and enrolments: one mechanism for courses and for events with registration.

An Offering is the counter row every enrolment locks. `enrolled` counts the places taken and a
database CHECK keeps it at or below `capacity`, so no code path (a race, a bulk update, a bug)
can over-fill a course; `waitlist_seq` hands out waiting-list numbers in the order requests
took the lock, and `waiting` counts who is on the list."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from ..rules import DEFAULT_MAX_ACTIVE_COURSES, RATING_MAX, RATING_MIN

STARS = [MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]


class Offering(models.Model):
    course = models.OneToOneField(
        "resources.Course",
        verbose_name=_("课程"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offering",
    )
    event = models.OneToOneField(
        "portal.EventPage",
        verbose_name=_("活动"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="offering",
    )
    # The course's owner or the event's venue, kept here so that "which venue's staff manage
    # these enrolments" is one indexed column rather than a walk up the page tree.
    venue = models.ForeignKey(
        "network.Venue",
        verbose_name=_("场馆"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="offerings",
    )
    capacity = models.PositiveIntegerField(_("名额"))
    enrolled = models.PositiveIntegerField(_("已报名"), default=0, editable=False)
    waitlist_seq = models.PositiveIntegerField(default=0, editable=False)
    # The people on the waiting list now: a counter beside `enrolled`, kept by the same locked
    # updates, so a new waiting person's position needs no count.
    waiting = models.PositiveIntegerField(_("候补人数"), default=0, editable=False)
    waitlist_limit = models.PositiveIntegerField(
        _("候补人数上限"), null=True, blank=True, help_text=_("留空表示不限。")
    )
    opens_at = models.DateTimeField(_("报名开始时间"), null=True, blank=True)
    closes_at = models.DateTimeField(
        _("报名截止时间"),
        null=True,
        blank=True,
        help_text=_("留空表示第一次课（活动开始）前截止。"),
    )
    min_age = models.PositiveSmallIntegerField(_("最小年龄"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("最大年龄"), null=True, blank=True)
    requires_id_number = models.BooleanField(_("须实名（身份证号）"), default=False)
    reopened_until = models.DateTimeField(
        _("开课后补报名截止"),
        null=True,
        blank=True,
        help_text=_("开课后仍有空位时，可重新开放报名到此时间。"),
    )

    class Meta:
        verbose_name = _("报名设置")
        verbose_name_plural = _("报名设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolled__lte=F("capacity")),
                name="training_offering_not_overfilled",
                violation_error_message=_("报名人数不能超过名额。"),
            ),
            models.CheckConstraint(
                condition=Q(course__isnull=False, event__isnull=True)
                | Q(course__isnull=True, event__isnull=False),
                name="training_offering_course_or_event",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="training_offering_age_range",
                violation_error_message=_("最小年龄不能大于最大年龄。"),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(opens_at__lt=F("closes_at")),
                name="training_offering_window",
                violation_error_message=_("报名截止时间必须晚于开始时间。"),
            ),
        ]

    def __str__(self):
        return str(self.course or self.event)

    @property
    def target(self):
        return self.course or self.event

    @property
    def places_left(self):
        return max(self.capacity - self.enrolled, 0)


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("已报名")
    WAITLISTED = "waitlisted", _("候补中")
    CANCELLED = "cancelled", _("已取消")


ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED)


class Enrolment(models.Model):
    offering = models.ForeignKey(
        Offering, verbose_name=_("报名项目"), on_delete=models.CASCADE, related_name="enrolments"
    )
    resident = models.ForeignKey(
        "training.Resident",
        verbose_name=_("居民"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    status = models.CharField(_("状态"), max_length=10, choices=EnrolmentStatus.choices)
    waitlist_number = models.PositiveIntegerField(_("候补序号"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("候补转正时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代报名的工作人员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "resident"],
                condition=Q(status__in=ACTIVE),
                name="training_one_active_enrolment",
                violation_error_message=_("您已报名该项目，不能重复报名。"),
            ),
            models.CheckConstraint(
                condition=Q(status=EnrolmentStatus.WAITLISTED, waitlist_number__isnull=False)
                | ~Q(status=EnrolmentStatus.WAITLISTED),
                name="training_waitlisted_has_number",
            ),
        ]
        indexes = [models.Index(fields=["offering", "status", "waitlist_number"])]

    def __str__(self):
        return f"{self.resident} · {self.offering}"


class AttendanceMethod(models.TextChoices):
    ROLL = "roll", _("点名")
    QR = "qr", _("扫码")


class Attendance(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("报名"), on_delete=models.CASCADE, related_name="attendance"
    )
    session = models.ForeignKey(
        "resources.CourseSession",
        verbose_name=_("课次"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attendance",
        help_text=_("活动没有课次，留空。"),
    )
    present = models.BooleanField(_("出勤"), default=True)
    method = models.CharField(
        _("方式"), max_length=5, choices=AttendanceMethod.choices, default=AttendanceMethod.ROLL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("考勤")
        verbose_name_plural = _("考勤")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"],
                condition=Q(session__isnull=False),
                name="training_attendance_once_per_session",
            ),
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(session__isnull=True),
                name="training_attendance_once_per_event",
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.session or ''}"


class Rating(models.Model):
    """A resident's rating of a course (or event) and its teacher, after it has ended.

    When the resident deletes their account the rating stays, anonymised: the enrolment (and
    with it who rated) goes, the offering, stars and comment remain for the evaluation."""

    offering = models.ForeignKey(
        Offering, verbose_name=_("报名项目"), on_delete=models.CASCADE, related_name="ratings"
    )
    enrolment = models.OneToOneField(
        Enrolment,
        verbose_name=_("报名"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rating",
        help_text=_("评价人注销账号后为空（评价匿名保留）。"),
    )
    stars = models.PositiveSmallIntegerField(_("课程评分"), validators=STARS)
    teacher = models.ForeignKey(
        "resources.Teacher",
        verbose_name=_("教师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    teacher_stars = models.PositiveSmallIntegerField(
        _("教师评分"), null=True, blank=True, validators=STARS
    )
    comment = models.TextField(_("评价"), blank=True, max_length=500)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=RATING_MIN, stars__lte=RATING_MAX),
                name="training_rating_stars",
                violation_error_message=_("评分须在1到5星之间。"),
            ),
            models.CheckConstraint(
                condition=Q(teacher_stars__isnull=True)
                | Q(teacher_stars__gte=RATING_MIN, teacher_stars__lte=RATING_MAX),
                name="training_rating_teacher_stars",
                violation_error_message=_("评分须在1到5星之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment or self.offering} · {self.stars}★"


@register_setting(icon="group")
class TrainingSettings(BaseGenericSetting):
    """Set by the hub in 设置 → 培训报名设置."""

    max_active_courses = models.PositiveSmallIntegerField(
        _("每人同时在读/候补的课程上限"),
        default=DEFAULT_MAX_ACTIVE_COURSES,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("培训报名设置")
