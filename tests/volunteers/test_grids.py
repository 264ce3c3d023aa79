"""Grid cells: polygons (closed rings) and circles, point-in-polygon and distance in plain
Python, and the hub's form in the admin refusing an unclosed polygon with nothing saved."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import editor_of, make_user
from volunteers import geometry
from volunteers.grids import grid_for_point
from volunteers.models import Grid

from .factories import make_grid, square

pytestmark = pytest.mark.django_db

# An L-shaped (concave) block: the notch at the top right is outside.
L_SHAPE = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]


def test_point_in_polygon_inside_outside_boundary_and_concave_notch():
    ring = geometry.validate_polygon(L_SHAPE)
    assert geometry.point_in_polygon(0.5, 0.5, ring)
    assert geometry.point_in_polygon(1.5, 0.5, ring)
    assert geometry.point_in_polygon(0.5, 1.5, ring)
    assert not geometry.point_in_polygon(1.5, 1.5, ring)  # the notch
    assert not geometry.point_in_polygon(3, 0.5, ring)
    assert geometry.point_in_polygon(1, 0, ring)  # on an edge
    assert geometry.point_in_polygon(2, 1, ring)  # on a vertex


def test_distance_is_haversine_in_metres():
    # One degree of latitude is about 111.2 km; Zhuzhou to Changsha (~ 50 km) as a sanity check.
    assert geometry.distance_m(113.0, 27.0, 113.0, 28.0) == pytest.approx(111_195, rel=1e-3)
    assert geometry.distance_m(113.13, 27.83, 112.94, 28.23) == pytest.approx(48_500, rel=0.05)
    assert geometry.distance_m(113.1, 27.8, 113.1, 27.8) == 0


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        ([[0, 0], [1, 0], [1, 1], [0, 1]], "没有闭合"),
        ([[0, 0], [1, 0], [0, 0]], "至少需要 4 个点"),
        ([[0, 0], [1, 0], [2, 0], [0, 0]], "一条直线"),
        ([[0, 0], [1, "x"], [1, 1], [0, 0]], "第 2 个点"),
        ([[0, 0], [1, 0], [1, 95], [0, 0]], "纬度必须在 -90 到 90 之间"),
        ([[0, 0], [1, 0, 3], [1, 1], [0, 0]], "应为 [经度, 纬度]"),
        ("113,27", "坐标点列表"),
    ],
)
def test_bad_polygons_are_refused_in_chinese(ring, message):
    with pytest.raises(ValidationError) as caught:
        geometry.validate_polygon(ring)
    assert message in caught.value.messages[0]


def test_a_geojson_polygon_is_taken_by_its_outer_ring():
    ring = square(113.15, 27.83)
    assert geometry.validate_polygon({"type": "Polygon", "coordinates": [ring]}) == ring


def test_grid_with_an_unclosed_polygon_is_refused_and_nothing_saved(network):
    grid = Grid(
        name="石门村",
        kind="village",
        venue=network["shimen"],
        polygon=[[113.1, 27.8], [113.2, 27.8], [113.2, 27.9], [113.1, 27.9]],
    )
    with pytest.raises(ValidationError) as caught:
        grid.full_clean()
    assert "多边形没有闭合" in caught.value.message_dict["polygon"][0]
    assert not Grid.objects.exists()


def test_grid_needs_exactly_one_shape(network):
    neither = Grid(name="无形", kind="community", venue=network["pukou"])
    with pytest.raises(ValidationError, match="请填写多边形边界，或中心点和半径"):
        neither.full_clean()
    both = Grid(
        name="两种",
        kind="community",
        venue=network["pukou"],
        polygon=square(113, 27),
        center_longitude=113,
        center_latitude=27,
        radius_m=500,
    )
    with pytest.raises(ValidationError, match="只能二选一"):
        both.full_clean()
    half = Grid(name="半个圆", kind="community", venue=network["pukou"], radius_m=500)
    with pytest.raises(ValidationError) as caught:
        half.full_clean()
    assert set(caught.value.message_dict) == {"center_longitude", "center_latitude"}


def test_circle_grids_and_locating_a_point(network):
    block = make_grid(network["pukou"], "浦口街区", polygon=square(113.50, 27.60, half=0.02))
    near = make_grid(network["liling"], "近圆", center=(113.10, 27.80), radius_m=2000)
    wide = make_grid(network["liling"], "大圆", center=(113.11, 27.80), radius_m=5000)
    assert near.contains(113.10, 27.81)  # ~1.1 km north of the centre
    assert not near.contains(113.10, 27.83)  # ~3.3 km
    assert grid_for_point(113.505, 27.605) == block
    # Inside both circles: the one whose centre is nearer.
    assert grid_for_point(113.101, 27.801) == near
    assert grid_for_point(113.14, 27.80) == wide
    assert grid_for_point(100.0, 20.0) is None


def test_only_the_hub_defines_grids_in_the_admin(client, network):
    hub_admin = make_user("hub-admin", superuser=True)
    client.force_login(hub_admin)
    add = reverse("volunteer_grids:add")
    data = {
        "name": "荷塘社区",
        "kind": "community",
        "venue": network["pukou"].pk,
        "polygon": "[[113.1, 27.8], [113.2, 27.8], [113.2, 27.9], [113.1, 27.9]]",
        "center_longitude": "",
        "center_latitude": "",
        "radius_m": "",
        "description": "",
    }
    response = client.post(add, data)
    assert response.status_code == 200
    assert "多边形没有闭合" in response.content.decode()
    assert not Grid.objects.exists()

    data["polygon"] = "[[113.1, 27.8], [113.2, 27.8], [113.2, 27.9], [113.1, 27.9], [113.1, 27.8]]"
    response = client.post(add, data)
    assert response.status_code == 302
    grid = Grid.objects.get()
    assert grid.polygon[0] == grid.polygon[-1] == [113.1, 27.8]

    branch_staff = editor_of(network["pukou"])
    client.force_login(branch_staff)
    assert client.get(reverse("volunteer_grids:index")).status_code == 200  # sees grids
    assert client.get(add).status_code in (302, 403)  # but may not define them
    assert client.get(reverse("volunteer_grids:edit", args=[grid.pk])).status_code in (302, 403)
    hub_staff = editor_of(network["hub"])
    client.force_login(hub_staff)
    assert client.get(add).status_code == 200
