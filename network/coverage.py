"""Coverage planning: residents per service outlet by district, townships without a branch,
the population living within some venue's service radius (by population grid where a district
has one, network.coverage_grid, otherwise by township centroid), and progress against the plan's
targets (network.plan). Pure computation over rows read once."""

import math
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .coverage_grid import EARTH_RADIUS_KM, CoverageMethod, covered_flags, load_cells
from .models import Venue
from .plan import (
    COVERAGE_LEVELS,
    FULL_COVERAGE_BY,
    NETWORK_TARGETS,
    RESIDENTS_PER_VENUE,
    SERVICE_OUTLET_LEVELS,
    Level,
)
from .population import Township


def distance_km(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@dataclass
class TownshipRow:
    township: Township
    has_branch: bool
    nearest: Venue | None  # the nearest venue whose radius reaches the centroid
    distance: float | None

    @property
    def covered(self):
        return self.nearest is not None


@dataclass
class DistrictRow:
    district: str
    population: int = 0
    outlets: int = 0
    covered_population: int = 0
    townships: list = field(default_factory=list)
    # The population the covered share is taken of: the townships' or, by grid, the cells'.
    coverage_base: int = 0
    method: str = CoverageMethod.CENTROID
    cells: list = field(default_factory=list)  # [(Cell, covered)] when by grid

    @property
    def per_outlet(self):
        return round(self.population / self.outlets) if self.outlets else None

    @property
    def outlets_needed(self):
        """More outlets needed to bring the district within the plan's upper bound."""
        return max(0, math.ceil(self.population / RESIDENTS_PER_VENUE[1]) - self.outlets)

    @property
    def assessment(self):
        low, high = RESIDENTS_PER_VENUE
        if not self.outlets:
            return _("无服务网点")
        if self.per_outlet > high:
            return _("网点不足")
        if self.per_outlet < low:
            return _("网点较密")
        return _("符合规划")

    @property
    def without_branch(self):
        return [row.township for row in self.townships if not row.has_branch]

    @property
    def covered_share(self):
        return self.covered_population / self.coverage_base if self.coverage_base else None

    @property
    def method_label(self):
        return CoverageMethod(self.method).label


@dataclass
class Target:
    label: str
    deadline: date
    current: float
    goal: float
    met_on: date | None  # when it was reached, if known
    unit: str = ""

    @property
    def met(self):
        return self.current >= self.goal

    def status(self, today):
        if self.met:
            late = self.met_on and self.met_on > self.deadline
            return _("已达成（逾期）") if late else _("已达成")
        return _("已逾期未达成") if today > self.deadline else _("推进中")


@dataclass
class Report:
    districts: list
    townships: list
    venues: list
    targets: list
    growth: list  # [(year, outlets opened by the end of that year)]

    @property
    def population(self):
        return sum(d.population for d in self.districts)

    @property
    def covered_population(self):
        return sum(d.covered_population for d in self.districts)

    @property
    def coverage_base(self):
        return sum(d.coverage_base for d in self.districts)

    @property
    def covered_share(self):
        return self.covered_population / self.coverage_base if self.coverage_base else None

    @property
    def method(self):
        methods = {d.method for d in self.districts if d.coverage_base}
        if len(methods) > 1:
            return CoverageMethod.MIXED
        return methods.pop() if methods else ""

    @property
    def method_label(self):
        return CoverageMethod(self.method).label if self.method else ""

    @property
    def cells(self):
        return [pair for d in self.districts for pair in d.cells]


def _nearest_covering(township, venues):
    best = (None, None)
    for venue in venues:
        distance = distance_km(
            township.latitude, township.longitude, venue.latitude, venue.longitude
        )
        if distance <= float(venue.service_radius_km) and (best[1] is None or distance < best[1]):
            best = (venue, distance)
    return best


def _date_reached(dates, count):
    """The date on which the count-th venue opened; None if unknown (a venue without a date)."""
    if len(dates) < count:
        return None
    ordered = sorted(dates, key=lambda d: d or date.min)
    return ordered[count - 1]


def build_report(today=None):
    today = today or timezone.localdate()
    venues = list(Venue.objects.public().filter(level__in=COVERAGE_LEVELS).order_by("name"))
    townships = list(Township.objects.all())
    radius_venues = [
        v
        for v in venues
        if v.latitude is not None and v.longitude is not None and v.service_radius_km
    ]
    outlets = [v for v in venues if v.level in SERVICE_OUTLET_LEVELS]
    branches = {}
    for venue in venues:
        if venue.level == Level.BRANCH:
            branches.setdefault((venue.district, venue.township), []).append(venue)
    districts = {}
    for venue in outlets:
        districts.setdefault(venue.district, DistrictRow(venue.district)).outlets += 1
    rows = []
    for township in townships:
        nearest, distance = _nearest_covering(township, radius_venues)
        row = TownshipRow(
            township, (township.district, township.name) in branches, nearest, distance
        )
        rows.append(row)
        district = districts.setdefault(township.district, DistrictRow(township.district))
        district.population += township.population
        district.townships.append(row)
    _cover_districts(districts, rows, radius_venues)
    report = Report(
        districts=sorted(districts.values(), key=lambda d: d.district),
        townships=rows,
        venues=venues,
        targets=[],
        growth=_growth(outlets),
    )
    report.targets = _targets(report, outlets, branches, rows)
    return report


def _cover_districts(districts, rows, radius_venues):
    """Covered population per district: by its grid cells when it has a grid, else by the
    centroids of its townships."""
    grid = load_cells()
    circles = [
        (float(v.latitude), float(v.longitude), float(v.service_radius_km)) for v in radius_venues
    ]
    for name, cells in grid.items():
        district = districts.setdefault(name, DistrictRow(name))
        flags = covered_flags(cells, circles)
        district.method = CoverageMethod.GRID
        district.cells = list(zip(cells, flags, strict=True))
        district.coverage_base = sum(c.population for c in cells)
        district.covered_population = sum(c.population for c, f in district.cells if f)
    for row in rows:
        district = districts[row.township.district]
        if district.method == CoverageMethod.CENTROID:
            district.coverage_base += row.township.population
            district.covered_population += row.township.population if row.covered else 0


def _growth(outlets):
    years = sorted({v.opened_on.year for v in outlets if v.opened_on})
    undated = sum(1 for v in outlets if not v.opened_on)
    return [
        (y, undated + sum(1 for v in outlets if v.opened_on and v.opened_on.year <= y))
        for y in years
    ]


def _targets(report, outlets, branches, rows):
    targets = []
    for deadline, levels, goal in NETWORK_TARGETS:
        counted = [v for v in outlets if v.level in levels]
        targets.append(
            Target(
                label=_("分馆、服务点总量"),
                deadline=deadline,
                current=len(counted),
                goal=goal,
                met_on=_date_reached([v.opened_on for v in counted], goal),
                unit=_("个"),
            )
        )
    with_branch = [r for r in rows if r.has_branch]
    first_branch = [
        min(b.opened_on or date.min for b in branches[(r.township.district, r.township.name)])
        for r in with_branch
    ]
    all_dated = rows and len(with_branch) == len(rows) and date.min not in first_branch
    targets.append(
        Target(
            label=_("乡镇（街道）分馆覆盖率"),
            deadline=FULL_COVERAGE_BY,
            current=round(100 * len(with_branch) / len(rows), 1) if rows else 0,
            goal=100,
            met_on=max(first_branch) if all_dated else None,
            unit="%",
        )
    )
    share = report.covered_share
    targets.append(
        Target(
            label=_("服务半径内人口比例"),
            deadline=FULL_COVERAGE_BY,
            current=round(100 * share, 1) if share is not None else 0,
            goal=100,
            met_on=None,
            unit="%",
        )
    )
    return targets
