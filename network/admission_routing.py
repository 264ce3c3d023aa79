"""Who reviews an application and what is wrong with it: routing to the county main centre or
the hub, who acts at each step, who sees what, and the checks of the applicant's data."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from . import rules
from .admission import Application
from .hub_settings import NetworkSettings
from .models import Venue
from .plan import (
    ADMISSION_STEPS,
    APPLICANT_LEVELS,
    HUB_AFFILIATED_OPERATORS,
    INSPECTION_CHECKLIST,
    PUBLIC_STATUSES,
    Level,
    OperatorType,
)
from .population import Township
from .services import venues_for_user

STEP_ACTORS = dict(ADMISSION_STEPS)


# --- who ------------------------------------------------------------------------------------


def hub():
    return Venue.objects.filter(level=Level.HUB).first()


def actor_venues(application, stage=None):
    """The venues whose moderators (审核) act at `stage` (default: the current one)."""
    roles = STEP_ACTORS.get(stage or application.stage, ())
    by_role = {"reviewer": application.reviewer, "hub": hub()}
    return [by_role[role] for role in roles if by_role[role] is not None]


def _moderated(user):
    return Venue.objects.filter(moderators_group__in=user.groups.all())


def can_act(user, application, stage=None):
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    venues = {v.pk for v in actor_venues(application, stage)}
    return _moderated(user).filter(pk__in=venues).exists()


def visible_to(user):
    """Applications `user` may see: their own, those routed to their venue, all for the hub."""
    applications = Application.objects.select_related("reviewer", "applicant", "venue")
    if user.is_superuser:
        return applications
    staff_of = venues_for_user(user)
    if staff_of.filter(level=Level.HUB).exists():
        return applications
    return applications.filter(Q(applicant=user) | Q(reviewer__in=staff_of))


# --- where ----------------------------------------------------------------------------------


def route(operator_type, level, district):
    """The reviewing venue: the hub for its directly affiliated operators, else the county main
    centre (提出申请：乡镇（街道、社区）向县（市）区文化馆提出申请)."""
    if level not in APPLICANT_LEVELS.get(operator_type, ()):
        raise ValidationError(
            _("%(operator)s只能申请为%(levels)s。")
            % {
                "operator": OperatorType(operator_type).label,
                "levels": "、".join(str(Level(x).label) for x in APPLICANT_LEVELS[operator_type]),
            }
        )
    if operator_type in HUB_AFFILIATED_OPERATORS:
        reviewer = hub()
    else:
        reviewer = Venue.objects.filter(
            level=Level.MAIN, district=district, status__in=PUBLIC_STATUSES
        ).first()
    if reviewer is None:
        raise ValidationError(
            _("“%(district)s”没有可受理申请的总馆，请核对区县。") % {"district": district}
        )
    return reviewer


def venue_parent(application):
    """Where the new venue hangs: under the hub, the main centre, or its township's branch."""
    if application.operator_type in HUB_AFFILIATED_OPERATORS or application.level == Level.BRANCH:
        return application.reviewer
    branch = Venue.objects.filter(
        level=Level.BRANCH,
        district=application.district,
        township=application.township,
        status__in=PUBLIC_STATUSES,
    ).first()
    return branch or application.reviewer


def standard_name(application):
    parent = venue_parent(application)
    return rules.expected_name(application.level, parent.name, application.place_name)


def suggest_code(application):
    from portal.slugs import pinyin_slug

    parent = venue_parent(application)
    prefix = "hub" if parent.level == Level.HUB else parent.code.removesuffix("-main")
    base = f"{prefix}-{pinyin_slug(application.place_name, 40) or application.pk}"[:46]
    code, n = base, 1
    while Venue.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


# --- checks ---------------------------------------------------------------------------------


def application_errors(application):
    """Everything wrong with an application's data, as Chinese messages."""
    errors = []
    try:
        route(application.operator_type, application.level, application.district)
    except ValidationError as error:
        errors += error.messages
    township = (application.township or "").strip()
    if township:
        if not Township.objects.filter(district=application.district, name=township).exists():
            errors.append(
                _("乡镇/街道“%(township)s”不在%(district)s的乡镇/街道名单中，请核对。")
                % {"township": township, "district": application.district}
            )
    elif application.operator_type not in HUB_AFFILIATED_OPERATORS:
        errors.append(_("请填写所在乡镇/街道。"))
    if application.floor_area is None:
        errors.append(_("请填写面积。"))
    elif application.floor_area < 0:
        errors.append(_("面积不能为负数。"))
    elif application.level in (Level.BRANCH, Level.POINT):
        errors += rules.admission_errors(
            application.level,
            NetworkSettings.load().requirement(application.level),
            application.floor_area,
            application.has_functional_rooms,
            application.has_training_room,
            application.staff_count,
        )
    return errors


def checklist_items(level):
    return [str(item) for item in INSPECTION_CHECKLIST[level]]
