"""Checks of a venue against the plan (network.plan). Each returns Chinese error messages."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from .plan import HUB_AFFILIATED_OPERATORS, LEVEL_RULES, Level, Weekday


def expected_name(level, parent_name, place_name):
    """The plan's standard name for a venue of `level` named after `place_name`."""
    rule = LEVEL_RULES[level]
    prefix = parent_name if rule.inherits_parent_name else ""
    return f"{prefix}{place_name}{rule.name_suffix}"


def place_from_name(level, parent_name, name):
    """The XX part of a standard name, or None when the name does not follow the rule."""
    rule = LEVEL_RULES[level]
    prefix = parent_name if rule.inherits_parent_name else ""
    if not (name.startswith(prefix) and name.endswith(rule.name_suffix)):
        return None
    place = name[len(prefix) : len(name) - len(rule.name_suffix)].strip()
    return place or None


def naming_errors(level, parent_name, name):
    rule = LEVEL_RULES[level]
    if level == Level.HUB or place_from_name(level, parent_name, name):
        return []
    return [
        _("%(level)s名称必须为“%(form)s”的形式（如“%(example)s”），“%(name)s”不符合命名规则。")
        % {
            "level": Level(level).label,
            "form": expected_name(level, parent_name, "XX"),
            "example": rule.example,
            "name": name,
        }
    ]


def hierarchy_errors(level, parent, operator_type, ancestors_of_parent, venue_pk):
    """Tree rules: allowed parent levels, no cycles, hub-affiliated operators join the hub."""
    rule = LEVEL_RULES[level]
    if not rule.parents:
        return [_("中心馆不能有上级场馆。")] if parent is not None else []
    if parent is None:
        return [_("%(level)s必须有上级场馆。") % {"level": Level(level).label}]
    errors = []
    if venue_pk is not None and (parent.pk == venue_pk or venue_pk in ancestors_of_parent):
        errors.append(_("不能把场馆移到它自己或它的下级场馆之下（层级不能成环）。"))
    if parent.level not in rule.parents:
        allowed = "、".join(str(Level(p).label) for p in rule.parents)
        errors.append(
            _("%(level)s的上级必须是%(allowed)s，不能是%(parent_level)s。")
            % {
                "level": Level(level).label,
                "allowed": allowed,
                "parent_level": Level(parent.level).label,
            }
        )
    if operator_type in HUB_AFFILIATED_OPERATORS and parent.level != Level.HUB:
        errors.append(
            _("社会艺术培训机构、机关企事业单位和民营文化场所直接加入中心馆，上级必须是中心馆。")
        )
    return errors


def child_level_errors(new_level, child_levels):
    """Changing a venue's level must keep its existing children valid."""
    bad = sorted({c for c in child_levels if new_level not in LEVEL_RULES[c].parents})
    if not bad:
        return []
    return [
        _("该场馆下有%(children)s，不能改为%(level)s。")
        % {
            "children": "、".join(str(Level(c).label) for c in bad),
            "level": Level(new_level).label,
        }
    ]


def slot_hours(opens, closes, next_day=False):
    """Length of an opening slot in hours. Closing at 00:00 means midnight, the end of the day;
    a slot that closes the next day (an overnight opening) runs past midnight."""
    start = datetime.combine(date.min, opens)
    end = datetime.combine(date.min, closes)
    if next_day or closes == time(0):
        end += timedelta(days=1)
    return Decimal((end - start).total_seconds()) / Decimal(3600)


MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


def opening_hours_errors(slots):
    """`slots`: iterable of (weekday, opens, closes[, closes_next_day]). Reversed times, or
    overlaps — also of an overnight slot with the next morning's (Sunday night runs into
    Monday)."""
    errors, spans = [], []
    for weekday, opens, closes, *rest in slots:
        next_day = bool(rest and rest[0])
        if opens is None or closes is None:
            continue
        if next_day and closes > opens:
            errors.append(
                _("开放时间 %(span)s 有误：次日闭馆的时段，闭馆时间应不晚于开馆时间。")
                % {"span": _span(opens, closes, next_day)}
            )
            continue
        if not next_day and closes <= opens and closes != time(0):
            errors.append(
                _(
                    "开放时间 %(opens)s–%(closes)s 有误：闭馆时间必须晚于开馆时间。"
                    "跨午夜开放请勾选“次日闭馆”。"
                )
                % {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
            )
            continue
        start = weekday * MINUTES_PER_DAY + opens.hour * 60 + opens.minute
        end = start + int(slot_hours(opens, closes, next_day) * 60)
        spans.append((start, end, weekday, _span(opens, closes, next_day)))
        if end > MINUTES_PER_WEEK:  # Sunday night's tail lies over Monday morning
            spans.append((start - MINUTES_PER_WEEK, end - MINUTES_PER_WEEK, weekday, spans[-1][3]))
    spans.sort()
    # Compare each slot with the one reaching latest so far, not just its neighbour:
    # 08:00–20:00 overlaps 11:00–12:00 even with 09:00–10:00 in between.
    latest = spans[0] if spans else None
    for span in spans[1:]:
        if span[0] < latest[1]:
            errors.append(_overlap_message(latest, span))
        if span[1] > latest[1]:
            latest = span
    return list(dict.fromkeys(errors))


def _overlap_message(a, b):
    if a[2] == b[2]:
        return _("%(day)s的开放时段 %(a)s 与 %(b)s 重叠。") % {
            "day": Weekday(a[2]).label,
            "a": a[3],
            "b": b[3],
        }
    return _("%(day_a)s的开放时段 %(a)s 与%(day_b)s的 %(b)s 重叠。") % {
        "day_a": Weekday(a[2]).label,
        "a": a[3],
        "day_b": Weekday(b[2]).label,
        "b": b[3],
    }


def _span(opens, closes, next_day=False):
    day = _("次日") if next_day else ""
    return f"{opens:%H:%M}–{day}{closes:%H:%M}"


def admission_errors(
    level, requirement, floor_area, has_functional_rooms, has_training_room, staff
):
    """The plan's conditions of admission (提出申请) that an applicant does not meet.

    `requirement`: network.plan.AdmissionRequirement with the hub's current thresholds."""
    label = Level(level).label
    errors = []
    if floor_area < requirement.min_floor_area:
        errors.append(
            _("面积 %(area)s ㎡ 不足：%(level)s要求面积达到 %(min)s ㎡ 以上。")
            % {
                "area": _number(floor_area),
                "level": label,
                "min": _number(requirement.min_floor_area),
            }
        )
    if requirement.needs_functional_rooms and not has_functional_rooms:
        errors.append(_("%(level)s要求功能用房齐备。") % {"level": label})
    if requirement.needs_training_room and not has_training_room:
        errors.append(_("%(level)s要求有培训教室。") % {"level": label})
    if requirement.needs_dedicated_staff and staff < requirement.min_staff:
        errors.append(
            _("%(level)s要求有专门人员（至少 %(min)s 名），申请中为 %(staff)s 名。")
            % {"level": label, "min": requirement.min_staff, "staff": staff}
        )
    return errors


def _number(value):
    """12.50 → "12.5", 300.00 → "300"."""
    return f"{Decimal(value).normalize():f}"


def exception_errors(rows):
    """`rows`: (date, opens, closes, closes_next_day) holiday exceptions; opens None = closed."""
    errors, by_date = [], {}
    for day, opens, closes, next_day in rows:
        by_date.setdefault(day, []).append((opens, closes, next_day))
    for day, slots in sorted(by_date.items()):
        closed = [s for s in slots if s[0] is None]
        if closed and len(slots) > 1:
            errors.append(_("%(date)s 既设为全天闭馆又设有开放时段。") % {"date": day})
            continue
        if closed:
            continue
        for error in opening_hours_errors((day.weekday(), *slot) for slot in slots):
            errors.append(f"{day}：{error}")
    return errors
