"""A 1 km population grid for the Zhuzhou demo, generated around the demo townships
(network/demo/population.py), for coverage by grid (network.coverage_grid).

ILLUSTRATIVE, not WorldPop or census figures: every point of a 1 km lattice within CELL_REACH_KM
of a township centroid goes to the nearest centroid; each township's population is shared among
its cells with weights falling off from the centroid (towns and streets are denser at their
centre), varied a little by a stable pseudo-random factor, so the grid totals match the townships.
Loaded by `manage.py load_demo_data`; `grid_rows()` also feeds the tests and the benchmark.
"""

import math
from decimal import Decimal

from network.coverage import distance_km

from . import population, zhuzhou

CELL_KM = 1.0
CELL_REACH_KM = 4.0
FALLOFF_KM = 1.5
# One lattice for the whole city, its longitude step set at Zhuzhou's latitude.
STEP_LAT = CELL_KM / 111.195
STEP_LON = STEP_LAT / math.cos(math.radians(27.5))


def _lattice_near(lat, lon, reach_km):
    """Lattice indices (i, j) of the cell centres within reach_km of (lat, lon)."""
    span_i = math.ceil(reach_km / CELL_KM) + 1
    span_j = math.ceil(reach_km / CELL_KM / math.cos(math.radians(lat))) + 1
    centre_i, centre_j = round(lat / STEP_LAT), round(lon / STEP_LON)
    for i in range(centre_i - span_i, centre_i + span_i + 1):
        for j in range(centre_j - span_j, centre_j + span_j + 1):
            if distance_km(lat, lon, i * STEP_LAT, j * STEP_LON) <= reach_km:
                yield i, j


def grid_rows(townships=None):
    """[{district, township, latitude, longitude, population}]; `township` is its name."""
    townships = townships if townships is not None else population.township_rows()
    centres = [(t, float(t["latitude"]), float(t["longitude"])) for t in townships]
    nearest = {}  # (i, j) → (distance, township)
    for township, lat, lon in centres:
        for i, j in _lattice_near(lat, lon, CELL_REACH_KM):
            distance = distance_km(lat, lon, i * STEP_LAT, j * STEP_LON)
            if (i, j) not in nearest or distance < nearest[(i, j)][0]:
                nearest[(i, j)] = (distance, township)
    by_township = {}
    for (i, j), (distance, township) in sorted(nearest.items()):
        key = (township["district"], township["name"])
        spread = 0.6 + 0.8 * zhuzhou._fraction(f"{key}-{i}-{j}", "cell")
        weight = math.exp(-distance / FALLOFF_KM) * spread
        by_township.setdefault(key, (township, []))[1].append((i, j, weight))
    rows = []
    for township, cells in by_township.values():
        total = sum(w for _i, _j, w in cells)
        shares = [int(township["population"] * w / total) for _i, _j, w in cells]
        # The rounding remainder goes to the densest cell, so the grid sums to the township.
        densest = max(range(len(cells)), key=lambda k: cells[k][2])
        shares[densest] += township["population"] - sum(shares)
        for (i, j, _w), share in zip(cells, shares, strict=True):
            rows.append(
                {
                    "district": township["district"],
                    "township": township["name"],
                    "latitude": Decimal(f"{i * STEP_LAT:.6f}"),
                    "longitude": Decimal(f"{j * STEP_LON:.6f}"),
                    "population": share,
                }
            )
    return rows
