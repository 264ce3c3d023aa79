"""What a venue gets when it is created or changed: its page, collection, groups and workflow.

Connected to Venue's post_save in PortalConfig.ready(); it runs inside Venue.save()'s
transaction, so a venue never exists without all of these.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from network.plan import LEVEL_RULES

from .models import HomePage, VenuePage

# Page permissions by role. Publishing is kept for the moderators of governing venues (the hub
# and main centres); a branch's own moderators review first, then its main centre publishes.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
GOVERNING_PAGE_PERMISSIONS = (*MODERATOR_PAGE_PERMISSIONS, "publish_page", "bulk_delete_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def editors_group_name(venue):
    return _("%(name)s编辑") % {"name": venue.name}


def moderators_group_name(venue):
    return _("%(name)s审核") % {"name": venue.name}


def ensure_home_page():
    """The portal home under Wagtail's root, served by the default site."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial "Welcome" page (and the site on it) gives way to the portal home.
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = root.add_child(instance=HomePage(title=_("株洲数字文化馆"), slug="home"))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home


def provision_venue(venue):
    page, moved = sync_page(venue)
    collection = sync_collection(venue)
    editors, moderators = sync_groups(venue)
    grant_permissions(editors, moderators, venue, page, collection)
    sync_workflow(venue, page)
    if moved:
        # A move can change which centre governs the venues below: re-sync their workflows.
        for descendant in venue.descendants():
            sync_workflow(descendant, VenuePage.objects.get(venue=descendant))


def _parent_page(venue):
    if venue.parent_id is None:
        return ensure_home_page()
    return VenuePage.objects.get(venue_id=venue.parent_id)


def sync_page(venue):
    parent_page = _parent_page(venue)
    page = VenuePage.objects.filter(venue=venue).first()
    if page is None:
        page = VenuePage(venue=venue, title=venue.name, slug=venue.code, live=True)
        parent_page.add_child(instance=page)
        page.save_revision().publish()
        return page, False
    moved = page.get_parent().pk != parent_page.pk
    if moved:
        page.move(parent_page, pos="last-child")
        page.refresh_from_db()
    if page.title != venue.name or page.slug != venue.code:
        page.title = page.draft_title = venue.name
        page.slug = venue.code
        page.save(update_fields=["title", "draft_title", "slug", "url_path"])
    return page, moved


def sync_collection(venue):
    parent = venue.parent.collection if venue.parent_id else Collection.get_first_root_node()
    collection = venue.collection
    if collection is None:
        collection = parent.add_child(name=venue.name)
        venue.collection = collection
        type(venue).objects.filter(pk=venue.pk).update(collection=collection)
        return collection
    if collection.get_parent().pk != parent.pk:
        collection.move(parent, pos="last-child")
        collection.refresh_from_db()
    if collection.name != venue.name:
        collection.name = venue.name
        collection.save(update_fields=["name"])
    return collection


def sync_groups(venue):
    groups = {}
    for field, name in (
        ("editors_group", editors_group_name(venue)),
        ("moderators_group", moderators_group_name(venue)),
    ):
        group = getattr(venue, field)
        if group is None:
            group = Group.objects.create(name=name)
            setattr(venue, field, group)
            type(venue).objects.filter(pk=venue.pk).update(**{field: group})
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])
        groups[field] = group
    return groups["editors_group"], groups["moderators_group"]


def _permissions(app_label, codenames):
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def grant_permissions(editors, moderators, venue, page, collection):
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    moderator_codenames = (
        GOVERNING_PAGE_PERMISSIONS
        if LEVEL_RULES[venue.level].governs
        else MODERATOR_PAGE_PERMISSIONS
    )
    for group, codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (moderators, moderator_codenames)):
        group.permissions.add(access_admin)
        for permission in _permissions("wagtailcore", codenames):
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
        for app_label, codename in COLLECTION_PERMISSIONS:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )


def _review_task(venue):
    task = GroupApprovalTask.objects.filter(groups=venue.moderators_group).first()
    name = moderators_group_name(venue)
    if task is None:
        task = GroupApprovalTask.objects.create(name=name)
        task.groups.set([venue.moderators_group])
    elif task.name != name:
        task.name = name
        task.save(update_fields=["name"])
    return task


def sync_workflow(venue, page):
    """Hub and main centres approve their own pages; a branch or point is reviewed by its own
    moderators first, then approved and published by its governing centre."""
    governing = venue.governing_venue
    tasks = [_review_task(venue)]
    if governing is not None and governing.pk != venue.pk:
        tasks.append(_review_task(governing))
    name = _("%(name)s发布审核") % {"name": venue.name}
    link = WorkflowPage.objects.filter(page=page).select_related("workflow").first()
    workflow = link.workflow if link else Workflow.objects.create(name=name, active=True)
    if workflow.name != name:
        workflow.name = name
        workflow.save(update_fields=["name"])
    current = list(workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    if current != [t.pk for t in tasks]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    if link is None:
        WorkflowPage.objects.create(page=page, workflow=workflow)
