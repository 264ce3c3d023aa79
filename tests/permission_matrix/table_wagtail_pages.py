"""Classification of Wagtail's page, chooser, image and document admin URLs (our overrides
included)."""

from .access import (
    EVERYONE,
    HUB,
    PUBLISHERS,
    REDIRECT_OK,
    STAFF,
    SUBTREE,
    Rule,
    scoped,
)

ARTICLE = {"content_type_app_name": "portal", "content_type_model_name": "articlepage"}
ON_VENUE_PAGE = {"parent_page_id": lambda o: o["venue_page"].pk}

PAGES = [
    Rule(
        r"wagtailadmin_pages:(edit|view_draft|history|history_results|usage"
        r"|workflow_history|copy|move|preview_on_edit)",
        SUBTREE,
        "a page's editing views: the page's subtree rights (portal/provisioning.py)",
        obj="page",
    ),
    Rule(
        r"wagtailadmin_pages:revisions_(view|revert)",
        SUBTREE,
        "a revision is part of its page's history",
        obj="page",
    ),
    Rule(
        r"wagtailadmin_pages:revisions_compare",
        SUBTREE,
        "comparing two revisions of a page",
        kwargs={
            "pk": lambda o: o["page"].pk,
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
        },
    ),
    Rule(
        r"wagtailadmin_pages:revisions_index",
        SUBTREE,
        "sends on to the page's history",
        obj="page",
        ok=(302,),
    ),
    Rule(
        r"wagtailadmin_pages:(revisions_unschedule|set_privacy)",
        PUBLISHERS,
        "unscheduling and privacy are for publishers (the governing moderators: 醴陵 for A)",
        obj="page",
    ),
    Rule(
        r"wagtailadmin_pages:workflow_history_detail",
        SUBTREE,
        "the page's moderation history",
        obj="page",
    ),
    Rule(
        r"wagtailadmin_pages:(workflow_action|collect_workflow_action_data)",
        scoped({"hub", "staffA"}, {"hub"}),
        "acting on a page's task: the task's group (浦口's 审核 for A's first step; 皇图岭's for B's, "
        "and no B-side role here is in it)",
        kwargs={"action_name": "approve"},
        obj="page",
    ),
    Rule(
        r"wagtailadmin_pages:workflow_preview",
        scoped({"hub", "staffA"}, {"hub"}),
        "previewing a page in moderation: the task's reviewers",
        obj="page",
    ),
    Rule(
        r"guarded_confirm_workflow_cancellation",
        PUBLISHERS,
        "publishing a page in moderation asks to confirm: its publishers (portal/admin_guards)",
        obj="page",
    ),
    Rule(
        r"wagtailadmin_pages:confirm_workflow_cancellation",
        HUB,
        "shadowed by guarded_confirm_workflow_cancellation (portal/urls.py)",
        request=False,
    ),
    Rule(
        r"wagtailadmin_pages:(add_subpage)",
        SUBTREE,
        "adding under the venue's page",
        kwargs=ON_VENUE_PAGE,
    ),
    Rule(
        r"wagtailadmin_pages:(add|preview_on_add)",
        SUBTREE,
        "adding an article under the venue's page",
        kwargs={**ARTICLE, **ON_VENUE_PAGE},
    ),
    Rule(
        r"wagtailadmin_pages:delete",
        SUBTREE,
        "deleting a page (a draft its editors may remove)",
        obj="page",
    ),
    Rule(
        r"wagtailadmin_pages:(unpublish|lock|unlock|convert_alias|set_page_position)",
        scoped(HUB, HUB),
        "POST-only or not applicable to a draft article: no 2xx for a GET, even for the hub",
        obj="page",
        ok=(302, 404, 405),
    ),
    Rule(
        r"wagtailadmin_pages:move_confirm",
        SUBTREE,
        "moving a page within its subtree (checked by portal/admin_guards before_move_page)",
        kwargs={
            "page_to_move_id": lambda o: o["page"].pk,
            "destination_id": lambda o: o["venue_page"].pk,
        },
    ),
    Rule(
        r"wagtailadmin_pages:(type_use|type_use_results)",
        STAFF,
        "where a page type is used: lists only the pages the user may explore",
        kwargs=ARTICLE,
    ),
    Rule(
        r"wagtailadmin_pages:choose_parent",
        STAFF,
        "choosing where to add a page: only pages the user may add under (one: sent there)",
        kwargs={"app_label": "portal", "model_name": "articlepage"},
        ok=REDIRECT_OK,
    ),
    Rule(r"wagtailadmin_pages:(search|search_results)", STAFF, "searches explorable pages"),
    Rule(
        r"wagtailadmin_explore_root",
        STAFF,
        "the explorer starts at the user's own pages",
        ok=REDIRECT_OK,
    ),
    Rule(
        r"wagtailadmin_explore(_results)?",
        SUBTREE,
        "exploring a venue's page",
        kwargs={"parent_page_id": lambda o: o["venue_page"].pk},
    ),
    Rule(
        r"wagtail_bulk_action",
        HUB,
        "bulk actions: GET is a confirmation page (for no page: 404 or back)",
        kwargs={"app_label": "wagtailcore", "model_name": "page", "action": "delete"},
        query="?id=0",
        ok=(200, 302, 404),
    ),
]

CHOOSERS = [
    Rule(
        r"wagtailadmin_choose_page(_search)?|wagtailadmin_choose_page_(external|email|phone|anchor)_link",
        STAFF,
        "page and link choosers: any editor, listing only what they may choose",
    ),
    Rule(
        r"wagtailadmin_choose_page_child",
        SUBTREE,
        "choosing among a venue's pages",
        kwargs={"parent_page_id": lambda o: o["venue_page"].pk},
    ),
    Rule(
        r"wagtailadmin_choose_page_chosen_multiple",
        STAFF,
        "our replacement answers only for choosable pages (portal/chooser.py)",
        query="?id=0",
    ),
    Rule(
        r"wagtailadmin_tag_(model_)?autocomplete",
        STAFF,
        "tag suggestions (tags are shared)",
        kwargs={"app_name": "taggit", "model_name": "tag"},
    ),
    Rule(r"wagtailembeds:chooser(_upload)?", STAFF, "the embed chooser (no stored data)"),
]

MEDIA = [
    Rule(
        r"wagtail(images|docs):(index|index_results|add|add_multiple)"
        r"|wagtail(images|docs)_chooser:(choose|choose_results|create|chosen_multiple)",
        STAFF,
        "image and document listings and choosers show the user's collections only",
    ),
    Rule(
        r"wagtailimages:(edit|delete|image_usage)|wagtailimages_chooser:(chosen|select_format)",
        SUBTREE,
        "an image: its collection's rights (the collection tree mirrors the venues)",
        obj="image",
    ),
    Rule(
        r"wagtail(images|docs):(edit_multiple|delete_multiple)",
        SUBTREE,
        "the multiple-upload form's edit and delete are POST-only: a GET is 405",
        kwargs={"image_id": lambda o: o["image"].pk, "doc_id": lambda o: o["document"].pk},
        ok=(405,),
    ),
    Rule(
        r"wagtailimages:(url_generator|url_generator_output)",
        SUBTREE,
        "the URL generator needs wagtailimages_serve, which is not routed: 404 for all",
        obj="image",
        ok=(404,),
    ),
    Rule(
        r"wagtailimages:preview",
        SUBTREE,
        "an image's rendition preview",
        obj="image",
        kwargs={"filter_spec": "fill-10x10"},
    ),
    Rule(
        r"wagtaildocs:(edit|delete|document_usage)"
        r"|wagtaildocs_chooser:chosen",
        SUBTREE,
        "a document: its collection's rights",
        obj="document",
    ),
    Rule(
        r"wagtail(images|docs):(create_multiple_from_uploaded_(image|document)"
        r"|delete_upload_multiple)",
        HUB,
        "an upload in progress belongs to its uploader; none exists (404 for everyone)",
        kwargs={"uploaded_file_id": 999999},
        ok=(404, 405),
    ),
    Rule(
        r"wagtaildocs_serve",
        scoped(EVERYONE, EVERYONE),
        "documents are served to anyone who has the link, unless their collection is private "
        "(Wagtail's document privacy); nothing here is private",
        path=lambda o: f"/documents/{o['document'].pk}/{o['document'].filename}",
    ),
    Rule(
        r"wagtaildocs_authenticate_with_password|wagtailcore_authenticate_with_password",
        EVERYONE,
        "password forms for private pages/collections; none exists, so 404",
        kwargs={"restriction_id": 999999, "page_view_restriction_id": 999999, "page_id": 1},
        ok=(404,),
    ),
]


WAGTAIL_PAGE_RULES = [*PAGES, *CHOOSERS, *MEDIA]
