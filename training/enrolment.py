"""Enrolment services: every change of an offering's places goes through here.

Each service runs in one transaction that first locks the offering row (SELECT … FOR UPDATE on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers already), so the checks, the
counter and the waiting-list number are decided by one request at a time, in the order the
requests took the lock. The database has the last word all the same: its CHECK keeps `enrolled`
at or below `capacity`, and a partial unique index allows one active enrolment per person.

Refusals are ValidationErrors with a Chinese message and a code naming the rule (the API turns
the codes into HTTP statuses, see training.api.STATUS_OF_CODE)."""

from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from resources.models import Course
from resources.vocab import CourseStatus

from . import enrol_sql, schedule, usage
from .accounts import anonymous_label
from .models import ACTIVE, Enrolment, EnrolmentStatus, Offering, TrainingSettings
from .notifications import notify_promoted

ENROLLED, WAITLISTED, CANCELLED = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.CANCELLED,
)


CAP_CACHE_KEY = "training:max-active-courses"

# Wagtail log actions of what staff do for a resident (registered in wagtail_hooks).
STAFF_ENROLLED = "training.enrolment.staff_enrol"
STAFF_CANCELLED = "training.enrolment.staff_cancel"


def refuse(message, code):
    raise ValidationError(message, code=code)


def _locked(offering_pk):
    return _lock_one(Offering.objects.filter(pk=offering_pk))


def _lock_one(offerings):
    """Lock and read the one offering of `offerings` with its course (one query; an event is
    read when asked for) and the course's sessions; Offering.DoesNotExist if there is none.
    The sessions come in a second, plain query: measured, it costs less than the four
    subqueries that would put the first and last session into the locking one."""
    locked = offerings.select_for_update(of=("self",)).select_related("course")
    return locked.prefetch_related("course__sessions").get()


# --- the rules, in the order they are checked ----------------------------------------------


def check_window(offering, now):
    win = schedule.window(offering, now)
    kind = schedule.kind_label(offering)
    if win.state == "unavailable":
        refuse(_("该%(kind)s目前不接受报名。") % {"kind": kind}, "unavailable")
    if win.state == "ended":
        refuse(_("该%(kind)s已经结束。") % {"kind": kind}, "ended")
    if win.state == "not_yet":
        refuse(
            _("报名尚未开始，将于 %(when)s 开始。")
            % {"when": schedule.format_moment(win.opens_at)},
            "not_open_yet",
        )
    if win.state == "closed":
        refuse(
            _("报名已于 %(when)s 截止。") % {"when": schedule.format_moment(win.closes_at)},
            "closed",
        )


def age_range_label(offering):
    low, high = offering.min_age, offering.max_age
    if low is not None and high is not None:
        return _("%(low)s–%(high)s 岁") % {"low": low, "high": high}
    if low is not None:
        return _("%(low)s 岁及以上") % {"low": low}
    if high is not None:
        return _("%(high)s 岁及以下") % {"high": high}
    return ""


def check_person(offering, resident):
    """Age range (counted on the first day) and the ID number, when the offering asks."""
    kind = schedule.kind_label(offering)
    if offering.min_age is not None or offering.max_age is not None:
        ages = age_range_label(offering)
        if resident.birth_date is None:
            refuse(
                _("该%(kind)s限 %(ages)s报名，请先在个人资料中填写出生日期或身份证号。")
                % {"kind": kind, "ages": ages},
                "birth_date_missing",
            )
        age = resident.age_on(schedule.first_day(offering))
        too_young = offering.min_age is not None and age < offering.min_age
        if too_young or (offering.max_age is not None and age > offering.max_age):
            refuse(
                _("该%(kind)s限 %(ages)s报名，按开始之日计算您为 %(age)s 岁，不符合年龄要求。")
                % {"kind": kind, "ages": ages, "age": age},
                "too_young" if too_young else "too_old",
            )
    if offering.requires_id_number and not resident.id_number:
        refuse(
            _("该%(kind)s须实名报名，请先在个人资料中填写身份证号。") % {"kind": kind},
            "id_number_missing",
        )


def active_enrolment(resident, offering):
    return Enrolment.objects.filter(resident=resident, offering=offering, status__in=ACTIVE).first()


def check_not_enrolled(offering, held):
    """`held`: the resident's active enrolments."""
    current = next((e for e in held if e.offering_id == offering.pk), None)
    if current is None:
        return
    if current.status == WAITLISTED:
        refuse(
            _("您已在候补名单中（第 %(position)s 位），不能重复报名。")
            % {"position": waitlist_position(current)},
            "duplicate",
        )
    refuse(
        _("您已报名该%(kind)s，不能重复报名。") % {"kind": schedule.kind_label(offering)},
        "duplicate",
    )


def running_course_enrolments(resident, today=None):
    """The resident's active enrolments in courses that have not ended by `today` (a course
    ends on its end date, else the day of its last session, else its start date)."""
    today = today or timezone.localdate()
    return (
        Enrolment.objects.filter(
            resident=resident, status__in=ACTIVE, offering__course__isnull=False
        )
        .annotate(
            last_day=Coalesce(
                "offering__course__end_date",
                Max("offering__course__sessions__date"),
                "offering__course__start_date",
            )
        )
        .filter(Q(last_day__isnull=True) | Q(last_day__gte=today))
    )


def max_active_courses():
    """The hub's cap, read once a minute per process (it is read on every enrolment and
    changes perhaps once a year; saving the setting clears it, see training.signals)."""
    cap = cache.get(CAP_CACHE_KEY)
    if cap is None:
        cap = TrainingSettings.load().max_active_courses
        cache.set(CAP_CACHE_KEY, cap, 60)
    return cap


def check_course_cap(offering, resident, now, held=None):
    """The hub's cap on courses enrolled in or waited for at once (events do not count).
    `held` (the resident's active enrolments, all kinds) spares the count when even all of
    them together stay under the cap — the common case."""
    if offering.course_id is None:
        return
    cap = max_active_courses()
    if held is not None and sum(e.offering_id != offering.pk for e in held) < cap:
        return
    others = (
        running_course_enrolments(resident, timezone.localdate(now))
        .exclude(offering=offering)
        .count()
    )
    if others >= cap:
        refuse(
            _(
                "您同时在读或候补的课程已达上限（%(cap)s 门），"
                "请先取消其他课程，或待课程结束后再报名。"
            )
            % {"cap": cap},
            "too_many_courses",
        )


def held_by(resident):
    """The resident's active enrolments (read under the lock on their row: nothing adds one
    meanwhile)."""
    return enrol_sql.held_by(resident.pk)


def check_rules(offering, resident, now, held):
    check_window(offering, now)
    check_person(offering, resident)
    check_not_enrolled(offering, held)
    check_course_cap(offering, resident, now, held)


# --- enrol, cancel, promote ------------------------------------------------------------------


def waitlist_position(enrolment):
    """1 for the first in line: waiting enrolments with a number up to this one."""
    if enrolment.status != WAITLISTED:
        return None
    return Enrolment.objects.filter(
        offering_id=enrolment.offering_id,
        status=WAITLISTED,
        waitlist_number__lte=enrolment.waitlist_number,
    ).count()


def waitlist_length(offering):
    return offering.waiting


def _sync_course_status(offering):
    """A course shows 已满 while every place is taken and 报名中 otherwise; other statuses
    (draft, closed) are the staff's and stay."""
    if offering.course_id is None:
        return
    status = CourseStatus.FULL if offering.enrolled >= offering.capacity else CourseStatus.OPEN
    Course.objects.filter(pk=offering.course_id, status__in=schedule.ENROLLABLE_STATUSES).exclude(
        status=status
    ).update(status=status)


def enrol(resident, offering, by=None, now=None):
    """Enrol `resident`, or put them on the waiting list when every place is taken.

    `by` is the staff user who registers them at the front desk, if any."""
    return enrol_in(resident, Offering.objects.filter(pk=offering.pk), by=by, now=now)


def enrol_in(resident, offerings, by=None, now=None):
    """enrol() into the one offering of the queryset `offerings`, looked up as it is locked.
    Offering.DoesNotExist when the queryset holds none. The enrolment carries
    `position_on_enrolment`: its place in line at that moment (the `waiting` counter), None
    when enrolled."""

    def lock():
        held = held_by(resident)  # before the offering's lock, to hold that one briefly
        return _lock_one(offerings), held

    return _enrol(resident, lock, by, now)


def enrol_in_public_course(resident, course_id, now=None):
    """enrol_in() the offering of a public course (the API's busy path: found, checked and
    locked by one hand-written query, see training.enrol_sql)."""

    def lock():
        offering, held = enrol_sql.lock_public_course_offering(course_id, resident.pk)
        if offering is None:
            raise Offering.DoesNotExist
        return offering, held

    return _enrol(resident, lock, None, now)


def _enrol(resident, lock_offering, by, now):
    now = now or timezone.now()
    try:
        return _enrol_locked(resident, lock_offering, by, now)
    except IntegrityError:
        # The unique index caught what the checks saw no sign of; the transaction (counter
        # included) has been rolled back.
        with transaction.atomic():  # the lookup locks, which needs a transaction
            kind = schedule.kind_label(lock_offering()[0])
        refuse(_("您已报名该%(kind)s，不能重复报名。") % {"kind": kind}, "duplicate")


def _enrol_locked(resident, lock_offering, by, now):
    with transaction.atomic():
        # The person first, then the offering (the order account deletion takes them in too):
        # their concurrent requests for other courses wait here, so the cap on courses at once
        # is checked against what they hold, not what they held. Only the lock is taken; the
        # rules read the resident the caller has. `lock_offering` returns the locked offering
        # and what the person holds, read after their lock was granted.
        enrol_sql.lock_person(resident.pk)
        offering, held = lock_offering()
        check_rules(offering, resident, now, held)

        enrolment = Enrolment(offering=offering, resident=resident, registered_by=by)
        enrolment.position_on_enrolment = None
        if offering.enrolled < offering.capacity:
            counter = enrol_sql.COUNT_PLACE
            offering.enrolled += 1
            enrolment.status = ENROLLED
            if offering.enrolled == offering.capacity:  # the last place: the course is full
                _sync_course_status(offering)
        else:
            limit = offering.waitlist_limit
            if limit is not None and offering.waiting >= limit:
                refuse(
                    _("名额已满，候补名单也已满（%(limit)s 人），暂时无法报名。")
                    % {"limit": limit},
                    "waitlist_full",
                )
            counter = enrol_sql.COUNT_WAITING
            offering.waitlist_seq += 1
            offering.waiting += 1
            enrolment.status = WAITLISTED
            enrolment.waitlist_number = offering.waitlist_seq
            enrolment.position_on_enrolment = offering.waiting  # the last in line
        enrol_sql.insert(enrolment, counter)
        if enrolment.status == ENROLLED:
            usage.enrolled(enrolment)
        if by is not None:
            log_staff_action(enrolment, STAFF_ENROLLED, by)
    return enrolment


def log_staff_action(enrolment, action, by):
    """An audit-log entry for what staff did on a resident's behalf; the resident is named by
    id only (as account deletion leaves them), never by name or number."""
    resident = enrolment.resident
    log(
        enrolment,
        action,
        user=by,
        title=f"{anonymous_label(resident)} · {enrolment.offering}",
        data={
            "resident": resident.pk,
            "offering": enrolment.offering_id,
            "status": enrolment.status,
            "waitlist_number": enrolment.waitlist_number,
        },
    )


def _promotable(enrolment, offering, now):
    """Whether a waiting person still meets the rules (their age, ID number and the cap may
    have changed while they waited; the enrolment window no longer matters)."""
    try:
        check_person(offering, enrolment.resident)
        check_course_cap(offering, enrolment.resident, now)
    except ValidationError:
        return False
    return True


def fill_places(offering, now):
    """Promote waiting people, lowest number first, into the free places of a locked offering.
    Those who no longer meet the rules keep waiting. Returns the promoted enrolments."""
    promoted = []
    if offering.enrolled >= offering.capacity or schedule.has_ended(offering, now):
        return promoted
    waiting = (
        offering.enrolments.filter(status=WAITLISTED)
        .select_related("resident__user")
        .select_for_update(of=("self",))
        .order_by("waitlist_number")
    )
    for enrolment in waiting:
        if offering.enrolled >= offering.capacity:
            break
        if not _promotable(enrolment, offering, now):
            continue
        enrolment.status = ENROLLED
        enrolment.promoted_at = now
        enrolment.save(update_fields=["status", "promoted_at"])
        Offering.objects.filter(pk=offering.pk).update(
            enrolled=F("enrolled") + 1, waiting=F("waiting") - 1
        )
        offering.enrolled += 1
        offering.waiting -= 1
        enrolment.offering = offering
        promoted.append(enrolment)
        usage.enrolled(enrolment)
        transaction.on_commit(lambda e=enrolment: notify_promoted(e))
    return promoted


def _shrink_to_target(offering):
    """Places held above the course's (or event's) number because more people were enrolled
    when staff lowered it go as those people leave: nobody waiting takes them."""
    target = offering.target.capacity
    if target is not None and offering.capacity > target:
        offering.capacity = max(target, offering.enrolled)
        offering.save(update_fields=["capacity"])


@dataclass
class Cancellation:
    enrolment: Enrolment
    promoted: list


def _cancel_locked(offering, enrolment, now):
    was_enrolled = enrolment.status == ENROLLED
    enrolment.status = CANCELLED
    enrolment.cancelled_at = now
    enrolment.save(update_fields=["status", "cancelled_at"])
    promoted = []
    if was_enrolled:
        Offering.objects.filter(pk=offering.pk).update(enrolled=F("enrolled") - 1)
        offering.enrolled -= 1
        _shrink_to_target(offering)
        promoted = fill_places(offering, now)
    else:
        Offering.objects.filter(pk=offering.pk).update(waiting=F("waiting") - 1)
        offering.waiting -= 1
    _sync_course_status(offering)
    return promoted


def cancel(enrolment, by=None, now=None):
    """Cancel an enrolment (by the resident, or by staff as `by`); a freed place goes to the
    first person waiting who still meets the rules, in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        offering = _locked(enrolment.offering_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == CANCELLED:
            refuse(_("该报名已经取消。"), "already_cancelled")
        if schedule.has_ended(offering, now):
            refuse(
                _("该%(kind)s已经结束，不能取消报名。") % {"kind": schedule.kind_label(offering)},
                "ended",
            )
        promoted = _cancel_locked(offering, enrolment, now)
        if by is not None:
            log_staff_action(enrolment, STAFF_CANCELLED, by)
    return Cancellation(enrolment, promoted)


def cancel_all_for(resident, now=None):
    """Cancel every active enrolment of a resident (their account is being deleted), freeing
    places for those waiting. Offerings are locked in id order, as every caller does."""
    now = now or timezone.now()
    cancelled = []
    with transaction.atomic():
        for enrolment in resident.enrolments.filter(status__in=ACTIVE).order_by("offering_id"):
            offering = _locked(enrolment.offering_id)
            enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
            if enrolment.status != CANCELLED:
                _cancel_locked(offering, enrolment, now)
                cancelled.append(enrolment)
    return cancelled


# --- places and windows set by staff ----------------------------------------------------------


def set_capacity(offering, wanted, now=None):
    """Follow the course's (or event's) number of places. Never below the places taken: nobody
    is removed, and nobody new comes in until enough people leave. Returns the offering, with
    `capacity` above `wanted` when it was held up that way."""
    now = now or timezone.now()
    with transaction.atomic():
        offering = _locked(offering.pk)
        capacity = max(wanted, offering.enrolled)
        if capacity != offering.capacity:
            offering.capacity = capacity
            offering.save(update_fields=["capacity"])
            fill_places(offering, now)
        _sync_course_status(offering)
    return offering


def sync_course_offering(course):
    """Called whenever a course is saved: an open course gets its offering; an existing one
    follows the course's places and owner."""
    offering = Offering.objects.filter(course=course).first()
    if offering is None:
        if course.status != CourseStatus.OPEN:
            return None
        offering, _created = Offering.objects.get_or_create(
            course=course, defaults={"capacity": course.capacity, "venue_id": course.owner_id}
        )
    if offering.venue_id != course.owner_id:
        Offering.objects.filter(pk=offering.pk).update(venue_id=course.owner_id)
    return set_capacity(offering, course.capacity)


def sync_event_offering(page):
    """Called when an event page is published: with places and no outside registration link,
    it takes registrations here."""
    offering = Offering.objects.filter(event=page).first()
    if offering is None:
        if not page.capacity or page.registration_url:
            return None
        offering, _created = Offering.objects.get_or_create(
            event=page, defaults={"capacity": page.capacity}
        )
    venue = page.owning_venue
    Offering.objects.filter(pk=offering.pk).update(venue=venue)
    if not page.capacity:
        return offering
    return set_capacity(offering, page.capacity)


def reopen(offering, until, now=None):
    """Let a started course (or event) with free places take enrolments again until `until`."""
    now = now or timezone.now()
    with transaction.atomic():
        offering = _locked(offering.pk)
        close = schedule.closes_at(offering)
        if close is None or now < close:
            refuse(_("报名尚未截止，无需重新开放。"), "not_closed")
        if offering.enrolled >= offering.capacity:
            refuse(_("名额已满，不能重新开放报名。"), "full")
        end = schedule.ends_at(offering)
        if until <= now:
            refuse(_("补报名截止时间必须晚于现在。"), "until_past")
        if end is not None and until > end:
            refuse(
                _("补报名截止时间不能晚于结束时间（%(end)s）。")
                % {"end": schedule.format_moment(end)},
                "until_after_end",
            )
        offering.reopened_until = until
        offering.save(update_fields=["reopened_until"])
    return offering
