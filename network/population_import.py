"""Import of township/street population (.xlsx or .csv): 区县, 乡镇/街道, 常住人口, 纬度, 经度
[, 统计年份]. All or nothing; rows already present (same 区县 + 乡镇/街道) are updated."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import tables
from .models import Venue
from .plan import Level
from .population import Township

HEADERS = ("区县", "乡镇/街道", "常住人口", "纬度", "经度")
OPTIONAL = ("统计年份",)


def known_districts():
    return set(Venue.objects.filter(level=Level.MAIN).values_list("district", flat=True))


def coordinate(value, label, low, high):
    number = tables.number(value, label)
    if not low <= number <= high:
        raise ValueError(_("%(column)s %(value)s 超出范围。") % {"column": label, "value": number})
    return number.quantize(Decimal("0.000001"))


def _clean(cells, districts):
    district = tables.text(cells["区县"])
    name = tables.text(cells["乡镇/街道"])
    if district not in districts:
        raise ValueError(_("区县“%(district)s”不在总分馆体系的区县中。") % {"district": district})
    if not name or len(name) > Township._meta.get_field("name").max_length:
        raise ValueError(_("请填写乡镇/街道名称（不超过 60 字）。"))
    population = tables.number(cells["常住人口"], "常住人口")
    if population < 0 or population != population.to_integral_value():
        raise ValueError(_("常住人口须为不小于 0 的整数。"))
    year = tables.text(cells.get("统计年份"))
    if year and not (year.isdigit() and 1949 <= int(year) <= 2100):
        raise ValueError(_("统计年份“%(year)s”无效。") % {"year": year})
    return Township(
        district=district,
        name=name,
        population=int(population),
        latitude=coordinate(cells["纬度"], "纬度", -90, 90),
        longitude=coordinate(cells["经度"], "经度", -180, 180),
        year=int(year) if year else None,
    )


def import_population(upload):
    """Returns (created, updated); ValidationError lists every bad row, nothing written."""
    rows = tables.read_rows(upload, HEADERS, OPTIONAL)
    districts = known_districts()
    errors, cleaned, seen = [], [], {}
    for number, cells in rows:
        try:
            township = _clean(cells, districts)
        except ValueError as error:
            errors.append(_("第 %(row)d 行：%(error)s") % {"row": number, "error": error})
            continue
        key = (township.district, township.name)
        if key in seen:
            errors.append(
                _("第 %(row)d 行：与第 %(first)d 行重复。") % {"row": number, "first": seen[key]}
            )
            continue
        seen[key] = number
        cleaned.append(township)
    if errors:
        raise ValidationError(errors)
    return save_townships(cleaned)


def save_townships(townships):
    existing = {(t.district, t.name): t for t in Township.objects.all()}
    new, changed = [], []
    for township in townships:
        old = existing.get((township.district, township.name))
        if old is None:
            new.append(township)
            continue
        for field in ("population", "latitude", "longitude", "year"):
            setattr(old, field, getattr(township, field))
        changed.append(old)
    with transaction.atomic():
        Township.objects.bulk_create(new)
        Township.objects.bulk_update(changed, ["population", "latitude", "longitude", "year"])
    return len(new), len(changed)
