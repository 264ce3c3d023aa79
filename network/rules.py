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


def slot_hours(opens, closes):
    """Length of an opening slot in hours; closing at 00:00 means midnight, the end of the day."""
    start = datetime.combine(date.min, opens)
    end = datetime.combine(date.min, closes)
    if closes == time(0):
        end += timedelta(days=1)
    return Decimal((end - start).total_seconds()) / Decimal(3600)


def opening_hours_errors(slots):
    """`slots`: iterable of (weekday, opens, closes). Closing before opening, or overlaps."""
    errors = []
    by_day = {}
    for weekday, opens, closes in slots:
        if opens is None or closes is None:
            continue
        if closes <= opens and closes != time(0):
            errors.append(
                _("开放时间 %(opens)s–%(closes)s 有误：闭馆时间必须晚于开馆时间。")
                % {"opens": opens.strftime("%H:%M"), "closes": closes.strftime("%H:%M")}
            )
            continue
        by_day.setdefault(weekday, []).append((opens, closes))
    for weekday, day_slots in sorted(by_day.items()):
        day_slots.sort()
        # Compare each slot with the one reaching latest so far, not just its neighbour:
        # 08:00–20:00 overlaps 11:00–12:00 even with 09:00–10:00 in between.
        latest = day_slots[0]
        for slot in day_slots[1:]:
            if slot[0] < _end(latest):
                errors.append(
                    _("%(day)s的开放时段 %(a)s 与 %(b)s 重叠。")
                    % {"day": Weekday(weekday).label, "a": _span(latest), "b": _span(slot)}
                )
            if _end(slot) > _end(latest):
                latest = slot
    return errors


def _end(slot):
    """A slot's closing time on a scale where 00:00 (midnight) comes after every other time."""
    return time.max if slot[1] == time(0) else slot[1]


def _span(slot):
    return f"{slot[0]:%H:%M}–{slot[1]:%H:%M}"
