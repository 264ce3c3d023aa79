"""Classification of our apps' admin views and viewsets: the catalogue, training and
residents, volunteers."""

from .access import (
    HUB,
    HUB_ONLY,
    OWN_VENUE,
    REDIRECT_OK,
    STAFF,
    Rule,
    scoped,
)

CATALOGUE_MODELS = "teacher|course|programme|mediaasset|teachingasset|heritageitem"
CATALOGUE = [
    Rule(
        rf"wagtailsnippets_resources_({CATALOGUE_MODELS}):(list|list_results)"
        rf"|wagtailsnippetchoosers_resources_({CATALOGUE_MODELS}):(choose|choose_results"
        rf"|chosen_multiple|create)|wagtailsnippets_resources_({CATALOGUE_MODELS}):add",
        STAFF,
        "catalogue listings and choosers: every venue's staff, showing what is visible to them "
        "(resources/permissions.py)",
    ),
    Rule(
        r"wagtailsnippets:index",
        STAFF,
        "the snippets menu page sends on to the admin home",
        ok=(302,),
    ),
    Rule(
        r"wagtailsnippets_resources_course:inspect|wagtailsnippetchoosers_resources_course:chosen",
        scoped(STAFF, STAFF),
        "a public course: every venue's staff may see and choose it (CatalogueQuerySet)",
        obj="course",
    ),
    *(
        Rule(
            rf"wagtailsnippets_resources_{model}:(edit|delete|usage|history|history_results"
            rf"|inspect)|wagtailsnippetchoosers_resources_{model}:chosen",
            OWN_VENUE,
            f"an owner-only {model}: its owner venue's staff and the hub",
            obj=model,
        )
        for model in CATALOGUE_MODELS.split("|")
    ),
    Rule(
        r"wagtailsnippets_resources_mediaasset:retry_processing",
        OWN_VENUE,
        "retrying an asset's processing is POST-only: a GET is 405",
        obj="mediaasset",
        ok=(405,),
    ),
    Rule(r"resources_import", STAFF, "importing into the user's own venues"),
    Rule(r"media_pipeline_upload", STAFF, "uploading media for the user's own venues"),
    Rule(
        r"wagtailsnippets_resources_artform:.*",
        HUB,
        "art forms are the hub's vocabulary (resources/admin_views.ArtFormViewSet)",
        kwargs={"pk": lambda o: o["course"].art_form_id},
    ),
    Rule(
        r"wagtailsnippetchoosers_resources_artform:(choose|choose_results|chosen|chosen_multiple)",
        STAFF,
        "venue staff choose art forms for their entries",
        kwargs={"pk": lambda o: str(o["course"].art_form_id)},
    ),
    Rule(r"wagtailsnippetchoosers_resources_artform:create", HUB, "adding to the vocabulary"),
    Rule(
        r"wagtailsnippet(s|choosers)_search_(dictionaryword|synonymgroup|zeroresultquery"
        r"|pendingupdate):.*",
        HUB,
        "search tuning (dictionary, synonyms, zero-result log, pending updates): the hub; none "
        "of these rows exists, so object views are 404 for the hub too",
        kwargs={"pk": "999999"},
        ok=(200, 404),
    ),
    Rule(r"network_search", STAFF, "the admin search: every source filters by the user"),
]

TRAINING = [
    Rule(
        r"training_enrolments:index|training_offerings:(index|index_results)",
        STAFF,
        "offering lists: the user's venues only (training/permissions.py)",
    ),
    Rule(
        r"training_enrolments:(detail|scan|export)"
        r"|training_offerings:(edit|history|history_results|usage)",
        OWN_VENUE,
        "an offering's enrolments, roll, front desk and export: its venue's staff and the hub",
        obj="offering",
    ),
    Rule(r"training_enrolments:roll", OWN_VENUE, "a session's roll", obj="offering"),
    Rule(
        r"training_enrolments:event_roll",
        OWN_VENUE,
        "an event's roll; a course has none, so 404 even for its staff",
        obj="offering",
        ok=(404,),
    ),
    Rule(
        r"training_enrolments:(enrol|cancel|reopen)",
        OWN_VENUE,
        "cancelling or reopening is POST-only: a GET is 405",
        obj="offering",
        ok=(405,),
    ),
    Rule(
        r"training_offerings:(add|delete)",
        HUB_ONLY,
        "offerings come and go with their course or event: nobody adds or deletes one",
        obj="offering",
        ok=(302, 403, 404),
    ),
    Rule(
        r"residents:(index|index_results|add)",
        STAFF,
        "residents of the user's venues (training.accounts.residents_visible_to)",
    ),
    Rule(r"residents:inspect", OWN_VENUE, "a resident registered at the venue", obj="resident"),
    Rule(
        r"residents:(history|history_results)",
        OWN_VENUE,
        "a resident's history: whoever may see the resident (training/admin_residents.py)",
        obj="resident",
    ),
    Rule(
        r"residents:(edit|delete|usage)",
        HUB_ONLY,
        "changing or deleting a resident: the hub administrator only",
        obj="resident",
    ),
]

VOLUNTEERS = [
    Rule(
        r"volunteer_(teams|activities|shifts):(index|index_results|add)|volunteer_grids:index"
        r"|volunteer_grids:index_results"
        r"|volunteer_(people|rosters|hours):index|volunteer_reports:grids|volunteer_exports:export",
        STAFF,
        "volunteer lists, reports and exports: the user's venues only (volunteers/permissions.py)",
    ),
    *(
        Rule(
            rf"volunteer_{viewset}:(edit|delete|history|history_results|usage|inspect)",
            OWN_VENUE,
            f"a venue's {obj} (deleting one with records behind it is refused: sent back)",
            obj=obj,
            ok=REDIRECT_OK,
        )
        for viewset, obj in (("teams", "team"), ("activities", "activity"), ("shifts", "shift"))
    ),
    Rule(
        r"volunteer_grids:inspect",
        scoped(STAFF, STAFF),
        "grids are the hub's and every venue's staff see them (volunteers/permissions.py)",
        obj="grid",
    ),
    Rule(
        r"volunteer_grids:(add|edit|delete|history|history_results|usage)",
        HUB,
        "grids are defined by the hub administrators and the hub venue's staff",
        kwargs={"pk": lambda o: o["grid"].pk},
        ok=(200, 302),
    ),
    Rule(
        r"volunteer_people:(detail|certificate)",
        OWN_VENUE,
        "a volunteer of the venue's grid",
        obj="volunteer",
    ),
    Rule(
        r"volunteer_people:(approve|reject|reassign)",
        OWN_VENUE,
        "deciding on a volunteer: its form, POSTed",
        obj="volunteer",
        ok=(200, 405),
    ),
    Rule(r"volunteer_rosters:(roster|scan)", OWN_VENUE, "a shift's roster", obj="shift"),
    Rule(
        r"volunteer_rosters:(confirm|decline|times)",
        OWN_VENUE,
        "acting on a signup",
        obj="signup",
        ok=(200, 405),
    ),
    Rule(
        r"volunteer_hours:(record|confirm|reject|correct)",
        OWN_VENUE,
        "a service record awaiting review",
        obj="record",
        ok=(200, 405),
    ),
]


APP_RULES = [*CATALOGUE, *TRAINING, *VOLUNTEERS]
