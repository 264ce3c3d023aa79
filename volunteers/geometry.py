"""Plain-Python geometry for grid cells (no GIS extension: SQLite and PostgreSQL alike).

A polygon is a GeoJSON-like ring, a list of [longitude, latitude] points whose first and last
points are the same. Cells are a few kilometres across, so a planar ray-casting test on degrees
is exact enough; distances to a cell's centre use the haversine formula."""

import math
from numbers import Real

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .rules import POLYGON_MAX_POINTS, POLYGON_MIN_POINTS

EARTH_RADIUS_M = 6_371_008.8


def _number(value):
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def check_lng_lat(lng, lat, where=""):
    if not (_number(lng) and _number(lat)):
        raise ValidationError(_("%(where)s坐标必须是数字 [经度, 纬度]。") % {"where": where})
    if not -180 <= lng <= 180:
        raise ValidationError(_("%(where)s经度必须在 -180 到 180 之间。") % {"where": where})
    if not -90 <= lat <= 90:
        raise ValidationError(_("%(where)s纬度必须在 -90 到 90 之间。") % {"where": where})


def ring_of(value):
    """The ring of a polygon given as a list of points or as a GeoJSON Polygon geometry
    ({"type": "Polygon", "coordinates": [ring, …]}: its outer ring)."""
    if isinstance(value, dict):
        if value.get("type") != "Polygon" or not isinstance(value.get("coordinates"), list):
            raise ValidationError(_("多边形应为坐标点列表，或 type 为 Polygon 的 GeoJSON。"))
        rings = value["coordinates"]
        value = rings[0] if rings else []
    if not isinstance(value, list):
        raise ValidationError(_("多边形应为坐标点列表，如 [[113.1, 27.8], [113.2, 27.8], …]。"))
    return value


def validate_polygon(value):
    """The ring as a list of [lng, lat] floats, or a ValidationError saying what is wrong."""
    ring = ring_of(value)
    if len(ring) < POLYGON_MIN_POINTS:
        raise ValidationError(
            _("多边形至少需要 %(count)s 个点（首尾相同的点算两个），现在只有 %(given)s 个。")
            % {"count": POLYGON_MIN_POINTS, "given": len(ring)}
        )
    if len(ring) > POLYGON_MAX_POINTS:
        raise ValidationError(
            _("多边形最多 %(count)s 个点。") % {"count": POLYGON_MAX_POINTS}, code="too_many"
        )
    points = []
    for number, point in enumerate(ring, start=1):
        where = _("第 %(n)s 个点：") % {"n": number}
        if not isinstance(point, list | tuple) or len(point) != 2:
            raise ValidationError(_("%(where)s应为 [经度, 纬度]。") % {"where": where})
        check_lng_lat(point[0], point[1], where)
        points.append([float(point[0]), float(point[1])])
    if points[0] != points[-1]:
        raise ValidationError(
            _("多边形没有闭合：最后一个点必须与第一个点相同（%(first)s）。") % {"first": points[0]},
            code="not_closed",
        )
    if len({tuple(p) for p in points}) < 3 or abs(ring_area(points)) == 0:
        raise ValidationError(_("多边形的点都在一条直线上，围不成区域。"), code="degenerate")
    return points


def ring_area(ring):
    """Signed area in square degrees (shoelace): only its sign and zero-ness are used."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def point_in_polygon(lng, lat, ring):
    """Ray casting: a point on the boundary counts as inside."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if _on_segment(lng, lat, x1, y1, x2, y2):
            return True
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lng < crossing:
                inside = not inside
    return inside


def _on_segment(px, py, x1, y1, x2, y2, tolerance=1e-12):
    cross = (px - x1) * (y2 - y1) - (py - y1) * (x2 - x1)
    if abs(cross) > tolerance:
        return False
    return min(x1, x2) - tolerance <= px <= max(x1, x2) + tolerance and (
        min(y1, y2) - tolerance <= py <= max(y1, y2) + tolerance
    )


def distance_m(lng1, lat1, lng2, lat2):
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))
