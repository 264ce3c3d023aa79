"""Classification of the rest of Wagtail's admin (shell, reports, administration) and of
Wagtail's read APIs and front end."""

from .access import (
    EVERYONE,
    HUB,
    HUB_ONLY,
    PUBLIC,
    REDIRECT_OK,
    STAFF,
    SUBTREE,
    Rule,
    scoped,
)

ADMIN_HOME = [
    Rule(r"wagtailadmin_home|wagtailadmin_account", STAFF, "the admin shell"),
    Rule(
        r"wagtailadmin_javascript_catalog|wagtailadmin_sprite",
        EVERYONE,
        "static admin assets (translations, icons): no data",
    ),
    Rule(
        r"wagtailadmin_(login|password_reset|password_reset_done|password_reset_complete)",
        EVERYONE,
        "login and password reset forms; a signed-in staff member is sent on (302)",
        ok=REDIRECT_OK,
    ),
    Rule(
        r"wagtailadmin_password_reset_confirm",
        EVERYONE,
        "a reset link with a bad token",
        kwargs={"uidb64": "MQ", "token": "bad-token"},
        ok=REDIRECT_OK,
    ),
    Rule(r"wagtailadmin_dismissibles", STAFF, "the user's own dismissed tips"),
    Rule(
        r"wagtailadmin_logout",
        STAFF,
        "POST-only (logging out, dismissing a tip): a GET is 405 for everyone",
        ok=(405,),
    ),
    Rule(
        r"security_2fa:(setup|verify|disable)",
        STAFF,
        "two-factor login pages: every admin user, for their own account (a user with "
        "nothing to verify or disable is sent on)",
        ok=REDIRECT_OK,
    ),
    Rule(
        r"wagtailadmin_block_preview",
        STAFF,
        "previews a StreamField block given in the query: no stored data (none given: 404)",
        ok=(200, 400, 404),
    ),
    Rule(
        r"wagtailadmin_error_test|admin/test404/",
        HUB,
        "Wagtail's own error-page probes (a deliberate 500 and the 404 template)",
        request=False,
    ),
    Rule(r"admin/\^\.\*/\$", EVERYONE, "the admin's catch-all 404", request=False),
    Rule(
        r"wagtailadmin_editing_sessions:(ping|release)",
        STAFF,
        "editing-session pings are POST-only: a GET is 405",
        kwargs={
            "app_label": "wagtailcore",
            "model_name": "page",
            "object_id": lambda o: str(o["page"].pk),
            "session_id": 999999,
        },
        ok=(405,),
    ),
]

REPORTS = [
    Rule(
        r"wagtailadmin_reports:(workflow|workflow_tasks|site_history|aging_pages)(_results)?",
        STAFF,
        "Wagtail's reports filter by the user's page permissions",
    ),
    Rule(
        r"wagtailadmin_reports:locked_pages(_results)?",
        {"hub", "mod", "staffA"},
        "locked pages: the moderators (they hold lock_page)",
    ),
    Rule(
        r"guarded_page_types_usage(_results)?",
        HUB,
        "a network-wide report naming any venue's draft (portal/admin_guards)",
    ),
    Rule(
        r"wagtailadmin_reports:page_types_usage(_results)?",
        HUB,
        "shadowed by guarded_page_types_usage (portal/urls.py)",
        request=False,
    ),
]

HUB_ADMINISTRATION = [
    Rule(
        r"wagtailadmin_workflows:(task_chooser|task_chooser_results|task_chooser_create"
        r"|task_chosen)",
        STAFF,
        "Wagtail's task chooser: any admin user; it lists approval task names, which are venue "
        "names (public), and creating a task needs the Task add permission",
        kwargs={"task_id": lambda o: o["task"].pk},
    ),
    Rule(
        r"wagtailadmin_collections:(index|add)|wagtailadmin_workflows:.*|wagtailredirects:.*"
        r"|wagtailsites:.*|wagtailusers_(users|groups):.*|wagtailforms:(list_submissions"
        r"|list_submissions_results|delete_submissions)",
        HUB,
        "network administration (collections, workflows, redirects, sites, users, groups): the "
        "hub administrator only; venues get theirs from provisioning",
        kwargs={
            "pk": 1,
            "page_pk": 1,
            "workflow_pk": 1,
            "app_label": "wagtailcore",
            "model_name": "groupapprovaltask",
            "task_id": 1,
            "redirect_id": 1,
            "page_id": 1,
        },
        ok=(200, 302, 404, 405),
    ),
    Rule(
        r"wagtailforms:(index|index_results)",
        STAFF,
        "form pages the user may edit (there are none): an empty list",
    ),
    Rule(
        r"wagtailadmin_collections:(edit|delete|set_privacy)",
        HUB_ONLY,
        "a venue's collection is provisioned; only the hub administrator changes it",
        obj="collection",
    ),
    Rule(
        r"wagtailsettings:(edit|preview_on_edit)",
        HUB,
        "network-wide settings (NetworkSettings, TrainingSettings, VolunteerSettings)",
        kwargs={"app_name": "network", "model_name": "networksettings", "pk": 1},
        ok=(200, 302, 404),
    ),
]

APIS = [
    Rule(
        r"wagtailadmin_api:(pages|images|documents):(listing|find)",
        STAFF,
        "the admin API lists only what the user may see",
        query="?id=0",
        ok=(200, 400, 404),
    ),
    Rule(r"wagtailadmin_api:pages:detail", SUBTREE, "a page through the admin API", obj="page"),
    Rule(
        r"wagtailadmin_api:images:detail",
        scoped(STAFF, STAFF),
        "image metadata: public through /api/v2 anyway (portal/api_v2.py)",
        obj="image",
        media_public=True,
    ),
    Rule(
        r"wagtailadmin_api:documents:detail",
        scoped(STAFF, STAFF),
        "document metadata: public through /api/v2 anyway (portal/api_v2.py)",
        obj="document",
        media_public=True,
    ),
    Rule(
        r"wagtailadmin_api:pages:action",
        STAFF,
        "page actions are POST-only",
        kwargs={"pk": lambda o: o["page"].pk, "action_name": "copy"},
        ok=(405,),
    ),
    Rule(
        r"wagtailapi:pages:(listing|find)",
        EVERYONE,
        "the public API: live public pages only",
        query="?id=0",
        ok=(200, 400, 404),
    ),
    Rule(
        r"wagtailapi:pages:detail",
        PUBLIC,
        "a live venue page is public",
        kwargs={"pk": lambda o: o["venue_page"].pk},
    ),
    Rule(
        r"wagtailapi:(images|documents):(listing|find)",
        EVERYONE,
        "public images and documents (collections without a view restriction: portal/api_v2.py)",
        query="?id=0",
        ok=(200, 400, 404),
    ),
    Rule(
        r"wagtailapi:images:detail",
        PUBLIC,
        "an image in a public collection",
        obj="image",
        media_public=True,
    ),
    Rule(
        r"wagtailapi:documents:detail",
        PUBLIC,
        "a document in a public collection",
        obj="document",
        media_public=True,
    ),
    Rule(r"wagtailcore_login", EVERYONE, "the login form for private pages", ok=REDIRECT_OK),
    Rule(
        r"wagtail_serve",
        PUBLIC,
        "the public site: a live venue page",
        path=lambda o: o["venue_page"].url,
    ),
]


WAGTAIL_ADMIN_RULES = [*ADMIN_HOME, *REPORTS, *HUB_ADMINISTRATION, *APIS]
