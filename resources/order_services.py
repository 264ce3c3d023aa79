"""Ordering services (点单配送): every order step goes through here.

已点单 → 已受理 → 已排期 → 已配送 → 已评价, or 已拒绝 (by the provider, with a reason) / 已取消 (by the
ordering venue, before delivery). Each function checks the acting user's side (PermissionDenied),
validates (ValidationError with a Chinese message, nothing saved), books or releases the
provider's teachers and programme as Loans, records the step in the order's timeline and in
Wagtail's audit log, and e-mails the other venue after the transaction commits.

Who may order from whom and the rating range are the plan's rules: network.plan.
"""

import dataclasses
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.log_actions import log
from wagtail.models import Collection

from metrics.services import record
from network.models import Venue
from network.plan import MENU_PROVIDER_LEVELS, ORDER_RATING_RANGE, ORDERING_LEVELS

from . import loan_services
from .loans import HOLDING_STATUSES, Loan, LoanStatus
from .models import Course, Programme
from .orders import (
    MENU_COURSE_EXCLUDED_STATUSES,
    MENU_VISIBILITIES,
    OrderEvent,
    OrderStatus,
    ServiceOrder,
)

S = OrderStatus

# action → (statuses it may start from, status it leads to, which side may do it)
TRANSITIONS = {
    "accept": ((S.ORDERED,), S.ACCEPTED, "provider"),
    "schedule": ((S.ACCEPTED,), S.SCHEDULED, "provider"),
    "deliver": ((S.SCHEDULED,), S.DELIVERED, "orderer"),
    "rate": ((S.DELIVERED,), S.RATED, "orderer"),
    "decline": ((S.ORDERED, S.ACCEPTED), S.DECLINED, "provider"),
    "cancel": ((S.ORDERED, S.ACCEPTED, S.SCHEDULED), S.CANCELLED, "orderer"),
}
LOG_PREFIX = "resources.order."
ACTION_LABELS = {
    "create": gettext_lazy("点单"),
    "accept": gettext_lazy("受理"),
    "schedule": gettext_lazy("确认排期"),
    "deliver": gettext_lazy("确认配送"),
    "rate": gettext_lazy("评价"),
    "decline": gettext_lazy("拒绝"),
    "cancel": gettext_lazy("取消点单"),
}

venues_of = loan_services.venues_of
can_act_for = loan_services.can_act_for


# --- who orders from whom ----------------------------------------------------------------------


def providers_for(orderer):
    """The venues whose menu `orderer` may order from: the hub and its own main centre."""
    if orderer.level not in ORDERING_LEVELS:
        return []
    return [v for v in orderer.ancestors() if v.level in MENU_PROVIDER_LEVELS]


def ordering_venues(user):
    """The venues `user` may place orders for (branches and service points)."""
    return venues_of(user).filter(level__in=ORDERING_LEVELS)


def providing_venues(user):
    return venues_of(user).filter(level__in=MENU_PROVIDER_LEVELS)


def menu_of(providers):
    """(courses, programmes) on the menus of `providers`."""
    courses = Course.objects.filter(owner__in=providers, visibility__in=MENU_VISIBILITIES).exclude(
        status__in=MENU_COURSE_EXCLUDED_STATUSES
    )
    programmes = Programme.objects.filter(owner__in=providers, visibility__in=MENU_VISIBILITIES)
    return courses.select_related("owner"), programmes.select_related("owner")


def is_on_menu(item):
    if item.visibility not in MENU_VISIBILITIES:
        return False
    return not (isinstance(item, Course) and item.status in MENU_COURSE_EXCLUDED_STATUSES)


def find_item(key):
    """The course or programme for "course:12" / "programme:3"; None if unknown."""
    prefix, _sep, pk = (key or "").partition(":")
    model = {"course": Course, "programme": Programme}.get(prefix)
    if model is None or not pk.isdigit():
        return None
    return model.objects.select_related("owner").filter(pk=int(pk)).first()


def item_key(item):
    return f"{'course' if isinstance(item, Course) else 'programme'}:{item.pk}"


# --- seeing orders -----------------------------------------------------------------------------


def orders_for(user, side=None):
    """Orders `user` may see: those of their venues (on `side` if given); all for the hub admin."""
    orders = ServiceOrder.objects.select_related("orderer", "provider", "course", "programme")
    if getattr(user, "is_superuser", False):
        return orders
    venues = venues_of(user)
    if side is None:
        return orders.for_venues(venues)
    return orders.filter(**{f"{side}__in": venues})


def can_view(user, order):
    return can_act_for(user, order.orderer) or can_act_for(user, order.provider)


def allowed_actions(user, order, today=None):
    """The steps `user` may take on `order` now, in TRANSITIONS order."""
    today = today or timezone.localdate()
    actions = []
    for action, (sources, _target, side) in TRANSITIONS.items():
        if order.status not in sources or not can_act_for(user, getattr(order, side)):
            continue
        if action == "deliver" and order.date > today:
            continue
        actions.append(action)
    return actions


def pending_count(user):
    """Orders waiting for `user`'s venues to accept them (all such orders for the hub admin)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return orders_for(user, "provider").filter(status=S.ORDERED).count()


# --- placing an order --------------------------------------------------------------------------


def place_order(
    user, orderer, item, date, place, audience_size, note="", start_time=None, today=None
):
    """`orderer` orders `item` (a Course as a course package, or a Programme) from its owner."""
    today = today or timezone.localdate()
    if not can_act_for(user, orderer):
        raise PermissionDenied(_("您无权代表该场馆点单。"))
    if orderer.level not in ORDERING_LEVELS:
        raise ValidationError(_("只有分馆和服务点可以点单。"), code="not_orderer")
    if not isinstance(item, (Course, Programme)):
        raise ValidationError(_("请选择要点的课程包或节目。"), code="no_item")
    provider = item.owner
    if provider not in providers_for(orderer):
        raise ValidationError(
            _("%(orderer)s只能向中心馆或所属总馆点单，不能向%(provider)s点单。")
            % {"orderer": orderer, "provider": provider},
            code="wrong_provider",
        )
    if not is_on_menu(item):
        raise ValidationError(
            _("“%(item)s”不在%(provider)s的配送菜单上。") % {"item": item, "provider": provider},
            code="not_on_menu",
        )
    _check_date(item, date, today)
    place = (place or "").strip()
    if not place:
        raise ValidationError(_("请填写配送地点。"), code="no_place")
    audience_size = _positive_int(audience_size, _("预计人数须为正整数。"), "bad_audience")
    order = ServiceOrder(
        orderer=orderer,
        provider=provider,
        date=date,
        start_time=start_time,
        place=place,
        audience_size=audience_size,
        note=(note or "").strip(),
        created_by=user,
        status=S.ORDERED,
    )
    order.course = item if isinstance(item, Course) else None
    order.programme = item if isinstance(item, Programme) else None
    with transaction.atomic():
        order.save()
        _record(order, "create", user, previous="", note=order.note)
    return order


def _check_date(item, date, today):
    if date is None:
        raise ValidationError(_("请选择配送日期。"), code="no_date")
    if date < today:
        raise ValidationError(_("配送日期不能早于今天。"), code="in_past")
    if isinstance(item, Programme):
        dates = sorted(item.available_dates.values_list("date", flat=True))
        if dates and date not in dates:
            raise ValidationError(
                _("“%(item)s”只在以下日期可配送：%(dates)s。")
                % {"item": item, "dates": "、".join(d.isoformat() for d in dates)},
                code="date_unavailable",
            )


def _positive_int(value, message, code):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(message, code=code) from None
    if number < 1 or str(number) != str(value).strip():
        raise ValidationError(message, code=code)
    return number


# --- the steps ---------------------------------------------------------------------------------


def _step(user, order, action, apply, note="", today=None):
    """Lock `order`, check `user`'s side and the current status, let `apply(order)` validate and
    fill in the step's fields, then save and record. Any error leaves everything unchanged."""
    sources, target, side = TRANSITIONS[action]
    with transaction.atomic():
        # Lock the row: two clicks on "受理" must not both pass the status check.
        order = (
            ServiceOrder.objects.select_for_update(of=("self",))
            .select_related("orderer", "provider", "course", "programme")
            .get(pk=order.pk)
        )
        if not can_act_for(user, getattr(order, side)):
            raise PermissionDenied(_("您无权对这张点单执行该操作。"))
        if order.status not in sources:
            raise ValidationError(
                _("当前状态为“%(status)s”，不能执行“%(action)s”。")
                % {"status": order.get_status_display(), "action": ACTION_LABELS[action]},
                code="bad_transition",
            )
        previous = order.status
        apply(order)
        order.status = target
        order.save()
        _record(order, action, user, previous, note=(note or "").strip())
    return order


def accept(user, order, teachers=(), note="", today=None):
    """The provider accepts, assigning its teachers (at least one for a course package; the
    performers of a programme, if any). The teachers, and the programme itself, are booked for
    the order's date as approved Loans, so the loan system refuses a double booking."""
    today = today or timezone.localdate()
    teachers = list(teachers)

    def apply(order):
        if order.date < today:
            raise ValidationError(_("配送日期已过，不能再受理。"), code="in_past")
        foreign = [t for t in teachers if t.owner_id != order.provider_id]
        if foreign:
            raise ValidationError(
                _("只能指派%(provider)s的师资，%(names)s不属于该馆。")
                % {"provider": order.provider, "names": "、".join(str(t) for t in foreign)},
                code="foreign_teacher",
            )
        if order.course_id and not teachers:
            raise ValidationError(_("请至少指派一名授课教师。"), code="no_teacher")
        items = ([order.programme] if order.programme_id else []) + teachers
        for item in items:
            _book(order, item, user, today)

    return _step(user, order, "accept", apply, note)


def schedule(user, order, start_time=None, place=None, note=""):
    """The provider confirms the time and place (the order's own if not given again)."""

    def apply(order):
        order.start_time = start_time or order.start_time
        order.place = (place or "").strip() or order.place
        if order.start_time is None:
            raise ValidationError(_("请确定开始时间。"), code="no_time")

    return _step(user, order, "schedule", apply, note)


def decline(user, order, reason):
    reason = (reason or "").strip()

    def apply(order):
        if not reason:
            raise ValidationError(_("拒绝点单时请填写理由。"), code="no_reason")
        order.decline_reason = reason
        _release(order, user, LoanStatus.CANCELLED, _("点单被拒绝"))

    return _step(user, order, "decline", apply, reason)


def cancel(user, order, reason=""):
    def apply(order):
        _release(order, user, LoanStatus.CANCELLED, _("点单已取消"))

    return _step(user, order, "cancel", apply, reason)


def confirm_delivery(user, order, attendance, photos=(), uploads=(), note="", today=None):
    """The ordering venue confirms the delivery with the attendance (required) and photos:
    Wagtail images already in the library (`photos`) and/or image files (`uploads`), which are
    added to the ordering venue's collection."""
    today = today or timezone.localdate()
    created = []

    def apply(order):
        if attendance is None or str(attendance).strip() == "":
            raise ValidationError(_("请填写实到人数。"), code="no_attendance")
        order.attendance = _positive_int(attendance, _("实到人数须为正整数。"), "bad_attendance")
        if order.date > today:
            raise ValidationError(
                _("配送日期 %(date)s 未到，不能确认配送。") % {"date": order.date.isoformat()},
                code="too_early",
            )
        for upload in uploads:
            WagtailImageField().clean(upload)  # format and size, before anything is stored
        order.delivery_note = (note or "").strip()
        created.extend(_store_image(order, upload, user) for upload in uploads)
        order.photos.add(*photos, *created)
        _release(order, user, LoanStatus.RETURNED, _("配送完成"))
        record("order_delivered", venue=order.provider_id, value=order.attendance, on_commit=True)

    try:
        return _step(user, order, "deliver", apply, note)
    except Exception:
        # The rows roll back with the transaction; the stored files would not.
        for image in created:
            image.file.delete(save=False)
        raise


def rate(user, order, rating, comment=""):
    low, high = ORDER_RATING_RANGE

    def apply(order):
        message = _("评分须为 %(low)s 到 %(high)s 之间的整数。") % {"low": low, "high": high}
        stars = _positive_int(rating, message, "bad_rating")
        if not low <= stars <= high:
            raise ValidationError(message, code="bad_rating")
        order.rating = stars
        order.rating_comment = (comment or "").strip()

    return _step(user, order, "rate", apply, comment)


# --- loans -------------------------------------------------------------------------------------


def _book(order, item, user, today):
    """Book `item` for the order's date as a loan approved by the provider, with the owner's
    borrowing rules; a double booking is refused with the loan system's message."""
    loan_services.check_rules(item, order.orderer, order.date, order.date, today)
    loan = Loan(
        borrower=order.orderer,
        start_date=order.date,
        end_date=order.date,
        purpose=_("点单配送：%(item)s") % {"item": order.item},
        status=LoanStatus.APPROVED,
        requested_by=order.created_by,
        decided_by=user,
        decided_at=timezone.now(),
        decision_reason=_("随点单受理"),
    )
    loan.set_item(item)
    try:
        loan_services.save_guarded(loan)
    except ValidationError as error:
        raise ValidationError(
            _("“%(item)s”：%(message)s") % {"item": item, "message": error.messages[0]},
            code=error.code,
        ) from error
    data = loan_services.loan_log_data(loan, previous=LoanStatus.REQUESTED)
    data.update(order=order.pk, reason=loan.decision_reason)
    log(instance=loan, action=loan_services.LOG_PREFIX + "approve", user=user, data=data)
    order.loans.add(loan)


def _release(order, user, status, reason):
    """End the order's bookings: cancelled (declined/cancelled order) or returned (delivered)."""
    action = "return" if status == LoanStatus.RETURNED else "cancel"
    for loan in order.loans.filter(status__in=HOLDING_STATUSES):
        previous = loan.status
        loan.status = status
        loan.save(update_fields=["status", "updated_at"])
        data = loan_services.loan_log_data(loan, previous=previous)
        data.update(order=order.pk, reason=str(reason))
        log(instance=loan, action=loan_services.LOG_PREFIX + action, user=user, data=data)


def _store_image(order, upload, user):
    collection = order.orderer.collection or Collection.get_first_root_node()
    title = _("%(item)s 配送现场（%(date)s）") % {"item": order.item, "date": order.date}
    image = get_image_model()(
        title=title, file=upload, collection=collection, uploaded_by_user=user
    )
    image._set_image_file_metadata()  # as Wagtail's own upload views do
    image.save()
    return image


# --- the timeline, audit log and notices -------------------------------------------------------


def _record(order, action, user, previous, note=""):
    actor = user if getattr(user, "is_authenticated", False) else None
    OrderEvent.objects.create(
        order=order,
        action=action,
        from_status=previous,
        to_status=order.status,
        actor=actor,
        note=note,
    )
    data = {"status": order.status, "date": order.date.isoformat()}
    if previous:
        data["previous_status"] = previous
    if note:
        data["reason"] = note
    log(instance=order, action=LOG_PREFIX + action, user=actor, data=data)
    _notify_after_commit(order, action, actor)


# Who hears about a step: the provider of what the ordering venue does, and the other way round.
_NOTIFY_PROVIDER = {"create", "cancel", "deliver", "rate"}


def _notify_after_commit(order, action, actor):
    venue = order.provider if action in _NOTIFY_PROVIDER else order.orderer
    order_pk = order.pk
    transaction.on_commit(lambda: _send_notice(order_pk, venue.pk, action, actor))


def _send_notice(order_pk, venue_pk, action, actor):
    order = ServiceOrder.objects.select_related("orderer", "provider").get(pk=order_pk)
    venue = Venue.objects.get(pk=venue_pk)
    recipients = [r for r in loan_services.venue_recipients(venue) if not actor or r != actor.email]
    if not recipients:
        return
    subject = _("【点单配送】%(action)s：%(item)s") % {
        "action": ACTION_LABELS[action],
        "item": order.item,
    }
    when = order.date.isoformat()
    if order.start_time:
        when += f" {order.start_time:%H:%M}"
    lines = [
        _("项目：%(kind)s “%(item)s”") % {"kind": order.item_kind, "item": order.item},
        _("点单场馆：%(venue)s") % {"venue": order.orderer},
        _("配送场馆：%(venue)s") % {"venue": order.provider},
        _("时间：%(when)s") % {"when": when},
        _("地点：%(place)s") % {"place": order.place},
        _("预计人数：%(n)s") % {"n": order.audience_size},
        _("当前状态：%(status)s") % {"status": order.get_status_display()},
    ]
    if action == "decline":
        lines.append(_("拒绝理由：%(reason)s") % {"reason": order.decline_reason})
    if action == "deliver":
        lines.append(_("实到人数：%(n)s") % {"n": order.attendance})
    if action == "rate":
        lines.append(_("评分：%(stars)s 星") % {"stars": order.rating})
        if order.rating_comment:
            lines.append(_("评价：%(comment)s") % {"comment": order.rating_comment})
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    lines.append(base_url + reverse("resources_orders:detail", args=[order.pk]))
    send_mail(subject, "\n".join(lines), None, recipients, fail_silently=True)


# --- the hub's report --------------------------------------------------------------------------


@dataclasses.dataclass
class DistrictFigures:
    """What happened in one district (of the ordering venues) in a period."""

    district: str
    ordered: int = 0
    declined: int = 0
    cancelled: int = 0
    delivered: int = 0
    attendance: int = 0
    rated: int = 0
    stars: int = 0

    @property
    def average_rating(self):
        return round(self.stars / self.rated, 2) if self.rated else None


# Timeline action → the figure it counts.
REPORTED_ACTIONS = {
    "create": "ordered",
    "decline": "declined",
    "cancel": "cancelled",
    "deliver": "delivered",
    "rate": "rated",
}


def district_report(date_from, date_to):
    """Per district of the ordering venues: the orders placed, declined, cancelled, delivered
    (with the attendance) and rated (with the average rating) between the two dates, by when
    each step happened (local dates, both ends included). The last row is the total."""
    if date_from is None or date_to is None:
        raise ValidationError(_("请选择统计的起止日期。"), code="no_period")
    if date_from > date_to:
        raise ValidationError(_("开始日期不能晚于结束日期。"), code="dates_reversed")
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, datetime.min.time()), tz)
    end = timezone.make_aware(datetime.combine(date_to, datetime.max.time()), tz)
    grouped = (
        OrderEvent.objects.filter(
            created_at__gte=start, created_at__lte=end, action__in=REPORTED_ACTIONS
        )
        .values("order__orderer__district", "action")
        .annotate(
            orders=Count("order", distinct=True),
            attendance=Sum("order__attendance"),
            stars=Sum("order__rating"),
        )
        .order_by()
    )
    rows = {}
    for group in grouped:
        district = group["order__orderer__district"]
        row = rows.setdefault(district, DistrictFigures(district))
        setattr(row, REPORTED_ACTIONS[group["action"]], group["orders"])
        if group["action"] == "deliver":
            row.attendance = group["attendance"] or 0
        if group["action"] == "rate":
            row.stars = group["stars"] or 0
    ordered_rows = [rows[d] for d in sorted(rows)]
    total = DistrictFigures(_("合计"))
    for row in ordered_rows:
        for field in dataclasses.fields(DistrictFigures)[1:]:
            setattr(total, field.name, getattr(total, field.name) + getattr(row, field.name))
    return [*ordered_rows, total]
