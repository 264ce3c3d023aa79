"""Moderation end to end through the admin: a branch's page is reviewed by the branch's own
moderators, then approved and published by its governing main centre."""

import pytest
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from portal.models import ArticlePage
from portal.provisioning import moderators_group_name

from ..factories import admin_page_form_data, editor_of, moderator_of

pytestmark = pytest.mark.django_db


def create_article(client, parent_page, title, action):
    """Fill in the admin's create form for an ArticlePage under `parent_page` and press the
    button named `action` (action-submit, action-publish, or None to save a draft)."""
    url = reverse("wagtailadmin_pages:add", args=["portal", "articlepage", parent_page.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = admin_page_form_data(response)
    data["title"] = title
    if action:
        data[action] = action
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ArticlePage.objects.child_of(parent_page).get(draft_title=title)


def act(client, page, action_name):
    """POST a workflow action on the page's current task, as Wagtail's moderation buttons do."""
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action_name, task_state.pk])
    return client.post(url, {"comment": ""})


def refused(response):
    """Wagtail refuses with 403, or with a redirect to the dashboard and an error message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def public_status(client, page):
    client.logout()
    return client.get(Page.objects.get(pk=page.pk).url).status_code


def current_task_name(page):
    return Page.objects.get(pk=page.pk).current_workflow_task.name


def test_branch_page_goes_through_branch_then_main_centre(client, network):
    pukou, liling, youxian = network["pukou"], network["liling"], network["youxian"]
    other_centre, main_centre = moderator_of(youxian), moderator_of(liling)
    client.force_login(editor_of(pukou))
    page = create_article(client, pukou.page, "浦口分馆书法培训开班", "action-submit")
    assert not page.live
    assert page.workflow_in_progress
    assert current_task_name(page) == moderators_group_name(pukou)
    assert public_status(client, page) == 404

    # Another centre's moderators and the main centre (whose turn has not come) cannot act.
    for outsider in (other_centre, main_centre):
        client.force_login(outsider)
        assert refused(act(client, page, "approve"))
        assert current_task_name(page) == moderators_group_name(pukou)

    client.force_login(moderator_of(pukou))
    response = act(client, page, "approve")
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert current_task_name(page) == moderators_group_name(liling)

    client.force_login(other_centre)
    assert refused(act(client, page, "approve"))
    page.refresh_from_db()
    assert not page.live and page.workflow_in_progress

    client.force_login(main_centre)
    assert act(client, page, "approve").status_code == 302
    page.refresh_from_db()
    assert page.live
    assert not page.workflow_in_progress
    assert page.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    response = client.get(page.url)
    assert response.status_code == 200
    assert "浦口分馆书法培训开班" in response.content.decode()


def test_rejection_sends_the_page_back(client, network):
    pukou, liling = network["pukou"], network["liling"]
    editor = editor_of(pukou)
    client.force_login(editor)
    page = create_article(client, pukou.page, "浦口分馆通知", "action-submit")

    client.force_login(moderator_of(pukou))
    act(client, page, "approve")
    client.force_login(moderator_of(liling))
    assert act(client, page, "reject").status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert not page.workflow_in_progress
    assert page.workflow_states.get().status == WorkflowState.STATUS_NEEDS_CHANGES
    assert public_status(client, page) == 404

    # The editor fixes it and resubmits: review resumes at the task that rejected it.
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = admin_page_form_data(client.get(url))
    data["title"] = "浦口分馆通知（修改稿）"
    data["action-submit"] = "action-submit"
    assert client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert current_task_name(page) == moderators_group_name(liling)


def test_main_centre_page_needs_only_its_own_moderators(client, network):
    liling = network["liling"]
    client.force_login(editor_of(liling))
    page = create_article(client, liling.page, "醴陵市文化馆元宵晚会", "action-submit")
    assert not page.live
    assert current_task_name(page) == moderators_group_name(liling)
    assert public_status(client, page) == 404

    client.force_login(moderator_of(liling))
    assert act(client, page, "approve").status_code == 302
    page.refresh_from_db()
    assert page.live
    assert public_status(client, page) == 200


@pytest.mark.parametrize("role", ["editor", "moderator"])
def test_branch_staff_cannot_publish_directly(client, network, role):
    pukou = network["pukou"]
    user = editor_of(pukou) if role == "editor" else moderator_of(pukou)
    client.force_login(user)
    page = create_article(client, pukou.page, "浦口分馆直接发布", "action-publish")
    assert not page.live
    assert not page.workflow_in_progress
    assert public_status(client, page) == 404
    assert not page.permissions_for_user(user).can_publish()


def test_governing_moderators_can_publish(network):
    for key in ("hub", "liling", "youxian"):
        venue = network[key]
        assert venue.page.permissions_for_user(moderator_of(venue)).can_publish()
    # ... their branches' pages too, since the branch pages sit in their subtree.
    main_centre = moderator_of(network["liling"], "liling-publisher")
    assert network["pukou"].page.permissions_for_user(main_centre).can_publish()
    assert not network["huangfeng"].page.permissions_for_user(main_centre).can_publish()
