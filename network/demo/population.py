"""Population per township/street (乡镇/街道) for the Zhuzhou demo's coverage planning.

ILLUSTRATIVE FIGURES, not statistics: each county/district's population (its main centre's
population_served in zhuzhou.py) is shared among its townships by stable pseudo-random weights,
and the centroids are scattered around the branches and county seats like the venues are. The
township and street names are real; some have no branch yet, so the coverage page has gaps to
show. Loaded by `manage.py load_demo_data`; documented in docs/coverage.md.
"""

from decimal import Decimal

from . import zhuzhou

# Townships/streets without a branch in the demo: (district key, name, km from the seat).
WITHOUT_BRANCH = [
    ("hetang", "明照街道", 6),
    ("lusong", "庆云街道", 3),
    ("lusong", "枫溪街道", 4),
    ("shifeng", "龙头铺街道", 6),
    ("tianyuan", "三门镇", 15),
    ("lukou", "古岳峰镇", 20),
    ("lukou", "龙船镇", 15),
    ("liling", "阳三石街道", 3),
    ("liling", "来龙门街道", 3),
    ("liling", "板杉镇", 20),
    ("liling", "泗汾镇", 20),
    ("youxian", "联星街道", 3),
    ("youxian", "江桥街道", 3),
    ("youxian", "宁家坪镇", 20),
    ("chaling", "思聪街道", 3),
    ("chaling", "秩堂镇", 25),
    ("yanling", "策源乡", 20),
    ("yanling", "船形乡", 25),
]
YEAR = 2020


def _townships_of(district):
    """[(name, (lat, lon))] of a district: its branches' townships, then those without one."""
    venues = {v["code"]: v for v in zhuzhou.VENUES}
    key = district["key"]
    places = []
    for suffix, _place, township, _radius in district["branches"]:
        branch = venues[f"{key}-{suffix}"]
        centre = (float(branch["latitude"]), float(branch["longitude"]))
        places.append((township, zhuzhou._scatter(f"{key}-{suffix}-centroid", centre, 1.5)))
    for k, name, radius in WITHOUT_BRANCH:
        if k == key:
            places.append((name, zhuzhou._scatter(f"{key}-{name}", district["seat"], radius)))
    return places


def township_rows():
    """[{district, name, population, latitude, longitude, year}] for every demo township."""
    rows = []
    for district in zhuzhou.DISTRICTS:
        places = _townships_of(district)
        weights = [0.5 + zhuzhou._fraction(name, "population") for name, _c in places]
        share = district["population_served"] / sum(weights)
        for (name, (lat, lon)), weight in zip(places, weights, strict=True):
            rows.append(
                {
                    "district": district["district"],
                    "name": name,
                    "population": int(round(weight * share, -2)),
                    "latitude": Decimal(f"{lat:.6f}"),
                    "longitude": Decimal(f"{lon:.6f}"),
                    "year": YEAR,
                }
            )
    return rows
