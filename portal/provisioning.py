"""What a venue gets when it is created or changed: its page, collection, groups and workflow.

Connected to Venue's post_save in PortalConfig.ready(); it runs inside Venue.save()'s
transaction, so a venue never exists without all of these.
"""

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
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

from network.plan import LEVEL_RULES, PUBLIC_STATUSES

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
    is_public = venue.status in PUBLIC_STATUSES
    if page is None:
        # Created live directly: publishing through a revision would cost as much as all the
        # rest of the provisioning together, for a page that has no content yet.
        now = timezone.now()
        page = VenuePage(
            venue=venue,
            title=venue.name,
            slug=venue.code,
            live=is_public,
            first_published_at=now if is_public else None,
            last_published_at=now if is_public else None,
        )
        parent_page.add_child(instance=page)
        # The page is live as created; its first revision is recorded as the live one.
        revision = page.save_revision(log_action=False)
        VenuePage.objects.filter(pk=page.pk).update(
            live_revision=revision if is_public else None, has_unpublished_changes=not is_public
        )
        page.refresh_from_db()
        return page, False
    moved = page.get_parent().pk != parent_page.pk
    if moved:
        page.move(parent_page, pos="last-child")
        page.refresh_from_db()
    if page.title != venue.name or page.slug != venue.code:
        page.title = page.draft_title = venue.name
        page.slug = venue.code
        page.save(update_fields=["title", "draft_title", "slug", "url_path"])
    # A delisted venue leaves the public site; its content is kept for when it returns.
    if page.live and not is_public:
        page.unpublish()
    elif is_public and not page.live:
        revision = page.get_latest_revision()
        if revision is not None:
            revision.publish()
        else:
            page.live = True
            page.save(update_fields=["live"])
    return page, moved


def sync_collection(venue):
    # Read the tree nodes afresh: collections are kept sorted by name, so adding or renaming a
    # sibling rewrites paths and leaves instances cached on the venues stale.
    if venue.parent_id:
        parent = Collection.objects.get(venue__pk=venue.parent_id)
    else:
        parent = Collection.get_first_root_node()
    collection = Collection.objects.filter(pk=venue.collection_id).first()
    if collection is None:
        collection = parent.add_child(name=venue.name)
        venue.collection = collection
        type(venue).objects.filter(pk=venue.pk).update(collection=collection)
        return collection
    if collection.name != venue.name:
        collection.name = venue.name
        collection.save(update_fields=["name"])
    if collection.get_parent().pk != parent.pk:
        # Sorted by (the new) name: treebeard only accepts a sorted position here.
        collection.move(parent, pos="sorted-child")
        collection.refresh_from_db()
    venue.collection = collection
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


def _permissions_by_key():
    """{(app_label, codename): Permission} for every permission provisioning hands out."""
    wanted = {
        ("wagtailadmin", "access_admin"),
        *(("wagtailcore", codename) for codename in GOVERNING_PAGE_PERMISSIONS),
        *COLLECTION_PERMISSIONS,
    }
    permissions = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in wanted},
        codename__in={codename for _, codename in wanted},
    ).select_related("content_type")
    return {(p.content_type.app_label, p.codename): p for p in permissions}


def grant_permissions(editors, moderators, venue, page, collection):
    """Editors edit the venue's subtree; moderators also lock, and publish where the venue
    governs. Permissions a level change takes away are removed."""
    permissions = _permissions_by_key()
    moderator_codenames = (
        GOVERNING_PAGE_PERMISSIONS
        if LEVEL_RULES[venue.level].governs
        else MODERATOR_PAGE_PERMISSIONS
    )
    collection_permissions = [permissions[key] for key in COLLECTION_PERMISSIONS]
    for group, codenames in ((editors, EDITOR_PAGE_PERMISSIONS), (moderators, moderator_codenames)):
        group.permissions.add(permissions[("wagtailadmin", "access_admin")])
        page_permissions = [permissions[("wagtailcore", codename)] for codename in codenames]
        GroupPagePermission.objects.filter(group=group, page=page).exclude(
            permission__in=page_permissions
        ).delete()
        GroupPagePermission.objects.bulk_create(
            [GroupPagePermission(group=group, page=page, permission=p) for p in page_permissions],
            ignore_conflicts=True,
        )
        GroupCollectionPermission.objects.bulk_create(
            [
                GroupCollectionPermission(group=group, collection=collection, permission=p)
                for p in collection_permissions
            ],
            ignore_conflicts=True,
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
