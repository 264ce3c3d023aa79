"""What makes an indicator system unusable: each check returns Chinese messages, [] when fine."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .rules import ScoringRule
from .sources import SOURCES


def indicator_errors(total_points, indicators):
    """`indicators`: objects (or dicts' attributes) with code, name, source, weight, target, rule."""
    errors = []
    if not indicators:
        return [_("指标体系中还没有指标。")]
    weights = sum((Decimal(i.weight) for i in indicators), Decimal(0))
    if weights != Decimal(total_points):
        errors.append(
            _("各指标分值合计为 %(sum)s 分，应等于满分 %(total)s 分。")
            % {"sum": _number(weights), "total": _number(total_points)}
        )
    codes = [i.code for i in indicators]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        errors.append(_("指标代码“%(code)s”重复。") % {"code": code})
    for indicator in indicators:
        if indicator.source not in SOURCES:
            errors.append(
                _("指标“%(name)s”的数据来源“%(source)s”不存在。")
                % {"name": indicator.name, "source": indicator.source}
            )
        if Decimal(indicator.weight) < 0:
            errors.append(_("指标“%(name)s”的分值不能为负数。") % {"name": indicator.name})
        if Decimal(indicator.target) < 0:
            errors.append(_("指标“%(name)s”的目标值不能为负数。") % {"name": indicator.name})
        if (indicator.rule == ScoringRule.MANUAL) != (indicator.source == "manual"):
            errors.append(
                _("指标“%(name)s”：评审打分的指标须以“评审打分”为数据来源，反之亦然。")
                % {"name": indicator.name}
            )
    return errors


def system_errors(system, indicators=None):
    indicators = list(system.indicators.all()) if indicators is None else indicators
    return system.threshold_errors() + indicator_errors(system.total_points, indicators)


def _number(value):
    return f"{Decimal(value).normalize():f}"
