"""Spreadsheets (.xlsx, openpyxl) of confirmed hours for a period, and of service records with
the fields of the national volunteer service information system (全国志愿服务信息系统).

Personal data in exports: the phone is always masked. In the service-record export the ID
number is given in full only for volunteers of the exporting staff member's own venues (the
venue that registered them reports their hours upward and needs the number to match them);
for everyone else it is masked, hub administrators included."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.privacy import mask_id_number, mask_phone
from resources.permissions import user_venue_ids
from training.unmasked import log_unmasked_view

from . import reports
from .models import Grid
from .permissions import managed_venue_ids, records_for, volunteers_managed_by
from .rules import HOURS_EXPORT_COLUMNS, ID_TYPE_RESIDENT_CARD, SERVICE_RECORD_COLUMNS

KIND_LABELS = {
    "volunteer": gettext_lazy("按志愿者"),
    "team": gettext_lazy("按团队"),
    "venue": gettext_lazy("按场馆"),
    "grid": gettext_lazy("按网格"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_label(start, end):
    return f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"


def _workbook(title, headings, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([str(heading) for heading in headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(heading)) * 2 + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _hours_rows(kind, user, start, end):
    venues = managed_venue_ids(user)
    if kind == "volunteer":
        for line in reports.by_volunteer(volunteers_managed_by(user), start, end):
            v = line.subject
            yield [
                v.name,
                mask_phone(v.resident.phone),
                str(v.grid.venue),
                str(v.grid),
                str(v.team or ""),
                line.services,
                float(line.hours),
            ]
    elif kind == "team":
        for line in reports.by_team(reports.teams_in(venues), start, end):
            yield [
                line.subject.name,
                str(line.subject.venue),
                line.volunteers,
                line.services,
                float(line.hours),
            ]
    elif kind == "venue":
        for line in reports.by_venue(reports.venues_in(venues), start, end):
            yield [
                str(line.subject),
                line.subject.district,
                line.volunteers,
                line.services,
                float(line.hours),
            ]
    elif kind == "grid":
        for line in reports.by_grid(start, end, Grid.objects.all()):
            grid = line.subject
            yield [
                grid.name,
                grid.get_kind_display(),
                str(grid.venue),
                line.volunteers,
                line.activities,
                float(line.hours),
            ]
    else:
        raise ValueError(kind)


def hours_workbook(kind, user, start, end):
    """Confirmed hours per volunteer, team, venue or grid between `start` and `end` (dates,
    inclusive). Staff get their venues' volunteers, teams and venues; grids are city-wide."""
    title = _("志愿服务时长%(kind)s") % {"kind": KIND_LABELS[kind]}
    return _workbook(title, HOURS_EXPORT_COLUMNS[kind], _hours_rows(kind, user, start, end))


def service_records_workbook(user, start, end):
    """Confirmed records of the activities the user's venues organised (all, for hub
    administrators), one row per service, oldest first."""
    own = user_venue_ids(user)
    records = (
        records_for(user)
        .filter(status="confirmed", service_date__gte=start, service_date__lte=end)
        .select_related(
            "signup__volunteer__grid",
            "signup__volunteer__resident",
            "signup__shift__activity__grid",
        )
        .order_by("started_at", "pk")
    )

    def rows():
        shown = {}  # residents whose ID number goes into the file in full
        for record in records:
            volunteer, shift = record.signup.volunteer, record.signup.shift
            resident = volunteer.resident
            full_id = volunteer.grid.venue_id in own
            if full_id:
                shown[resident.pk] = resident
            started = timezone.localtime(record.started_at)
            ended = timezone.localtime(record.ended_at)
            yield [
                resident.real_name,
                str(ID_TYPE_RESIDENT_CARD) if resident.id_number else "",
                resident.id_number if full_id else mask_id_number(resident.id_number),
                mask_phone(resident.phone),
                str(shift.activity),
                str(shift.activity.venue),
                shift.role,
                record.service_date.isoformat(),
                f"{started:%Y-%m-%d %H:%M}",
                f"{ended:%Y-%m-%d %H:%M}",
                float(record.hours),
                str(shift.activity.grid),
            ]
        log_unmasked_view(user, shown.values(), where="service_records", fields=("id_number",))

    return _workbook(_("志愿服务记录"), SERVICE_RECORD_COLUMNS, rows())


def filename(kind, start, end):
    return f"volunteer-{kind}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
