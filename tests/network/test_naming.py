"""The plan's naming rule: 分馆 = <总馆名>XX分馆, 服务点 = <上级名>XX服务点, 总馆 = XX文化馆."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import Collection, Page, Workflow

from network.models import Venue
from network.plan import Level
from portal.models import VenuePage
from tests.factories import make_venue


def counts():
    return (
        Venue.objects.count(),
        Page.objects.count(),
        Group.objects.count(),
        Collection.objects.count(),
        Workflow.objects.count(),
    )


def test_standard_names_are_accepted(network):
    liling, pukou, hub = network["liling"], network["pukou"], network["hub"]
    assert pukou.name == "醴陵市文化馆浦口分馆"
    assert network["shimen"].name == "醴陵市文化馆浦口分馆石门村服务点"
    assert network["school"].name == "株洲市群众艺术馆悦舞培训学校服务点"
    assert network["youxian"].name == "攸县文化馆"

    given = make_venue("liling-dongfu", Level.BRANCH, liling, name="醴陵市文化馆东富分馆")
    assert given.place_name == "东富"  # derived from the name
    point = make_venue(
        "liling-dongfu-xinyang", Level.POINT, given, name="醴陵市文化馆东富分馆新阳村服务点"
    )
    assert point.place_name == "新阳村"
    generated = make_venue("liling-baitutan", Level.BRANCH, liling, place="白兔潭")
    assert generated.name == "醴陵市文化馆白兔潭分馆"
    hub_point = make_venue(
        "hub-gangtie", Level.POINT, hub, place="钢铁厂职工活动中心", operator_type="company_club"
    )
    assert hub_point.name == "株洲市群众艺术馆钢铁厂职工活动中心服务点"
    assert VenuePage.objects.get(venue=generated).title == "醴陵市文化馆白兔潭分馆"


def test_main_centre_place_and_plaque_names(network):
    assert network["liling"].plaque_names == ["醴陵市文化馆", "株洲市文化馆醴陵分馆"]
    assert network["pukou"].plaque_names == ["醴陵市文化馆浦口分馆"]
    # The place name is taken from the name; a one-character place keeps its 县.
    youxian = network["youxian"]
    tianyuan = make_venue("tianyuan-main", Level.MAIN, network["hub"], name="天元区文化馆")
    assert tianyuan.place_name == "天元"
    assert "株洲市文化馆天元分馆" in tianyuan.plaque_names
    chaling = make_venue("chaling-main", Level.MAIN, network["hub"], name="茶陵县文化馆")
    assert chaling.place_name == "茶陵"
    you = Venue(code="x", level=Level.MAIN, parent=network["hub"], name="攸县文化馆")
    you._settle_name()
    assert you.place_name == "攸县"
    assert youxian.plaque_names[-1] == "株洲市文化馆攸县分馆"


@pytest.mark.parametrize(
    ("level", "parent", "name", "expected_form"),
    [
        (Level.BRANCH, "liling", "浦口镇分馆", "“醴陵市文化馆XX分馆”"),
        (Level.BRANCH, "liling", "攸县文化馆东富分馆", "“醴陵市文化馆XX分馆”"),
        (Level.BRANCH, "liling", "醴陵市文化馆东富服务点", "“醴陵市文化馆XX分馆”"),
        (Level.BRANCH, "liling", "醴陵市文化馆分馆", "“醴陵市文化馆XX分馆”"),
        (Level.POINT, "pukou", "石门村服务点", "“醴陵市文化馆浦口分馆XX服务点”"),
        (Level.MAIN, "hub", "茶陵县文化中心", "“XX文化馆”"),
    ],
)
def test_non_standard_names_are_refused_and_nothing_is_saved(
    network, level, parent, name, expected_form
):
    before = counts()
    with pytest.raises(ValidationError) as caught:
        make_venue("new-venue", level, network[parent], name=name)
    message = " ".join(caught.value.message_dict["name"])
    assert "名称必须为" + expected_form + "的形式" in message
    assert f"“{name}”不符合命名规则" in message
    assert counts() == before
    assert not Group.objects.filter(name__startswith=name).exists()
    assert not Collection.objects.filter(name=name).exists()


def test_a_name_or_a_place_is_required(network):
    with pytest.raises(ValidationError) as caught:
        make_venue("nameless", Level.BRANCH, network["liling"])
    assert caught.value.message_dict["name"] == ["请填写名称，或填写地名以按规则生成名称。"]


def test_renaming_a_main_centre_renames_its_branches_and_points(network):
    liling = network["liling"]
    liling.name = "渌口区文化馆"  # 株洲县 became 渌口区: the centre is renamed
    liling.full_clean()
    liling.save()
    assert liling.place_name == "渌口"
    assert liling.plaque_names == ["渌口区文化馆", "株洲市文化馆渌口分馆"]

    pukou = Venue.objects.get(code="liling-pukou")
    shimen = Venue.objects.get(code="liling-shimen")
    assert pukou.name == "渌口区文化馆浦口分馆"
    assert shimen.name == "渌口区文化馆浦口分馆石门村服务点"
    for venue in (liling, pukou, shimen):
        page = VenuePage.objects.get(venue=venue)
        assert page.title == page.draft_title == venue.name
        assert venue.editors_group.name == f"{venue.name}编辑"
        assert venue.moderators_group.name == f"{venue.name}审核"
        assert Collection.objects.get(pk=venue.collection_id).name == venue.name
    assert not Group.objects.filter(name__startswith="醴陵市文化馆").exists()


def test_renaming_the_hub_leaves_main_centre_names_alone(network):
    hub = network["hub"]
    hub.name = "株洲市文化馆"
    hub.save()
    assert Venue.objects.get(code="liling-main").name == "醴陵市文化馆"
    assert Venue.objects.get(code="hub-yuewu").name == "株洲市文化馆悦舞培训学校服务点"


def test_a_new_place_name_renames_a_branch(network):
    pukou = network["pukou"]
    pukou.place_name = "浦口镇"
    pukou.full_clean()
    pukou.save()
    assert Venue.objects.get(code="liling-pukou").name == "醴陵市文化馆浦口镇分馆"
    assert Venue.objects.get(code="liling-shimen").name == "醴陵市文化馆浦口镇分馆石门村服务点"
