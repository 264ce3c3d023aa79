"""Benchmark: coverage by population grid, 50 000 cells × 200 venues, as a ratio to checking every
cell against every venue (the plain haversine loop) in the same run.

    .venv/bin/python bench/bench_coverage_grid.py

The cells are a 1 km lattice of about 224 × 224 km around Zhuzhou; the venues are scattered over
it with radii of 3–15 km (a stable pseudo-random layout). Both methods must mark the same cells.
Goal: the bucketed check (network.coverage_grid.covered_flags) at least 10× faster, and under a
second.
"""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from network.coverage import distance_km  # noqa: E402
from network.coverage_grid import Cell, covered_flags  # noqa: E402

CELLS_PER_SIDE = 224  # 50 176 cells
VENUES = 200
STEP_LAT = 1 / 111.195
STEP_LON = STEP_LAT / 0.885  # cos(27.8°)


def scene():
    cells = [
        Cell("bench", 26.8 + i * STEP_LAT, 112.2 + j * STEP_LON, 100)
        for i in range(CELLS_PER_SIDE)
        for j in range(CELLS_PER_SIDE)
    ]
    rng = random.Random(2018)
    circles = [
        (
            rng.uniform(26.8, 26.8 + CELLS_PER_SIDE * STEP_LAT),
            rng.uniform(112.2, 112.2 + CELLS_PER_SIDE * STEP_LON),
            rng.uniform(3, 15),
        )
        for _ in range(VENUES)
    ]
    return cells, circles


def every_pair(cells, circles):
    return [
        any(distance_km(c.latitude, c.longitude, lat, lon) <= r for lat, lon, r in circles)
        for c in cells
    ]


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main():
    cells, circles = scene()
    baseline, baseline_s = timed(every_pair, cells, circles)
    bucketed, bucketed_s = timed(covered_flags, cells, circles)
    if bucketed != baseline:
        sys.exit("FAIL: the bucketed check marks different cells than the full check")
    share = sum(bucketed) / len(cells)
    print(f"cells {len(cells)}, venues {len(circles)}, covered {share:.1%}")
    print(f"baseline (every cell × every venue): {baseline_s:.2f} s")
    print(f"bucketed (coverage_grid.covered_flags): {bucketed_s:.3f} s")
    ratio = baseline_s / bucketed_s
    print(f"speed-up ratio: {ratio:.1f}× (goal ≥ 10×, and under 1 s)")
    if ratio < 10 or bucketed_s >= 1:
        sys.exit(1)


if __name__ == "__main__":
    main()
