"""The tree: hub → 总馆 → 分馆 → 服务点, and moving venues within it."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Collection, WorkflowPage

from network.models import Venue
from network.plan import Level
from portal.models import VenuePage
from tests.factories import make_venue


def refused(venue):
    """The Chinese messages full_clean gives for `venue`, which must not validate."""
    with pytest.raises(ValidationError) as caught:
        venue.full_clean()
    return " ".join(caught.value.messages)


def review_groups(venue):
    page = VenuePage.objects.get(venue=venue)
    workflow = WorkflowPage.objects.get(page=page).workflow
    return [
        list(task.specific.groups.all())
        for task in workflow.tasks.order_by("workflow_tasks__sort_order")
    ]


def test_the_hub_has_no_parent_and_is_unique(network):
    hub = network["hub"]
    hub.parent = network["liling"]
    assert "中心馆不能有上级场馆。" in refused(hub)

    second = Venue(code="another-hub", level=Level.HUB, name="另一个群众艺术馆", district="芦淞区")
    assert "全市只能有一个中心馆。" in refused(second)


@pytest.mark.parametrize(
    ("level", "parent", "message"),
    [
        (Level.BRANCH, "pukou", "分馆的上级必须是总馆、中心馆，不能是分馆。"),
        (Level.BRANCH, "shimen", "分馆的上级必须是总馆、中心馆，不能是服务点。"),
        (Level.MAIN, "liling", "总馆的上级必须是中心馆，不能是总馆。"),
        (Level.POINT, "shimen", "服务点的上级必须是中心馆、总馆、分馆，不能是服务点。"),
        (Level.BRANCH, None, "分馆必须有上级场馆。"),
    ],
)
def test_allowed_parents(network, level, parent, message):
    venue = Venue(
        code="new-venue",
        level=level,
        parent=network[parent] if parent else None,
        place_name="新桥",
        district="醴陵市",
    )
    assert message in refused(venue)


@pytest.mark.parametrize("parent", ["hub", "liling", "pukou"])
def test_a_community_point_may_sit_under_any_centre(network, parent):
    point = make_venue("new-point", Level.POINT, network[parent], place="新桥村")
    assert point.parent == network[parent]


@pytest.mark.parametrize("operator", ["training_school", "company_club", "private_venue"])
def test_hub_affiliated_operators_must_join_the_hub(network, operator):
    point = Venue(
        code="new-point",
        level=Level.POINT,
        parent=network["liling"],
        place_name="星光艺校",
        operator_type=operator,
        district="醴陵市",
    )
    assert "上级必须是中心馆" in refused(point)
    point.parent = network["hub"]
    point.name = ""
    point.full_clean()


def test_a_cycle_is_refused(network):
    liling = network["liling"]
    liling.parent = network["pukou"]
    assert "不能把场馆移到它自己或它的下级场馆之下（层级不能成环）。" in refused(liling)
    liling.parent = network["shimen"]
    assert "层级不能成环" in refused(liling)
    pukou = network["pukou"]
    pukou.parent = pukou
    assert "层级不能成环" in refused(pukou)
    assert Venue.objects.get(code="liling-main").parent == network["hub"]


@pytest.mark.parametrize(
    ("code", "new_level", "message"),
    [
        ("liling", Level.BRANCH, "该场馆下有分馆，不能改为分馆。"),
        ("pukou", Level.POINT, "该场馆下有服务点，不能改为服务点。"),
    ],
)
def test_a_level_change_that_strands_children_is_refused(network, code, new_level, message):
    venue = network[code]
    venue.level = new_level
    assert message in refused(venue)


def test_moving_a_branch_to_another_main_centre(network):
    pukou, youxian = network["pukou"], network["youxian"]
    shimen_page = VenuePage.objects.get(venue=network["shimen"])
    assert shimen_page.url_path.endswith("/liling-main/liling-pukou/liling-shimen/")

    pukou.parent = youxian
    pukou.full_clean()
    pukou.save()

    # The name follows the new main centre, as on a rename; so does the point below.
    pukou.refresh_from_db()
    shimen = Venue.objects.get(code="liling-shimen")
    assert pukou.name == "攸县文化馆浦口分馆"
    assert shimen.name == "攸县文化馆浦口分馆石门村服务点"

    page = VenuePage.objects.get(venue=pukou)
    assert page.get_parent().pk == VenuePage.objects.get(venue=youxian).pk
    assert page.url_path.endswith("/youxian-main/liling-pukou/")
    shimen_page.refresh_from_db()
    assert shimen_page.url_path.endswith("/youxian-main/liling-pukou/liling-shimen/")
    assert shimen_page.get_parent().pk == page.pk

    collection = Collection.objects.get(pk=pukou.collection_id)
    assert collection.get_parent().pk == youxian.collection_id
    assert Collection.objects.get(pk=shimen.collection_id).get_parent().pk == collection.pk

    # Pages of the branch and its point are now approved by 攸县文化馆's moderators.
    assert review_groups(pukou) == [[pukou.moderators_group], [youxian.moderators_group]]
    assert review_groups(shimen) == [[shimen.moderators_group], [youxian.moderators_group]]
    assert shimen.governing_venue == youxian
