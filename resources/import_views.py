"""Admin view: upload a teachers or courses file and import it into one of the user's venues."""

import os

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import require_admin_access

from network.models import Venue
from network.services import venues_for_user

from .importing import COURSE_HEADERS, TEACHER_HEADERS, import_catalogue

# Spreadsheets of a few thousand rows weigh well under a megabyte; refuse anything far beyond.
MAX_UPLOAD_SIZE = settings.CATALOGUE_IMPORT_MAX_UPLOAD_SIZE
EXTENSIONS = (".xlsx", ".csv")


def import_venues_for(user):
    """Venues a user may import into: their own; hub administrators (superusers) any."""
    if user.is_superuser:
        return Venue.objects.all()
    return venues_for_user(user)


class ImportForm(forms.Form):
    venue = forms.ModelChoiceField(
        queryset=Venue.objects.none(),
        label=gettext_lazy("导入到场馆"),
        help_text=gettext_lazy("文件中的场馆列须为此场馆，或留空。"),
    )
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The choices, and so the validation of a crafted POST, are limited to the user's venues.
        self.fields["venue"].queryset = import_venues_for(user).order_by("code")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if os.path.splitext(upload.name)[1].lower() not in EXTENSIONS:
            raise forms.ValidationError(_("只能导入 .xlsx 或 .csv 文件。"))
        if upload.size > MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("文件过大（%(size)s），上限为 %(limit)s。")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_UPLOAD_SIZE)}
            )
        return upload


@require_admin_access
def import_view(request):
    if not import_venues_for(request.user).exists():
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_catalogue(
                upload.file, filename=upload.name, venue=form.cleaned_data["venue"]
            )
    else:
        form = ImportForm(user=request.user)
    return TemplateResponse(
        request,
        "resources/import.html",
        {
            "form": form,
            "report": report,
            "teacher_headers": TEACHER_HEADERS,
            "course_headers": COURSE_HEADERS,
        },
    )
