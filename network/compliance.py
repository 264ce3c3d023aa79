"""Opening-hours compliance per venue per week (免费开放 duties, network.plan.OPENING_DUTIES).

Hours are counted on the local clock within the week [Monday 00:00, next Monday 00:00): an
overnight slot is split at midnight between its days and at Sunday midnight between weeks, so
Sunday night's tail counts in the next week, and last Sunday's tail in this one. A holiday
exception replaces the weekly slots that start on its date. Overlapping intervals count once.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from .models import ActualOpening, HoursException, OpeningHours, Venue
from .plan import OPENING_DUTIES, PUBLIC_STATUSES, Level
from .rules import slot_hours

WEEK = timedelta(days=7)


def week_start(day):
    return day - timedelta(days=day.weekday())


def week_bounds(monday):
    start = datetime.combine(monday, time(0))
    return start, start + WEEK


@dataclass(frozen=True)
class WeekHours:
    total: Decimal
    free: Decimal


def _span(day, opens, closes, next_day):
    start = datetime.combine(day, opens)
    return start, start + timedelta(hours=float(slot_hours(opens, closes, next_day)))


def declared_intervals(slots, exceptions, monday):
    """(start, end, is_free) of the declared openings starting from the Sunday before `monday`
    (its overnight tail may reach into the week) to the week's Sunday."""
    by_weekday, by_date = {}, {}
    for slot in slots:
        by_weekday.setdefault(slot.weekday, []).append(slot)
    for exception in exceptions:
        by_date.setdefault(exception.date, []).append(exception)
    for offset in range(-1, 7):
        day = monday + timedelta(days=offset)
        rows = by_date[day] if day in by_date else by_weekday.get(day.weekday(), [])
        for row in rows:
            if row.opens is not None:
                yield (*_span(day, row.opens, row.closes, row.closes_next_day), row.is_free)


def actual_intervals(openings, now=None):
    """(start, end, is_free) in local time; a check-in not yet closed counts until now."""
    now = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    for opening in openings:
        start = timezone.localtime(opening.opened_at).replace(tzinfo=None)
        end = (
            timezone.localtime(opening.closed_at).replace(tzinfo=None) if opening.closed_at else now
        )
        if end > start:
            yield start, end, opening.is_free


def _union_hours(spans):
    total, current = timedelta(0), None
    for start, end in sorted(spans):
        if current and start <= current[1]:
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += current[1] - current[0]
        current = (start, end)
    if current:
        total += current[1] - current[0]
    return Decimal(total.total_seconds()) / Decimal(3600)


def hours_in_week(intervals, monday):
    week_from, week_to = week_bounds(monday)
    clipped = [
        (max(start, week_from), min(end, week_to), free)
        for start, end, free in intervals
        if end > week_from and start < week_to
    ]
    return WeekHours(
        total=_union_hours((s, e) for s, e, _free in clipped),
        free=_union_hours((s, e) for s, e, free in clipped if free),
    )


@dataclass(frozen=True)
class Compliance:
    venue: Venue
    monday: object
    declared: WeekHours
    actual: WeekHours | None  # None: the venue did not record openings yet

    @property
    def duty(self):
        return OPENING_DUTIES[self.venue.level]

    def shortfall(self, hours):
        """(open hours missing, free/low-cost hours missing) against the duty."""
        if hours is None:
            return None
        return (
            max(Decimal(0), self.duty.min_open_hours - hours.total),
            max(Decimal(0), self.duty.min_free_hours - hours.free),
        )

    @property
    def declared_shortfall(self):
        return self.shortfall(self.declared)

    @property
    def actual_shortfall(self):
        return self.shortfall(self.actual)

    @property
    def declared_ok(self):
        return not any(self.declared_shortfall)

    @property
    def actual_ok(self):
        return self.actual is None or not any(self.actual_shortfall)

    @property
    def compliant(self):
        return self.declared_ok and self.actual_ok

    @property
    def gap(self):
        """Declared minus actual (total, free) hours; None without actual records."""
        if self.actual is None:
            return None
        return (self.declared.total - self.actual.total, self.declared.free - self.actual.free)


def venues_with_duties(queryset, monday, now=None):
    """`queryset` of venues (branches and points count) prepared for assess(): timetables,
    this week's exceptions and actual openings, and whether the venue records openings."""
    week_from, week_to = (timezone.make_aware(b) for b in week_bounds(monday))
    return (
        queryset.filter(level__in=list(OPENING_DUTIES), status__in=PUBLIC_STATUSES)
        .annotate(
            tracks_actual=Exists(
                ActualOpening.objects.filter(venue=OuterRef("pk"), opened_at__lt=week_to)
            )
        )
        .prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.all()),
            Prefetch(
                "hours_exceptions",
                queryset=HoursException.objects.filter(
                    date__gte=monday - timedelta(days=1), date__lt=monday + WEEK
                ),
            ),
            Prefetch(
                "actual_openings",
                queryset=ActualOpening.objects.filter(
                    Q(closed_at__gt=week_from) | Q(closed_at__isnull=True),
                    opened_at__lt=week_to,
                ),
            ),
        )
    )


def assess(venue, monday, now=None):
    """The week's compliance of a venue fetched through venues_with_duties()."""
    declared = hours_in_week(
        declared_intervals(venue.opening_hours.all(), venue.hours_exceptions.all(), monday), monday
    )
    actual = None
    if getattr(venue, "tracks_actual", False):
        actual = hours_in_week(actual_intervals(venue.actual_openings.all(), now), monday)
    return Compliance(venue=venue, monday=monday, declared=declared, actual=actual)


def assess_venue(venue, monday=None, now=None):
    """Compliance of one venue in the week of `monday` (default: this week); None when its
    level has no opening duty (the hub, main centres) or it is not in the public network."""
    monday = week_start(monday or timezone.localdate())
    fetched = venues_with_duties(Venue.objects.filter(pk=venue.pk), monday, now).first()
    return assess(fetched, monday, now) if fetched else None


def scope_for(user):
    """Venues whose compliance `user` oversees: all for the hub's staff, a main centre's
    subtree for its staff, none otherwise."""
    from .services import venues_for_user

    if user.is_superuser:
        return Venue.objects.all()
    own = list(venues_for_user(user).filter(level__in=(Level.HUB, Level.MAIN)))
    if any(v.level == Level.HUB for v in own):
        return Venue.objects.all()
    pks = {d.pk for main in own for d in main.descendants()}
    return Venue.objects.filter(pk__in=pks)


def assess_scope(user, monday, now=None, only_failing=False):
    results = [
        assess(venue, monday, now)
        for venue in venues_with_duties(scope_for(user), monday, now).select_related("parent")
    ]
    if only_failing:
        results = [r for r in results if not r.compliant]
    return sorted(results, key=lambda r: (r.compliant, r.venue.district, r.venue.name))
