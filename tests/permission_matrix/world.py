"""The data every row of the permission matrix is requested against: two branches that belong
to different main centres (venue A = 浦口 under 醴陵, venue B = 皇图岭 under 攸县), the same set
of objects owned by each, and one user per role.

Everything venue-private of B carries MARKER["B"] (A's carries MARKER["A"]), so a response
can be searched for the other venue's data without knowing where on the page it would show.
Public things (published venue pages, venue names) carry no marker: everybody may see them.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from wagtail.models import Page

from resources import loan_services, order_services
from resources.vocab import Visibility
from tests.factories import (
    editor_of,
    make_article,
    make_document,
    make_image,
    make_network,
    make_user,
    moderator_of,
)
from tests.resources import factories as catalogue
from tests.training.courses import open_course
from tests.training.factories import make_resident
from tests.volunteers import factories as volunteering
from training.models import Enrolment, Offering
from volunteers.models import ServiceRecord, ShiftSignup

MARKER = {"A": "SECRET-A-7QX", "B": "SECRET-B-7QX"}
# Image and document titles: the public read API lists every item of an unrestricted collection
# (portal/api_v2.py), so they are hidden from other venues' staff in the admin but public.
MEDIA_MARKER = {"A": "MEDIA-A-7QX", "B": "MEDIA-B-7QX"}
VENUE_KEYS = {"A": "pukou", "B": "huangfeng"}

# Roles, in the order a failure report lists them.
ROLES = ("hub", "mod", "edA", "edB", "staffA", "resident", "anon")
ROLE_DESCRIPTIONS = {
    "hub": "hub administrator (superuser)",
    "mod": "moderator of 醴陵 (the main centre governing A)",
    "edA": "editor of branch A (浦口)",
    "edB": "editor of branch B (皇图岭)",
    "staffA": "enrolment staff of A (浦口's 审核 group: runs its rolls and front desk)",
    "resident": "a resident (training.Resident) registered at A and enrolled in A's course",
    "anon": "anonymous visitor",
}
# What a role must never see in any response body (the hub administrator sees all). A's
# marked data is staff-only, so the resident (whose own data has no marker) sees none of it.
FOREIGN_MARKERS = {
    "mod": (MARKER["B"], MEDIA_MARKER["B"]),
    "edA": (MARKER["B"], MEDIA_MARKER["B"]),
    "staffA": (MARKER["B"], MEDIA_MARKER["B"]),
    "edB": (MARKER["A"], MEDIA_MARKER["A"]),
    "resident": (MARKER["A"], MARKER["B"]),
    "anon": (MARKER["A"], MARKER["B"]),
}


def _catalogue_entries(venue, marker):
    """One owner-only entry of every catalogue snippet type (owner-only: other venues' staff
    must not see them at all, so the marker may be searched for)."""
    owner_only = {"visibility": Visibility.OWNER}
    teacher = catalogue.make_teacher(venue, name=f"教师{marker}", **owner_only)
    return {
        "teacher": teacher,
        "programme": catalogue.make_programme(venue, title=f"节目{marker}", **owner_only),
        "mediaasset": catalogue.make_asset(venue, title=f"资源{marker}", **owner_only),
        "teachingasset": catalogue.make_teaching_asset(
            venue, name=f"教学资产{marker}", **owner_only
        ),
        "heritageitem": catalogue.make_heritage(venue, name=f"非遗{marker}", **owner_only),
        # The course is on the public menu (residents enrol in it), so its title is public.
        "course": open_course(venue, title=f"{venue.place_name}公开课", sessions=2),
    }


def _training(venue, resident):
    course_offering = Offering.objects.get(course__owner=venue)
    enrolment = Enrolment.objects.create(
        offering=course_offering, resident=resident, status="enrolled"
    )
    return {
        "offering": course_offering,
        "enrolment": enrolment,
        "session": course_offering.course.sessions.first(),
    }


def _volunteering(venue, marker):
    # Grids and teams are shown to everyone (the volunteers' showcase): no marker.
    grid = volunteering.make_grid(venue, name=f"{venue.place_name}网格")
    team = volunteering.make_team(venue, name=f"{venue.place_name}志愿团队")
    activity = volunteering.make_activity(venue, grid, title=f"活动{marker}", published=False)
    shift = volunteering.make_shift(activity)
    volunteer = volunteering.make_volunteer(grid, team=team, real_name=f"志愿者{marker}")
    signup = ShiftSignup.objects.create(shift=shift, volunteer=volunteer, status="confirmed")
    start = timezone.now() - timedelta(days=2)
    record = ServiceRecord.objects.create(
        signup=signup,
        started_at=start,
        ended_at=start + timedelta(hours=3),
        hours=Decimal(3),
        service_date=start.date(),
        source="staff",
        status="pending",
    )
    return {
        "grid": grid,
        "team": team,
        "activity": activity,
        "shift": shift,
        "volunteer": volunteer,
        "signup": signup,
        "record": record,
    }


def _exchanges(venue, marker, user):
    """A loan request and a service order from the venue to its main centre (the lender and
    provider), each with the marker in its free text."""
    main = venue.parent
    teacher = catalogue.make_teacher(main, name=f"{main.place_name}借出老师", max_loan_days=10)
    package = catalogue.make_course(main, title=f"{main.place_name}课程包", status="open")
    soon = timezone.localdate() + timedelta(days=5)
    loan = loan_services.request_loan(
        user, teacher, venue, soon, soon + timedelta(days=1), f"周末培训{marker}"
    )
    order = order_services.place_order(
        user, venue, package, soon, place=f"多功能厅{marker}", audience_size=40
    )
    return {"loan": loan, "order": order}


def _pages(venue, marker, submitter):
    draft = make_article(venue.page, f"未发布草稿{marker}")
    # In moderation, so the workflow views have a workflow state and a task state to show.
    workflow_state = draft.get_workflow().start(draft, submitter)
    return {
        "venue_page": Page.objects.get(pk=venue.page.pk),
        "page": draft,
        "revision": draft.latest_revision,
        "workflow_state": workflow_state,
        "task_state": workflow_state.current_task_state,
        "task": workflow_state.current_task_state.task,
    }


def build_world():
    """The network, A's and B's objects ({"A": {...}, "B": {...}}) and the users by role."""
    network = make_network()
    users = {
        "hub": make_user("matrix-hub", superuser=True),
        "mod": moderator_of(network["liling"], "matrix-liling-moderator"),
        "edA": editor_of(network["pukou"], "matrix-pukou-editor"),
        "edB": editor_of(network["huangfeng"], "matrix-huangfeng-editor"),
        "staffA": moderator_of(network["pukou"], "matrix-pukou-staff"),
    }
    resident = make_resident(real_name="王秀英", registered_at_venue=network["pukou"])
    users["resident"] = resident.user
    residents = {
        "A": resident,
        "B": make_resident(
            real_name=f"居民{MARKER['B']}", registered_at_venue=network["huangfeng"]
        ),
    }
    submitters = {"A": users["edA"], "B": users["edB"]}
    objects = {}
    for scope, key in VENUE_KEYS.items():
        venue = network[key]
        marker = MARKER[scope]
        entries = _catalogue_entries(venue, marker)
        objects[scope] = {
            "venue": venue,
            "collection": venue.collection,
            "image": make_image(venue.collection, f"图片{MEDIA_MARKER[scope]}"),
            "document": make_document(venue.collection, f"文档{MEDIA_MARKER[scope]}"),
            "resident": residents[scope],
            **_pages(venue, marker, submitters[scope]),
            **entries,
            **_training(venue, residents[scope]),
            **_volunteering(venue, marker),
            **_exchanges(venue, marker, submitters[scope]),
        }
    return {"network": network, "users": users, "objects": objects}
