"""Classification of the network's admin views (venues, evaluation, coverage, compliance,
admission, dashboards, loans and orders), the public site and the django-ninja API
(portal/api.py with the routers of network, search, media_pipeline, training, volunteers)."""

from .access import (
    EVERYONE,
    HUB,
    HUB_ONLY,
    OWN_VENUE,
    PUBLIC,
    REDIRECT_OK,
    RESIDENT,
    SIGNED_IN,
    STAFF,
    Rule,
    scoped,
)

# A loan or order between a branch and its main centre: both venues' staff. For A that is
# 浦口 and 醴陵, so 醴陵's moderator is a party; for B (皇图岭 and 攸县) only B's editor is.
PARTIES = scoped({"hub", "mod", "edA", "staffA"}, {"hub", "edB"})
NETWORK = [
    Rule(
        r"venues:(index|index_results|add)",
        HUB,
        "the network's venues are the hub administrator's (network/views.VenueViewSet)",
    ),
    Rule(
        r"venues:(edit|history|history_results|usage|inspect|delete|copy)",
        HUB_ONLY,
        "a venue's record: the hub administrator",
        obj="venue",
    ),
    Rule(
        r"network_evaluation_(systems|scores):(index|index_results|add)|storage_quotas:.*",
        HUB,
        "evaluation systems, manual scores and storage quotas: the hub administrator",
        kwargs={"pk": 999999},
        ok=(200, 404),
    ),
    Rule(
        r"network_evaluation_(systems|scores):(edit|delete|history|history_results|usage)",
        HUB,
        "an evaluation system or score (none exists: 404 for the hub)",
        kwargs={"pk": 999999},
        ok=(404,),
    ),
    Rule(r"network_evaluation:index", STAFF, "evaluations: the user's overseen venues"),
    Rule(
        r"network_evaluation:.*",
        HUB,
        "an evaluation, its breakdown, exports and results (none exists: 404)",
        kwargs={"pk": 999999},
        ok=(404, 405),
    ),
    Rule(
        r"network_coverage:(index|export)",
        {"hub", "mod"},
        "coverage of an area: the hub and the main centres (branches oversee no area)",
    ),
    Rule(r"network_coverage:(population|grid)", HUB, "importing population figures: the hub"),
    Rule(
        r"network_compliance:(index|import)",
        {"hub", "mod"},
        "opening compliance of the venues a main centre or the hub oversees",
    ),
    Rule(
        r"network_compliance:checkin", STAFF, "checking in the user's own venue", ok=(200, 302, 405)
    ),
    Rule(r"network_admission:(index|create)", STAFF, "admission applications routed to the user"),
    Rule(
        r"network_admission:(detail|step)",
        HUB,
        "an application (none exists: 404)",
        kwargs={"pk": 999999, "step": "review"},
        ok=(404,),
    ),
    Rule(r"metrics_dashboard:(index|screen|data)", STAFF, "dashboards: overseen venues' figures"),
    Rule(r"metrics_dashboard:xlsx", STAFF, "a chart's export", kwargs={"key": "venues_by_level"}),
    Rule(
        r"resources_(loans|orders):(incoming|outgoing|create)",
        STAFF,
        "loans and orders of the user's venues",
    ),
    Rule(r"resources_orders:report", HUB, "the network's ordering report: the hub"),
    *(
        rule
        for kind, obj in (("loans", "loan"), ("orders", "order"))
        for rule in (
            Rule(
                rf"resources_{kind}:detail",
                PARTIES,
                f"a {obj}: its two venues' staff (borrower A and lender 醴陵) and the hub",
                obj=obj,
            ),
            Rule(
                rf"resources_{kind}:action",
                PARTIES,
                f"a step on a {obj}: POST-only",
                obj=obj,
                kwargs={"action": "cancel"},
                ok=(405,),
            ),
        )
    ),
]

PUBLIC_SITE = [
    Rule(r"healthz", EVERYONE, "the load balancer's liveness probe (no data)"),
    Rule(
        r"catalogue:index|search|volunteers:(showcase|rankings|activities)|training:menu",
        EVERYONE,
        "public listings",
    ),
    Rule(r"catalogue:list", EVERYONE, "a public catalogue list", kwargs={"kind": "courses"}),
    Rule(r"catalogue:detail", PUBLIC, "a public course", obj="course", kwargs={"kind": "courses"}),
    Rule(
        r"training:course",
        PUBLIC,
        "a course on the public menu",
        kwargs={"pk": lambda o: o["course"].pk},
    ),
    Rule(
        r"volunteers:activity",
        scoped(HUB, HUB),
        "an unpublished activity: 404 for all",
        obj="activity",
        ok=(404,),
    ),
    Rule(r"resources:asset_file", OWN_VENUE, "an owner-only asset's file", obj="mediaasset"),
    Rule(
        r"media_stream:file",
        EVERYONE,
        "signed rendition links only; an unsigned one is refused",
        kwargs={"pk": 1, "run": "r1", "relative": "index.m3u8"},
        ok=(403, 404),
    ),
    Rule(
        r"account:(login|signup|password_forgot|privacy|deleted)|network_apply:apply",
        EVERYONE,
        "forms anyone may open (a signed-in resident may be sent on)",
        ok=REDIRECT_OK,
    ),
    Rule(r"account:logout", EVERYONE, "POST-only: a GET is 405", ok=(405,)),
    Rule(
        r"account:(signup_details|password_reset)",
        EVERYONE,
        "later steps of a flow: sent back to its start without a session",
        ok=REDIRECT_OK,
    ),
    Rule(
        r"account:resend_code", EVERYONE, "POST-only", kwargs={"purpose": "signup"}, ok=(302, 405)
    ),
    Rule(
        r"account:(home|edit|download|delete|password_change)|training:me",
        RESIDENT,
        "a resident's own account and data",
    ),
    Rule(r"volunteers:me", RESIDENT, "a resident who is no volunteer is sent to apply", ok=(302,)),
    Rule(r"volunteers:(apply)", RESIDENT, "applying as a volunteer: residents"),
    Rule(r"volunteers:certificate", RESIDENT, "a resident who is no volunteer gets 404", ok=(404,)),
    Rule(
        r"network_apply:mine",
        SIGNED_IN,
        "an applicant's own applications: any signed-in applicant",
        ok=REDIRECT_OK,
    ),
    Rule(
        r"network_apply:(detail|agreement|photo)",
        HUB,
        "an application (none: 404)",
        kwargs={"pk": 999999},
        ok=(404,),
    ),
    Rule(
        r"training:(enrol|cancel)",
        scoped({"resident"}, {"resident"}),
        "enrolling and cancelling are POST-only",
        kwargs={"pk": lambda o: o["course"].pk},
        ok=(405,),
    ),
    Rule(
        r"training:(event_enrol|event_cancel|rate)",
        RESIDENT,
        "POST-only",
        kwargs={"pk": 999999},
        ok=(404, 405),
    ),
    Rule(
        r"volunteers:(sign_up|cancel|report)",
        RESIDENT,
        "POST-only",
        kwargs={"pk": 999999},
        ok=(404, 405),
    ),
]

API = [
    Rule(
        r"api-v1:(openapi-json|openapi-view|api-root|list_venues|course_menu"
        r"|volunteer_activities)",
        EVERYONE,
        "the public API",
        ok=(200, 404),
    ),
    Rule(r"api-v1:search(_suggest)?", EVERYONE, "public search", query="?q=课程"),
    Rule(
        r"api-v1:get_venue",
        PUBLIC,
        "a venue's public record",
        kwargs={"code": lambda o: o["venue"].code},
    ),
    Rule(
        r"api-v1:course_detail",
        PUBLIC,
        "a course on the menu",
        kwargs={"course_id": lambda o: o["course"].pk},
    ),
    Rule(
        r"api-v1:asset_detail",
        OWN_VENUE,
        "an owner-only asset",
        kwargs={"asset_id": lambda o: o["mediaasset"].pk},
    ),
    Rule(
        r"api-v1:(create_upload|upload_status|abort_upload|upload_part|complete_upload)",
        STAFF,
        "media uploads: the uploader's own sessions (none exists)",
        kwargs={"upload_id": "00000000-0000-0000-0000-000000000000", "number": 1},
        ok=(404, 405),
    ),
    Rule(
        r"api-v1:(create_token|revoke_token|create_code|create_account|set_password)",
        EVERYONE,
        "sign-in and sign-up are POST-only",
        ok=(405,),
    ),
    Rule(
        r"api-v1:(me|delete_me|my_enrolments|my_volunteer)",
        RESIDENT,
        "a resident's own data (staff accounts: 403)",
        ok=(200, 404, 405),
    ),
    Rule(
        r"api-v1:(course_enrol|course_cancel|course_rate)",
        RESIDENT,
        "enrolling is POST/DELETE only",
        kwargs={"course_id": lambda o: o["course"].pk},
        ok=(405,),
    ),
    Rule(
        r"api-v1:(event_enrol|event_cancel)",
        RESIDENT,
        "POST/DELETE only",
        kwargs={"event_id": 999999},
        ok=(404, 405),
    ),
    Rule(
        r"api-v1:(volunteer_sign_up|volunteer_cancel)",
        RESIDENT,
        "POST/DELETE only",
        kwargs={"shift_id": 999999, "signup_id": 999999},
        ok=(404, 405),
    ),
]


NETWORK_AND_PUBLIC_RULES = [*NETWORK, *PUBLIC_SITE, *API]
