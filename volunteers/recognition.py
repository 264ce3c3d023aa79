"""Recognition (表彰): star levels by confirmed hours, the PDF certificate, the public showcase of
volunteers who agreed to be shown and of teams, and the annual rankings.

The certificate is drawn with ReportLab in its built-in Chinese CID font STSong-Light (Adobe's
Song typeface that every PDF reader carries), so no font file is shipped or needed."""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from network.models import Venue
from network.plan import Level

from .models import RecordStatus, ServiceRecord, Team, Volunteer, VolunteerSettings, VolunteerStatus
from .reports import ZERO, as_hours, confirmed_records, hours_of, year_bounds
from .rules import RANKING_SIZE, STAR_LABELS

CERTIFICATE_FONT = "STSong-Light"


# --- stars --------------------------------------------------------------------------------------


def thresholds():
    """{level: hours} as the hub set them."""
    return VolunteerSettings.load().thresholds()


def star_level(hours, levels=None):
    """0 below one star, else the highest level whose threshold the hours reach."""
    levels = levels if levels is not None else thresholds()
    reached = [level for level, needed in levels.items() if Decimal(hours) >= needed]
    return max(reached, default=0)


def star_label(level):
    return _("%(stars)s志愿者") % {"stars": STAR_LABELS[level]} if level else _("未评星")


@dataclass
class Standing:
    hours: Decimal
    level: int
    label: str
    next_level: int | None
    hours_to_next: Decimal | None


def standing(volunteer, levels=None):
    levels = levels if levels is not None else thresholds()
    hours = hours_of(volunteer)
    level = star_level(hours, levels)
    next_level = level + 1 if level + 1 in levels else None
    to_next = Decimal(levels[next_level]) - hours if next_level else None
    return Standing(hours, level, star_label(level), next_level, to_next)


# --- the certificate ------------------------------------------------------------------------------


def hub_name():
    hub = Venue.objects.filter(level=Level.HUB).first()
    return (hub.alias or hub.name) if hub else ""


def chinese_date(day):
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def certificate_number(volunteer, issued_on):
    return f"ZY{issued_on:%Y}{volunteer.pk:06d}"


def certificate_pdf(volunteer, issued_on=None):
    """A one-page A4 landscape certificate of the volunteer's confirmed hours and star level."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if CERTIFICATE_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CERTIFICATE_FONT))
    issued_on = issued_on or timezone.localdate()
    now = standing(volunteer)
    issuer = hub_name() or str(volunteer.grid.venue)

    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(_("志愿服务证书"))
    pdf.setAuthor(issuer)
    red = HexColor("#8c1c13")
    pdf.setStrokeColor(red)
    pdf.setLineWidth(6)
    pdf.rect(28, 28, width - 56, height - 56)
    pdf.setLineWidth(1.5)
    pdf.rect(40, 40, width - 80, height - 80)

    def centred(text, y, size, color=None):
        pdf.setFont(CERTIFICATE_FONT, size)
        pdf.setFillColor(color or HexColor("#222222"))
        pdf.drawCentredString(width / 2, y, text)

    centred(_("文化志愿服务证书"), height - 130, 38, red)
    centred(
        _("%(name)s 同志：") % {"name": volunteer.name},
        height - 200,
        20,
    )
    team = f"{volunteer.team} · " if volunteer.team_id else ""
    centred(
        _("作为%(venue)s注册文化志愿者（%(team)s%(grid)s），")
        % {"venue": volunteer.grid.venue, "team": team, "grid": volunteer.grid},
        height - 245,
        16,
    )
    centred(
        _("截至 %(date)s 累计志愿服务 %(hours)s 小时，")
        % {"date": chinese_date(issued_on), "hours": now.hours},
        height - 280,
        16,
    )
    if now.level:
        centred(_("被评为%(label)s。特发此证，以资鼓励。") % {"label": now.label}, height - 315, 16)
    else:
        centred(_("特发此证，以资鼓励。"), height - 315, 16)
    pdf.setFont(CERTIFICATE_FONT, 14)
    pdf.setFillColor(HexColor("#222222"))
    pdf.drawRightString(width - 110, 150, issuer)
    pdf.drawRightString(width - 110, 125, chinese_date(issued_on))
    pdf.setFont(CERTIFICATE_FONT, 10)
    pdf.drawString(
        70, 60, _("证书编号：%(number)s") % {"number": certificate_number(volunteer, issued_on)}
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


# --- showcase and rankings ------------------------------------------------------------------------


def _hours_subquery(start=None, end=None):
    records = (
        confirmed_records(start, end)
        .filter(signup__volunteer=OuterRef("pk"))
        .order_by()
        .values("signup__volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(records, output_field=DecimalField(max_digits=9, decimal_places=2)),
        Value(ZERO),
        output_field=DecimalField(max_digits=9, decimal_places=2),
    )


def shown_volunteers(start=None, end=None):
    """Approved volunteers who agreed to be shown, with their confirmed `hours` (in the period)."""
    return (
        Volunteer.objects.filter(status=VolunteerStatus.APPROVED, showcase_consent=True)
        .select_related("resident", "grid__venue", "team")
        .annotate(hours=_hours_subquery(start, end))
    )


def showcase():
    levels = thresholds()
    volunteers = list(shown_volunteers().order_by("-hours", "pk"))
    for volunteer in volunteers:
        volunteer.hours = as_hours(volunteer.hours)
        volunteer.stars = star_level(volunteer.hours, levels)
        volunteer.star_label = star_label(volunteer.stars)
    teams = list(team_totals(Team.objects.filter(showcase=True)).order_by("venue__code", "name"))
    shown_by_team = {}
    for volunteer in volunteers:
        if volunteer.team_id:
            shown_by_team.setdefault(volunteer.team_id, []).append(volunteer)
    for team in teams:
        team.hours = as_hours(team.hours)
        team.shown_members = shown_by_team.get(team.pk, [])
    return volunteers, teams


def team_totals(teams, start=None, end=None):
    records = (
        confirmed_records(start, end)
        .filter(signup__volunteer__team=OuterRef("pk"))
        .order_by()
        .values("signup__volunteer__team")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    decimal = DecimalField(max_digits=9, decimal_places=2)
    return teams.select_related("venue").annotate(
        member_count=Count(
            "members", filter=Q(members__status=VolunteerStatus.APPROVED), distinct=True
        ),
        hours=Coalesce(Subquery(records, output_field=decimal), Value(ZERO), output_field=decimal),
    )


def rankings(year, size=RANKING_SIZE):
    """The year's volunteers (those who agreed to be shown) and teams by confirmed hours."""
    start, end = year_bounds(year)
    volunteers = list(
        shown_volunteers(start, end)
        .filter(hours__gt=0)
        .order_by("-hours", "resident__real_name", "pk")[:size]
    )
    teams = list(
        team_totals(Team.objects.filter(showcase=True), start, end)
        .filter(hours__gt=0)
        .order_by("-hours", "name", "pk")[:size]
    )
    for row in volunteers + teams:
        row.hours = as_hours(row.hours)
    return volunteers, teams


def ranking_years():
    """Years with confirmed service, newest first (for the rankings' year picker)."""
    dates = ServiceRecord.objects.filter(status=RecordStatus.CONFIRMED).dates(
        "service_date", "year"
    )
    return sorted({d.year for d in dates} | {timezone.localdate().year}, reverse=True)
