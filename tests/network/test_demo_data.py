"""`manage.py load_demo_data`: the Zhuzhou demo network, loaded once for this module."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Revision,
    Workflow,
    WorkflowPage,
)

from network import rules
from network.demo import zhuzhou
from network.models import OpeningHours, Venue
from network.plan import (
    ADMISSION_REQUIREMENTS,
    HUB_AFFILIATED_OPERATORS,
    NETWORK_TARGETS,
    OPENING_DUTIES,
    Level,
    OperatorType,
)
from portal.models import ArticlePage, EventPage, HomePage, VenuePage, upcoming_events
from resources.models import Course, HeritageItem, Programme, Teacher, TeachingAsset

COUNTIES = ["荷塘区", "芦淞区", "石峰区", "天元区", "渌口区", "醴陵市", "攸县", "茶陵县", "炎陵县"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load once with --if-empty on the empty test database; rolled back after the module.

    Each test still runs in its own savepoint (the `db` fixture) inside this transaction.
    """
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            assert not Venue.objects.exists()
            out = StringIO()
            call_command("load_demo_data", "--if-empty", stdout=out)
        except BaseException:
            outer.__exit__(None, None, None)
            media.disable()
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    media.disable()


def test_catalogue_has_public_demo_entries(demo, db, client):
    assert Course.objects.public().count() >= 5
    assert HeritageItem.objects.filter(name="醴陵釉下五彩瓷烧制技艺").exists()
    body = client.get("/catalogue/courses/").content.decode()
    assert "少儿书法培训班" in body
    teacher = Teacher.objects.get(name="罗国华")
    assert teacher.masked_phone == "138****0102"
    assert "13807330102" not in client.get(f"/catalogue/teachers/{teacher.pk}/").content.decode()


def snapshot():
    user_model = get_user_model()
    models = (
        Venue,
        OpeningHours,
        Page,
        Revision,
        Collection,
        Group,
        GroupPagePermission,
        GroupCollectionPermission,
        Workflow,
        WorkflowPage,
        user_model,
        user_model.groups.through,
        get_image_model(),
        Teacher,
        Course,
        Programme,
        TeachingAsset,
        HeritageItem,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_network_shape(demo, db):
    assert Venue.objects.filter(level=Level.HUB).count() == 1
    hub = Venue.objects.get(level=Level.HUB)
    assert (hub.code, hub.name, hub.alias) == ("zhuzhou-hub", "株洲市群众艺术馆", "株洲市文化馆")

    mains = Venue.objects.filter(level=Level.MAIN)
    assert mains.count() == 9
    assert sorted(m.district for m in mains) == sorted(COUNTIES)
    assert all(m.parent_id == hub.pk for m in mains)
    liling = Venue.objects.get(code="liling-main")
    assert liling.plaque_names == ["醴陵市文化馆", "株洲市文化馆醴陵分馆"]

    branches_and_points = Venue.objects.filter(level__in=(Level.BRANCH, Level.POINT))
    _deadline, _levels, target = NETWORK_TARGETS[0]
    assert branches_and_points.count() >= target >= 50
    # Every county/district has branches, and branches are its township/street stations.
    for main in mains:
        branches = main.children.filter(level=Level.BRANCH)
        assert branches.count() >= 4, main.name
        assert all(b.township and b.district == main.district for b in branches)
    assert Venue.objects.get(code="liling-pukou").name == "醴陵市文化馆浦口分馆"
    assert Venue.objects.get(code="liling-pukou-shimen").name == "醴陵市文化馆浦口分馆石门村服务点"
    assert "演示数据载入完成" in demo


def test_every_venue_follows_the_naming_rule_and_is_provisioned(demo, db):
    venues = Venue.objects.select_related("parent", "page", "collection")
    assert venues.count() == len(zhuzhou.VENUES)
    home = HomePage.objects.get()
    for venue in venues:
        parent_name = venue.parent.name if venue.parent else ""
        assert rules.naming_errors(venue.level, parent_name, venue.name) == [], venue.name
        if venue.level in (Level.BRANCH, Level.POINT):
            assert venue.name == rules.expected_name(venue.level, parent_name, venue.place_name)
        page = venue.page
        assert page.live and page.title == venue.name and page.slug == venue.code
        expected_parent = home if venue.parent is None else venue.parent.page
        assert page.get_parent().pk == expected_parent.pk
        assert venue.editors_group.name == f"{venue.name}编辑"
        assert venue.moderators_group.name == f"{venue.name}审核"
        assert venue.collection.name == venue.name
        assert GroupPagePermission.objects.filter(group=venue.editors_group, page=page).exists()
        assert WorkflowPage.objects.filter(page=page).exists()


def test_hub_affiliated_points_are_under_the_hub(demo, db):
    affiliated = Venue.objects.filter(operator_type__in=HUB_AFFILIATED_OPERATORS)
    assert {v.operator_type for v in affiliated} == set(HUB_AFFILIATED_OPERATORS)
    for venue in affiliated:
        assert venue.level == Level.POINT
        assert venue.parent.level == Level.HUB, venue.name
    community = Venue.objects.filter(operator_type=OperatorType.COMMUNITY)
    assert community.exists()
    assert all(v.parent.level == Level.BRANCH for v in community)


def test_venues_meet_the_plan(demo, db):
    """The demo is compliant: admission thresholds and opening duties from network.plan."""
    for venue in Venue.objects.prefetch_related("opening_hours"):
        assert 25.5 < venue.latitude < 28.5 and 112.5 < venue.longitude < 114.5, venue.code
        assert venue.population_served and venue.service_radius_km and venue.address
        open_days = {slot.weekday for slot in venue.opening_hours.all()}
        assert len(open_days) == 6, venue.code  # closed one day a week
        if venue.level not in OPENING_DUTIES:
            continue
        duty = OPENING_DUTIES[venue.level]
        total, free = venue.weekly_hours()
        assert total >= duty.min_open_hours and free >= duty.min_free_hours, venue.code
        requirement = ADMISSION_REQUIREMENTS[venue.level]
        assert venue.floor_area >= requirement.min_floor_area, venue.code
        assert venue.staff_count >= 1 or not requirement.needs_dedicated_staff
        assert venue.has_functional_rooms or not requirement.needs_functional_rooms
        assert venue.has_training_room or not requirement.needs_training_room
        if venue.level == Level.POINT:
            assert total > free, venue.code  # some slots are paid


def test_news_and_events_are_published(demo, db):
    now = timezone.now()
    articles = ArticlePage.objects.live()
    events = EventPage.objects.live()
    assert articles.count() == len(zhuzhou.NEWS)
    assert events.count() == len(zhuzhou.EVENTS)
    levels = {a.get_parent().specific.venue.level for a in articles}
    assert {Level.HUB, Level.MAIN, Level.BRANCH} <= levels
    for page in [*articles, *events]:
        owner = page.get_parent().specific
        assert isinstance(owner, VenuePage)
        assert page.slug.isascii() and page.slug  # pinyin, derived from the title
        assert page.body[0].block_type == "paragraph"
        assert page.cover.collection_id == owner.venue.collection_id
    for event in events:
        assert now < event.start < event.end < now + timedelta(days=60)
        assert event.place
    charged = events.exclude(fee_type="free")
    assert charged.exists() and all(e.fee_amount is not None for e in charged)
    assert len(upcoming_events(HomePage.objects.get(), 6)) == 6


def test_second_load_changes_nothing(demo, db):
    before = snapshot()
    out = StringIO()
    call_command("load_demo_data", stdout=out)
    assert snapshot() == before
    assert "新建场馆 0 个、账号 0 个、新闻 0 篇、活动 0 个、封面图 0 张" in out.getvalue()


def test_if_empty_does_nothing_on_a_loaded_database(demo, db):
    title = zhuzhou.NEWS[0]["title"]
    ArticlePage.objects.get(title=title).delete()
    before = snapshot()
    out = StringIO()
    call_command("load_demo_data", "--if-empty", stdout=out)
    assert snapshot() == before
    assert not ArticlePage.objects.filter(title=title).exists()
    assert "未载入演示数据" in out.getvalue()
    # Without --if-empty, only what is missing is loaded again.
    call_command("load_demo_data", stdout=StringIO())
    assert ArticlePage.objects.filter(title=title).count() == 1
    assert Venue.objects.count() == before["Venue"]


def test_demo_accounts(demo, db, client):
    user_model = get_user_model()
    assert user_model.objects.count() == 2 * Venue.objects.count() + 1
    admin = user_model.objects.get(username=zhuzhou.SUPERUSER)
    assert admin.is_superuser
    pukou = Venue.objects.get(code="liling-pukou")
    editor = user_model.objects.get(username="liling-pukou-editor")
    moderator = user_model.objects.get(username="liling-pukou-moderator")
    assert list(editor.groups.all()) == [pukou.editors_group]
    assert list(moderator.groups.all()) == [pukou.moderators_group]
    assert "liling-pukou-editor" in demo and zhuzhou.DEMO_PASSWORD in demo

    assert client.login(username="liling-pukou-editor", password=zhuzhou.DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.login(username="hub-xiangyun-moderator", password=zhuzhou.DEMO_PASSWORD)
    assert client.login(username=zhuzhou.SUPERUSER, password=zhuzhou.DEMO_PASSWORD)
    assert not client.login(username="liling-pukou-editor", password="wrong-password")


def test_demo_data_is_searchable_at_once(demo, db):
    from search.services import search

    page = search("醴陵")
    assert page.count > 0
    assert any(r.type == "venue" for r in page.results)
