"""What portal.provisioning builds for a venue, and how it follows renames and moves."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
)

from network.services import save_venue
from portal.models import VenuePage
from portal.provisioning import (
    COLLECTION_PERMISSIONS,
    EDITOR_PAGE_PERMISSIONS,
    GOVERNING_PAGE_PERMISSIONS,
    MODERATOR_PAGE_PERMISSIONS,
)

from ..factories import editor_of, make_venue

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "venue pages": VenuePage.objects.count(),
        "collections": Collection.objects.count(),
        "groups": Group.objects.count(),
        "workflows": Workflow.objects.count(),
        "tasks": GroupApprovalTask.objects.count(),
    }


def page_permissions(group):
    return {
        (p.page_id, p.permission.codename)
        for p in GroupPagePermission.objects.filter(group=group).select_related("permission")
    }


def collection_permissions(group):
    return {
        (p.collection_id, p.permission.content_type.app_label, p.permission.codename)
        for p in GroupCollectionPermission.objects.filter(group=group).select_related(
            "permission__content_type"
        )
    }


def workflow_of(venue):
    return VenuePage.objects.get(venue=venue).get_workflow()


def task_names(venue):
    return [
        wt.task.name
        for wt in workflow_of(venue).workflow_tasks.order_by("sort_order").select_related("task")
    ]


@pytest.mark.parametrize(
    ("parent_key", "level", "place", "governs"),
    [
        pytest.param("liling", "branch", "沈潭", False, id="branch-under-main"),
        pytest.param("pukou", "point", "龙源村", False, id="point-under-branch"),
        pytest.param("hub", "main", "茶陵", True, id="main-under-hub"),
    ],
)
def test_new_venue_gets_page_collection_groups_and_workflow(
    network, parent_key, level, place, governs
):
    parent = network[parent_key]
    before = counts()
    extra = {"operator_type": "community"} if level == "point" else {}
    venue = make_venue(f"new-{level}", level, parent, place=place, **extra)
    venue.refresh_from_db()

    after = counts()
    assert {k: after[k] - before[k] for k in after} == {
        "pages": 1,
        "venue pages": 1,
        "collections": 1,
        "groups": 2,
        "workflows": 1,
        "tasks": 1,
    }

    page = VenuePage.objects.get(venue=venue)
    assert page.get_parent().pk == parent.page.pk
    assert (page.title, page.slug, page.live) == (venue.name, venue.code, True)

    assert venue.collection.name == venue.name
    assert venue.collection.get_parent().pk == parent.collection.pk

    assert venue.editors_group.name == f"{venue.name}编辑"
    assert venue.moderators_group.name == f"{venue.name}审核"
    for group in (venue.editors_group, venue.moderators_group):
        assert group.permissions.filter(codename="access_admin").exists()
        assert collection_permissions(group) == {
            (venue.collection.pk, app, codename) for app, codename in COLLECTION_PERMISSIONS
        }
    assert page_permissions(venue.editors_group) == {
        (page.pk, codename) for codename in EDITOR_PAGE_PERMISSIONS
    }
    moderator_codenames = GOVERNING_PAGE_PERMISSIONS if governs else MODERATOR_PAGE_PERMISSIONS
    assert page_permissions(venue.moderators_group) == {
        (page.pk, codename) for codename in moderator_codenames
    }
    assert ("publish_page" in moderator_codenames) is governs

    workflow = workflow_of(venue)
    assert workflow.name == f"{venue.name}发布审核"
    assert workflow.active
    expected = [f"{venue.name}审核"]
    if not governs:
        expected.append(f"{venue.governing_venue.name}审核")
    assert task_names(venue) == expected
    own_task = GroupApprovalTask.objects.get(name=f"{venue.name}审核")
    assert list(own_task.groups.all()) == [venue.moderators_group]


@pytest.mark.parametrize(
    ("key", "governing_key"),
    [
        ("hub", None),
        ("liling", None),
        ("youxian", None),
        ("pukou", "liling"),
        ("huangfeng", "youxian"),
        ("shimen", "liling"),
        ("school", "hub"),
    ],
)
def test_workflow_tasks_follow_the_governing_centre(network, key, governing_key):
    venue = network[key]
    expected = [f"{venue.name}审核"]
    if governing_key:
        expected.append(f"{network[governing_key].name}审核")
    assert task_names(venue) == expected


def test_saving_again_creates_nothing(network):
    before = counts()
    shimen = network["shimen"]
    save_venue(shimen)
    save_venue(network["liling"])
    assert counts() == before
    assert len(page_permissions(shimen.editors_group)) == len(EDITOR_PAGE_PERMISSIONS)


def test_rename_renames_page_collection_groups_and_tasks(network):
    liling = network["liling"]
    before = counts()
    liling.name = "醴陵市群众文化馆"
    save_venue(liling)
    assert counts() == before

    liling.refresh_from_db()
    page = VenuePage.objects.get(venue=liling)
    assert page.title == page.draft_title == "醴陵市群众文化馆"
    assert page.slug == "liling-main"
    assert liling.collection.name == "醴陵市群众文化馆"
    assert liling.editors_group.name == "醴陵市群众文化馆编辑"
    assert liling.moderators_group.name == "醴陵市群众文化馆审核"
    assert workflow_of(liling).name == "醴陵市群众文化馆发布审核"
    # Its branches carry its name, and their second review step is its (renamed) task.
    pukou = network["pukou"]
    pukou.refresh_from_db()
    assert pukou.name.startswith("醴陵市群众文化馆")
    assert task_names(pukou) == [f"{pukou.name}审核", "醴陵市群众文化馆审核"]
    assert VenuePage.objects.get(venue=pukou).title == pukou.name
    assert pukou.collection.name == pukou.name


def test_move_reparents_page_and_collection_and_rewires_workflows(network):
    pukou, youxian = network["pukou"], network["youxian"]
    before = counts()
    pukou.parent = youxian
    save_venue(pukou)
    assert counts() == before

    pukou.refresh_from_db()
    page = VenuePage.objects.get(venue=pukou)
    assert page.get_parent().pk == youxian.page.pk
    assert pukou.collection.get_parent().pk == youxian.collection.pk
    assert pukou.editors_group.name == f"{pukou.name}编辑"
    assert task_names(pukou) == [f"{pukou.name}审核", f"{youxian.name}审核"]
    # The point below moves with it and is now governed by the new main centre.
    shimen = network["shimen"]
    shimen.refresh_from_db()
    shimen_page = VenuePage.objects.get(venue=shimen)
    assert shimen_page.get_parent().pk == page.pk
    assert shimen.collection.get_parent().pk == pukou.collection.pk
    assert task_names(shimen) == [f"{shimen.name}审核", f"{youxian.name}审核"]
    # Editing rights move with the subtree: 醴陵's editors no longer reach 浦口's page.
    assert not shimen_page.permissions_for_user(editor_of(network["liling"])).can_edit()
    assert shimen_page.permissions_for_user(editor_of(youxian)).can_edit()
