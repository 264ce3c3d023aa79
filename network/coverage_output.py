"""The coverage report as map data (for Leaflet) and as an .xlsx workbook."""

import io

from django.utils.translation import gettext as _

# Without real boundaries, a district is drawn as the convex hull of its townships and venues,
# pushed outwards by this many degrees (about 3 km) so points on the edge stay inside.
OUTLINE_PADDING = 0.03
# Grid cells are drawn on the map only up to this many; beyond, the browser would crawl.
MAP_CELL_LIMIT = 10_000


def _hull(points):
    """Convex hull (Andrew's monotone chain) of (lon, lat) points, counter-clockwise."""
    points = sorted(set(points))
    if len(points) <= 2:
        return points

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in points:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def outline(points):
    """An approximate district outline [[lat, lon], …] around (lat, lon) points."""
    hull = _hull([(float(lon), float(lat)) for lat, lon in points])
    if not hull:
        return []
    if len(hull) <= 2:  # one or two points: a box around them
        lons, lats = [p[0] for p in hull], [p[1] for p in hull]
        hull = [
            (min(lons), min(lats)),
            (max(lons), min(lats)),
            (max(lons), max(lats)),
            (min(lons), max(lats)),
        ]
    cx = sum(p[0] for p in hull) / len(hull)
    cy = sum(p[1] for p in hull) / len(hull)
    padded = []
    for x, y in hull:
        dx, dy = x - cx, y - cy
        length = (dx * dx + dy * dy) ** 0.5 or 1
        padded.append(
            [
                round(y + OUTLINE_PADDING * dy / length, 5),
                round(x + OUTLINE_PADDING * dx / length, 5),
            ]
        )
    return padded


def map_data(report, tile_url="", attribution=""):
    points = {}
    for row in report.townships:
        t = row.township
        points.setdefault(t.district, []).append((t.latitude, t.longitude))
    for cell, _covered in report.cells:
        points.setdefault(cell.district, []).append((cell.latitude, cell.longitude))
    for venue in report.venues:
        if venue.latitude is not None:
            points.setdefault(venue.district, []).append((venue.latitude, venue.longitude))
    cells = report.cells
    return {
        "tileUrl": tile_url,
        "attribution": attribution,
        "method": report.method,
        "cellCount": len(cells),
        "cellLayerLabel": _("人口网格"),
        # [lat, lon, population, covered]: compact, there can be thousands.
        "cells": [
            [round(c.latitude, 5), round(c.longitude, 5), c.population, int(covered)]
            for c, covered in cells
        ]
        if len(cells) <= MAP_CELL_LIMIT
        else [],
        "districts": [{"name": d, "outline": outline(p)} for d, p in sorted(points.items())],
        "venues": [
            {
                "name": v.name,
                "level": v.level,
                "lat": float(v.latitude),
                "lon": float(v.longitude),
                "radiusKm": float(v.service_radius_km or 0),
            }
            for v in report.venues
            if v.latitude is not None and v.longitude is not None
        ],
        "townships": [
            {
                "name": f"{r.township.district}{r.township.name}",
                "lat": float(r.township.latitude),
                "lon": float(r.township.longitude),
                "population": r.township.population,
                "covered": r.covered,
                "hasBranch": r.has_branch,
            }
            for r in report.townships
        ],
    }


def _percent(share):
    return round(100 * share, 1) if share is not None else None


def export_xlsx(report, today):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("区县")
    sheet.append(
        [
            _("区县"),
            _("常住人口"),
            _("服务网点"),
            _("每网点人口"),
            _("评估"),
            _("尚需网点"),
            _("无分馆乡镇/街道"),
            _("半径内人口比例（%）"),
            _("计算方式"),
        ]
    )
    for d in report.districts:
        sheet.append([
            d.district, d.population, d.outlets, d.per_outlet, d.assessment, d.outlets_needed,
            "、".join(t.name for t in d.without_branch), _percent(d.covered_share),
            str(d.method_label),
        ])  # fmt: skip
    sheet = workbook.create_sheet(_("乡镇街道"))
    sheet.append(
        [
            _("区县"),
            _("乡镇/街道"),
            _("常住人口"),
            _("有分馆"),
            _("在服务半径内"),
            _("最近的覆盖场馆"),
            _("距离（公里）"),
        ]
    )
    for r in report.townships:
        sheet.append([
            r.township.district, r.township.name, r.township.population, _("是") if r.has_branch else _("否"),
            _("是") if r.covered else _("否"), r.nearest.name if r.nearest else "",
            round(r.distance, 2) if r.distance is not None else None,
        ])  # fmt: skip
    sheet = workbook.create_sheet(_("目标进度"))
    sheet.append(
        [_("目标"), _("期限"), _("现状"), _("目标值"), _("单位"), _("达成日期"), _("状态")]
    )
    for t in report.targets:
        sheet.append([t.label, t.deadline, t.current, t.goal, t.unit, t.met_on, t.status(today)])
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
