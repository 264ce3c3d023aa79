"""Properties of the network's imports (township population, population grid, actual openings):
any upload either imports or is refused with the parser's own Chinese ValidationError, and a
refused import changes nothing."""

from contextlib import contextmanager
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st

from network.models import ActualOpening
from network.opening_services import import_openings
from network.population import PopulationCell, Township
from network.population_grid_import import import_grid
from network.population_import import import_population
from tests.factories import moderator_of

from .uploads import is_chinese, uploads

pytestmark = pytest.mark.django_db

# Plausible values are mostly valid, so that some files import; the odd bad one (an unknown
# district, a fractional count, a date that does not exist) makes others fail on one row.
districts = st.sampled_from(["醴陵市", "攸县"] * 4 + ["荷塘区", ""])
townships = st.sampled_from(["浦口镇", "皇图岭镇", "东富镇", "孙家湾镇", "白关镇"])
latitudes = st.one_of(st.decimals(-90, 90, places=6).map(str), st.floats(-95, 95))
longitudes = st.one_of(st.decimals(-180, 180, places=6).map(str), st.floats(-185, 185))
counts = st.one_of(st.integers(0, 10**7), st.sampled_from(["1,200", "1e3", "12.5", "-5"]))
opened = st.one_of(
    st.builds(datetime, st.just(2026), st.just(3), st.integers(1, 9), st.sampled_from([9, 13])),
    st.sampled_from(["2026/3/1 9:00", "2026年3月2日 08:00", "2026-02-30 9:00"]),
)
closed = st.builds(
    lambda day, hour: f"2026-03-{day:02d} {hour}",
    st.integers(1, 9),
    st.sampled_from(["12:00", "17:30"]),
)

POPULATION = {
    "区县": districts,
    "乡镇/街道": townships,
    "常住人口": counts,
    "纬度": latitudes,
    "经度": longitudes,
}
GRID = {"区县": districts, "纬度": latitudes, "经度": longitudes, "人口": counts}
OPENINGS = {
    "场馆代码": st.sampled_from(["liling-main", "liling-pukou", "liling-shimen", "youxian-main"]),
    "开馆时间": opened,
    "闭馆时间": closed,
}


def rows_of(model):
    return sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))


@contextmanager
def rolled_back():
    """Each example starts from the same database: its writes are undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def import_or_refuse(run, model, upload):
    """Run the import; when it refuses, its messages are Chinese and `model` is unchanged."""
    before = rows_of(model)
    try:
        result = run(upload)
    except ValidationError as refused:
        event("refused")
        assert refused.messages and all(is_chinese(m) for m in refused.messages)
        assert rows_of(model) == before
        return None
    event("imported")
    return result


@pytest.fixture
def townships_known(network):
    Township.objects.create(
        district="醴陵市", name="浦口镇", population=30000, latitude=27.6, longitude=113.5
    )


@settings(max_examples=60)
@given(
    uploads(POPULATION, optional={"统计年份": st.sampled_from(["2024", "", "1800", "二〇二四"])})
)
def test_population_import(townships_known, upload):
    with rolled_back():
        result = import_or_refuse(import_population, Township, upload)
        if result is not None:
            created, updated = result
            assert created + updated >= 1 and Township.objects.count() == 1 + created


@settings(max_examples=60)
@given(uploads(GRID, optional={"乡镇/街道": st.sampled_from(["浦口镇", "", "东富镇"])}))
def test_population_grid_import(townships_known, upload):
    with rolled_back():
        result = import_or_refuse(import_grid, PopulationCell, upload)
        if result is not None:
            assert PopulationCell.objects.count() == sum(result.values())


@pytest.fixture
def liling_moderator(network):
    return moderator_of(network["liling"])


@settings(max_examples=60)
@given(uploads(OPENINGS, optional={"免费/低收费": st.sampled_from(["是", "否", "", "√", "也许"])}))
def test_openings_import(liling_moderator, upload):
    user = liling_moderator
    with rolled_back():
        result = import_or_refuse(lambda u: import_openings(user, u), ActualOpening, upload)
        if result is not None:
            assert ActualOpening.objects.count() == result
