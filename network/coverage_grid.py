"""Coverage by population grid: which cells have their centre within some venue's service radius.

Fast enough for 50 000 cells × 200 venues without a GIS server: cells are bucketed by a coarse
latitude/longitude grid, each venue looks only at the buckets its radius can reach, and the test is
the haversine formula compared before its square root (the same distance as coverage.distance_km).
bench/bench_coverage_grid.py measures it against checking every cell against every venue.
"""

import math
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .population import PopulationCell

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_KM / 180
# Bucket side in degrees (about 5.5 km): a typical service radius spans a few buckets.
BUCKET_DEGREES = 0.05


class CoverageMethod(models.TextChoices):
    GRID = "grid", _("按人口网格计算")
    CENTROID = "centroid", _("按乡镇中心点计算")
    MIXED = "mixed", _("部分区县按人口网格计算，其余按乡镇中心点计算")


@dataclass(frozen=True)
class Cell:
    district: str
    latitude: float
    longitude: float
    population: int
    township_id: int | None = None


def load_cells():
    """{district: [Cell]} of every district that has a grid."""
    grid = {}
    rows = PopulationCell.objects.order_by().values_list(
        "district", "latitude", "longitude", "population", "township_id"
    )
    for district, lat, lon, population, township_id in rows.iterator(chunk_size=5000):
        grid.setdefault(district, []).append(
            Cell(district, float(lat), float(lon), population, township_id)
        )
    return grid


def _bucket(lat, lon):
    return math.floor(lat / BUCKET_DEGREES), math.floor(lon / BUCKET_DEGREES)


def covered_flags(cells, circles):
    """[bool] per cell: its centre lies within some circle (lat, lon, radius_km)."""
    buckets = {}
    points = []
    for index, cell in enumerate(cells):
        phi = math.radians(cell.latitude)
        points.append((phi, math.radians(cell.longitude), math.cos(phi)))
        buckets.setdefault(_bucket(cell.latitude, cell.longitude), []).append(index)
    covered = [False] * len(cells)
    for lat, lon, radius in circles:
        # Haversine: d <= r  ⇔  sin²(Δφ/2) + cosφ1·cosφ2·sin²(Δλ/2) <= sin²(r / 2R).
        limit = math.sin(min(radius / (2 * EARTH_RADIUS_KM), math.pi / 2)) ** 2
        phi, lam = math.radians(lat), math.radians(lon)
        cos_phi = math.cos(phi)
        d_lat = radius / KM_PER_DEGREE_LATITUDE
        # Longitude degrees shrink towards the poles: widen by the box's most poleward latitude.
        widest = min(abs(lat) + d_lat, 89.9)
        d_lon = min(d_lat / math.cos(math.radians(widest)), 180)
        low, high = _bucket(lat - d_lat, lon - d_lon), _bucket(lat + d_lat, lon + d_lon)
        for i in range(low[0], high[0] + 1):
            for j in range(low[1], high[1] + 1):
                for index in buckets.get((i, j), ()):
                    if covered[index]:
                        continue
                    p_phi, p_lam, p_cos = points[index]
                    a = (
                        math.sin((p_phi - phi) / 2) ** 2
                        + cos_phi * p_cos * math.sin((p_lam - lam) / 2) ** 2
                    )
                    if a <= limit:
                        covered[index] = True
    return covered
