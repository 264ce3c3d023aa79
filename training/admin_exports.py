"""报名名单 as .xlsx: an offering's enrolled and waiting people with their attendance, for the
staff who manage it. Phone and ID numbers are masked in the file whoever downloads it: a
spreadsheet travels further than the screen it came from."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.spreadsheets import XLSX_CONTENT_TYPE, xlsx_bytes

from . import schedule
from .models import EnrolmentStatus
from .permissions import offerings_for

HEADINGS = [
    gettext_lazy("状态"),
    gettext_lazy("候补序号"),
    gettext_lazy("姓名"),
    gettext_lazy("手机号"),
    gettext_lazy("身份证号"),
    gettext_lazy("报名时间"),
    gettext_lazy("前台代报名"),
    gettext_lazy("出勤次数"),
    gettext_lazy("课次数"),
]


def enrolment_rows(offering):
    """Enrolled people first (in the order they enrolled), then the waiting list in order."""
    sessions = 1 if offering.event_id else len(schedule.sessions_of(offering))
    enrolments = (
        offering.enrolments.filter(
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED]
        )
        .select_related("resident")
        .annotate(present=Count("attendance", filter=Q(attendance__present=True)))
        .order_by("status", "waitlist_number", "created_at", "pk")  # "enrolled" < "waitlisted"
    )
    for enrolment in enrolments:
        resident = enrolment.resident
        yield [
            enrolment.get_status_display(),
            enrolment.waitlist_number,
            resident.real_name,
            resident.masked_phone,
            resident.masked_id_number,
            timezone.localtime(enrolment.created_at).strftime("%Y-%m-%d %H:%M"),
            _("是") if enrolment.registered_by_id else "",
            enrolment.present,
            sessions,
        ]


def enrolment_workbook(offering):
    return xlsx_bytes(_("报名名单"), HEADINGS, enrolment_rows(offering))


class OfferingExportView(View):
    """GET: the offering's list as a download, for the staff who manage the offering."""

    http_method_names = ["get"]

    def get(self, request, pk):
        offering = offerings_for(request.user).prefetch_related("course__sessions")
        offering = offering.filter(pk=pk).first()
        if offering is None:
            raise Http404
        response = HttpResponse(enrolment_workbook(offering), content_type=XLSX_CONTENT_TYPE)
        filename = f"enrolments-{offering.pk}-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
