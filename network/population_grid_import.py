"""Import of a population grid (.xlsx or .csv): 区县, 纬度, 经度, 人口 [, 乡镇/街道], one row per
cell, the coordinates being the cell's centre. A file replaces the whole grid of every 区县 it
contains (a grid is one dataset, not rows to patch); other districts keep theirs. All or nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import tables
from .population import PopulationCell, Township
from .population_import import coordinate, known_districts

HEADERS = ("区县", "纬度", "经度", "人口")
OPTIONAL = ("乡镇/街道",)
# A grid has tens of thousands of rows: list this many bad rows, then count the rest.
MAX_LISTED_ERRORS = 50
BATCH_SIZE = 2000


def _clean(cells, districts, townships):
    district = tables.text(cells["区县"])
    if district not in districts:
        raise ValueError(_("区县“%(district)s”不在总分馆体系的区县中。") % {"district": district})
    population = tables.number(cells["人口"], "人口")
    if population < 0 or population != population.to_integral_value():
        raise ValueError(_("人口须为不小于 0 的整数。"))
    township_name = tables.text(cells.get("乡镇/街道"))
    township_id = None
    if township_name:
        township_id = townships.get((district, township_name))
        if township_id is None:
            raise ValueError(
                _("乡镇/街道“%(name)s”不在%(district)s的人口数据中，请先导入乡镇/街道人口。")
                % {"name": township_name, "district": district}
            )
    return PopulationCell(
        district=district,
        township_id=township_id,
        latitude=coordinate(cells["纬度"], "纬度", -90, 90),
        longitude=coordinate(cells["经度"], "经度", -180, 180),
        population=int(population),
    )


def _summary(errors):
    listed = errors[:MAX_LISTED_ERRORS]
    if len(errors) > MAX_LISTED_ERRORS:
        listed.append(
            _("另有 %(count)d 行有误未列出。") % {"count": len(errors) - MAX_LISTED_ERRORS}
        )
    return listed


def import_grid(upload):
    """Returns {district: cells saved}; ValidationError lists the bad rows, nothing written."""
    rows = tables.read_rows(upload, HEADERS, OPTIONAL)
    districts = known_districts()
    townships = {(t.district, t.name): t.pk for t in Township.objects.all()}
    errors, cleaned, seen = [], [], {}
    for number, cells in rows:
        try:
            cell = _clean(cells, districts, townships)
        except ValueError as error:
            errors.append(_("第 %(row)d 行：%(error)s") % {"row": number, "error": error})
            continue
        key = (cell.district, cell.latitude, cell.longitude)
        if key in seen:
            errors.append(
                _("第 %(row)d 行：与第 %(first)d 行是同一网格（区县与中心坐标相同）。")
                % {"row": number, "first": seen[key]}
            )
            continue
        seen[key] = number
        cleaned.append(cell)
    if errors:
        raise ValidationError(_summary(errors))
    return replace_grid(cleaned)


def replace_grid(cells):
    """Replace the grid of the districts these cells are in; {district: count}."""
    counts = {}
    for cell in cells:
        counts[cell.district] = counts.get(cell.district, 0) + 1
    with transaction.atomic():
        PopulationCell.objects.filter(district__in=counts).delete()
        PopulationCell.objects.bulk_create(cells, batch_size=BATCH_SIZE)
    return counts
