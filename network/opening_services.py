"""Recording actual openings: a staff member's 开馆打卡/闭馆打卡, or an imported list.

Rights: a venue's own staff record its openings; the hub and a main centre may import for the
venues they oversee (network.compliance.scope_for). Bad input raises ValidationError with a
Chinese message and writes nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from metrics.events import OPENING_CHECKIN
from metrics.services import record as record_usage

from . import tables
from .compliance import scope_for
from .models import ActualOpening, Venue
from .opening import OpeningSource
from .services import venues_for_user

IMPORT_HEADERS = ("场馆代码", "开馆时间", "闭馆时间")
IMPORT_OPTIONAL = ("免费/低收费",)
YES = {"是", "免费", "低收费", "y", "yes", "1", "true", "√"}
NO = {"否", "收费", "n", "no", "0", "false", "×"}


def can_check_in(user, venue):
    return user.is_superuser or venues_for_user(user).filter(pk=venue.pk).exists()


def open_checkin(venue):
    return ActualOpening.objects.filter(venue=venue, closed_at__isnull=True).first()


def check_in(user, venue, is_free=True, now=None):
    if not can_check_in(user, venue):
        raise PermissionDenied(_("您不是该场馆的工作人员，不能打卡。"))
    try:
        with transaction.atomic():
            opening = ActualOpening.objects.create(
                venue=venue,
                opened_at=now or timezone.now(),
                is_free=is_free,
                source=OpeningSource.CHECKIN,
                recorded_by=user,
            )
            _count(opening)
            return opening
    except IntegrityError as error:  # the one-open-check-in constraint: a double click
        raise ValidationError(_("该场馆已开馆打卡，请先闭馆打卡。")) from error


def check_out(user, venue, now=None):
    if not can_check_in(user, venue):
        raise PermissionDenied(_("您不是该场馆的工作人员，不能打卡。"))
    now = now or timezone.now()
    with transaction.atomic():
        opening = (
            ActualOpening.objects.select_for_update()
            .filter(venue=venue, closed_at__isnull=True)
            .first()
        )
        if opening is None:
            raise ValidationError(_("该场馆尚未开馆打卡，不能闭馆打卡。"))
        if now <= opening.opened_at:
            raise ValidationError(_("闭馆时间必须晚于开馆时间。"))
        opening.closed_at = now
        opening.save(update_fields=["closed_at"])
    return opening


def _flag(value):
    raw = tables.text(value).lower()
    if raw in YES or raw == "":
        return True
    if raw in NO:
        return False
    raise ValueError(_("免费/低收费一栏请填“是”或“否”，不能是“%(value)s”。") % {"value": raw})


def import_openings(user, upload):
    """Import a .xlsx/.csv of openings (场馆代码, 开馆时间, 闭馆时间[, 免费/低收费]).

    All or nothing: returns the number of records written, or raises ValidationError listing
    every bad row ("第 N 行：…")."""
    rows = tables.read_rows(upload, IMPORT_HEADERS, IMPORT_OPTIONAL)
    allowed = {
        v.code: v
        for v in Venue.objects.filter(Q(pk__in=scope_for(user)) | Q(pk__in=venues_for_user(user)))
    }
    errors, records = [], []
    for number, cells in rows:
        try:
            code = tables.text(cells["场馆代码"])
            venue = allowed.get(code)
            if venue is None:
                exists = Venue.objects.filter(code=code).exists()
                raise ValueError(
                    _("场馆代码“%(code)s”%(why)s。")
                    % {"code": code, "why": _("不在您管理的范围内") if exists else _("不存在")}
                )
            opened = tables.local_datetime(cells["开馆时间"], "开馆时间")
            closed = tables.local_datetime(cells["闭馆时间"], "闭馆时间")
            if closed <= opened:
                raise ValueError(_("闭馆时间必须晚于开馆时间。"))
            is_free = _flag(cells.get("免费/低收费"))
        except ValueError as error:
            errors.append(_("第 %(row)d 行：%(error)s") % {"row": number, "error": error})
            continue
        records.append(
            (
                number,
                ActualOpening(
                    venue=venue,
                    opened_at=timezone.make_aware(opened),
                    closed_at=timezone.make_aware(closed),
                    is_free=is_free,
                    source=OpeningSource.IMPORT,
                    recorded_by=user,
                ),
            )
        )
    errors = errors or _overlap_errors(records)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        created = ActualOpening.objects.bulk_create([opening for _n, opening in records])
        for opening in created:
            _count(opening)
    return len(records)


def _count(opening):
    """An opening recorded (checked in or imported) counts for the usage metrics when it is
    recorded: an imported past opening lands on today, not on a day already aggregated."""
    record_usage(
        OPENING_CHECKIN,
        venue=opening.venue_id,
        object_key=f"opening:{opening.pk}",
        detail=opening.source,
        on_commit=True,
    )


def _overlap_errors(records):
    """Openings overlapping another in the file or one already recorded would count twice."""
    errors = []
    by_venue = {}
    for number, record in records:
        by_venue.setdefault(record.venue_id, []).append((number, record))
    for venue_id, entries in by_venue.items():
        entries.sort(key=lambda e: e[1].opened_at)
        for (_n, a), (n, b) in zip(entries, entries[1:], strict=False):
            if b.opened_at < a.closed_at:
                errors.append(
                    _("第 %(row)d 行：与文件中同一场馆的另一条记录时间重叠。") % {"row": n}
                )
        first, last = entries[0][1].opened_at, max(e[1].closed_at for e in entries)
        existing = ActualOpening.objects.filter(
            venue_id=venue_id, opened_at__lt=last, closed_at__gt=first
        )
        for old in existing:
            for n, record in entries:
                if record.opened_at < old.closed_at and old.opened_at < record.closed_at:
                    errors.append(
                        _("第 %(row)d 行：与已有的开放记录（%(at)s）时间重叠。")
                        % {
                            "row": n,
                            "at": timezone.localtime(old.opened_at).strftime("%Y-%m-%d %H:%M"),
                        }
                    )
    return errors
