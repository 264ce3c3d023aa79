"""The venues admin (/admin/venues/): bad input is refused in Chinese and saves nothing."""

import pytest
from django.contrib.auth.models import Group
from django.forms.models import model_to_dict
from wagtail.models import Collection, Page

from network.forms import VenueForm
from network.models import OpeningHours, Venue
from network.views import VenueViewSet
from portal.models import VenuePage
from tests.factories import make_user

FIELDS = [
    "level", "parent", "place_name", "name", "code", "alias", "operator_type", "status",
    "district", "township", "address", "latitude", "longitude", "population_served",
    "service_radius_km", "phone", "floor_area", "staff_count", "has_training_room",
    "has_functional_rooms", "description",
]  # fmt: skip
WEEKDAYS_9_TO_5 = [(day, "09:00", "17:00", True) for day in range(7)]


@pytest.fixture
def admin_client(client, network):
    client.force_login(make_user("admin", superuser=True))
    return client


def form_data(venue=None, hours=WEEKDAYS_9_TO_5, **fields):
    """POST data for the add/edit form: `venue`'s values (or a new branch) with `fields` changed.

    `hours`: [(weekday, opens, closes, is_free)] as new slots; an edit keeps the venue's own
    slots first (their ids make them INITIAL_FORMS).
    """
    values = (
        model_to_dict(venue, fields=FIELDS)
        if venue
        else {
            "level": "branch",
            "operator_type": "government",
            "status": "operating",
            "staff_count": 2,
        }
    )
    values.update(fields)
    data = {
        key: ("on" if value is True else value)
        for key, value in values.items()
        if value is not None and value is not False
    }
    existing = list(venue.opening_hours.all()) if venue else []
    slots = [
        (s.pk, s.weekday, f"{s.opens:%H:%M}", f"{s.closes:%H:%M}", s.is_free) for s in existing
    ]
    slots += [(None, *slot) for slot in hours]
    for i, (pk, weekday, opens, closes, is_free) in enumerate(slots):
        prefix = f"opening_hours-{i}-"
        data |= {prefix + "weekday": weekday, prefix + "opens": opens, prefix + "closes": closes}
        data |= {prefix + "ORDER": i + 1, prefix + "id": pk or ""}
        if is_free:
            data[prefix + "is_free"] = "on"
    data |= {
        "opening_hours-TOTAL_FORMS": len(slots),
        "opening_hours-INITIAL_FORMS": len(existing),
        "opening_hours-MIN_NUM_FORMS": 0,
        "opening_hours-MAX_NUM_FORMS": 1000,
        # Holiday exceptions (network.opening): none in these tests.
        "hours_exceptions-TOTAL_FORMS": 0,
        "hours_exceptions-INITIAL_FORMS": 0,
        "hours_exceptions-MIN_NUM_FORMS": 0,
        "hours_exceptions-MAX_NUM_FORMS": 1000,
    }
    return data


def snapshot():
    return [model.objects.count() for model in (Venue, OpeningHours, Page, Group, Collection)]


def test_the_viewset_uses_the_venue_form():
    assert issubclass(VenueViewSet("venues").get_form_class(), VenueForm)


def test_the_add_form_has_the_opening_hours_formset(admin_client):
    html = admin_client.get("/admin/venues/new/").content.decode()
    for name in ("opening_hours-TOTAL_FORMS", "opening_hours-__prefix__-opens", "place_name"):
        assert f'name="{name}"' in html


def test_a_valid_add_creates_the_venue_with_its_page_and_groups(admin_client, network):
    data = form_data(
        parent=network["liling"].pk, place_name="东富", code="liling-dongfu", district="醴陵市"
    )
    response = admin_client.post("/admin/venues/new/", data)
    assert response.status_code == 302
    venue = Venue.objects.get(code="liling-dongfu")
    assert venue.name == "醴陵市文化馆东富分馆"
    assert venue.weekly_hours() == (56, 56)
    page = VenuePage.objects.get(venue=venue)
    assert page.live and page.get_parent().specific.venue == network["liling"]
    assert venue.editors_group.name == "醴陵市文化馆东富分馆编辑"
    assert venue.moderators_group.name == "醴陵市文化馆东富分馆审核"
    assert venue.collection.get_parent().pk == network["liling"].collection_id


def overlapping(slot):
    return [*WEEKDAYS_9_TO_5, slot]


ADD_CASES = {
    "bad name": (
        {"name": "东富分馆"},
        WEEKDAYS_9_TO_5,
        "分馆名称必须为“醴陵市文化馆XX分馆”的形式",
    ),
    "negative area": ({"floor_area": "-5"}, WEEKDAYS_9_TO_5, "面积不能为负数。"),
    "overlap": (
        {},
        overlapping((0, "12:00", "18:00", False)),
        "周一的开放时段 09:00–17:00 与 12:00–18:00 重叠。",
    ),
    "closes before opens": (
        {},
        [(0, "17:00", "09:00", True)],
        "开放时间 17:00–09:00 有误：闭馆时间必须晚于开馆时间。",
    ),
}


@pytest.mark.parametrize("case", ADD_CASES)
def test_bad_input_on_add_is_refused(admin_client, network, case):
    fields, hours, message = ADD_CASES[case]
    data = form_data(
        hours=hours,
        **{"parent": network["liling"].pk, "place_name": "东富", "code": "liling-dongfu"},
        district="醴陵市",
    )
    data.update(fields)
    before = snapshot()
    response = admin_client.post("/admin/venues/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def stored(venue):
    venue = Venue.objects.get(pk=venue.pk)
    return model_to_dict(venue), [
        (s.weekday, s.opens, s.closes, s.is_free) for s in venue.opening_hours.all()
    ]


EDIT_CASES = {
    "bad name": ("pukou", {"name": "浦口服务点"}, [], "醴陵市文化馆XX分馆"),
    "negative area": ("pukou", {"floor_area": "-1"}, [], "面积不能为负数。"),
    "cycle": ("liling", {"parent": "pukou"}, [], "层级不能成环"),
    "overlap": ("pukou", {}, [(3, "16:00", "20:00", True)], "周四的开放时段"),
    "closes before opens": ("pukou", {}, [(6, "21:00", "19:30", True)], "闭馆时间必须晚于开馆时间"),
}


@pytest.mark.parametrize("case", EDIT_CASES)
def test_bad_input_on_edit_is_refused(admin_client, network, case):
    code, fields, hours, message = EDIT_CASES[case]
    fields = dict(fields)
    venue = network[code]
    if fields.get("parent") in network:
        fields["parent"] = network[fields["parent"]].pk
    before, before_venue = snapshot(), stored(venue)
    response = admin_client.post(
        f"/admin/venues/edit/{venue.pk}/", form_data(venue, hours=hours, **fields)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before
    assert stored(venue) == before_venue


def test_a_valid_edit_saves(admin_client, network):
    pukou = network["pukou"]
    data = form_data(pukou, hours=[(5, "19:00", "00:00", True)], floor_area="650")
    response = admin_client.post(f"/admin/venues/edit/{pukou.pk}/", data)
    assert response.status_code == 302
    pukou = Venue.objects.get(pk=pukou.pk)
    assert pukou.floor_area == 650
    assert pukou.weekly_hours() == (61, 61)
