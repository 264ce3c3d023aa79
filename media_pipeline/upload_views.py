"""Admin: the chunked upload page (the browser does the uploading, through upload_api), and
the hub's storage quotas with each venue's usage."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet

from resources.models import MediaAsset
from resources.uploads import ALLOWED, upload_limit
from resources.vocab import AssetKind, Visibility

from . import quota, uploads
from .upload_models import StorageQuota, UploadSession, UploadStatus

TITLE_LENGTH = MediaAsset._meta.get_field("title").max_length


class UploadForm(forms.Form):
    """Rendered for the page; upload.js sends its values to the API, which validates them."""

    file = forms.FileField(label=_("文件"))
    title = forms.CharField(label=_("标题"), max_length=TITLE_LENGTH)
    kind = forms.ChoiceField(label=_("类型"), choices=AssetKind.choices)
    venue = forms.ModelChoiceField(label=_("所属场馆"), queryset=None, to_field_name="code")
    visibility = forms.ChoiceField(
        label=_("可见范围"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        if venues.count() == 1:
            self.fields["venue"].initial = venues.first().code


def upload_config():
    """What upload.js needs to help before the server answers: extensions and limits."""
    return {
        "apiUrl": reverse("api-v1:create_upload"),
        "kinds": {
            str(kind): {
                "extensions": sorted(ALLOWED[kind]),
                "limit": upload_limit(kind),
                "limitText": filesizeformat(upload_limit(kind)),
            }
            for kind in AssetKind
        },
    }


@require_admin_access
def upload_page(request):
    venues = uploads.upload_venues(request.user)
    if not venues.exists():
        raise PermissionDenied
    unfinished = (
        UploadSession.objects.filter(
            user=request.user, status=UploadStatus.UPLOADING, venue__in=venues
        )
        .select_related("venue")
        .annotate(received=Sum("parts__size", filter=Q(parts__stored_at__isnull=False)))
        .order_by("-updated_at")[:20]
    )
    return TemplateResponse(
        request,
        "media_pipeline/upload.html",
        {
            "form": UploadForm(venues=venues),
            "config": upload_config(),
            "usages": [(venue, quota.usage(venue)) for venue in venues],
            "unfinished": unfinished,
        },
    )


def usage_text(quota_row):
    usage = quota.usage(quota_row.venue)
    return _("%(used)s（%(percent)s%%）") % {
        "used": filesizeformat(usage.used),
        "percent": usage.percent,
    }


class StorageQuotaViewSet(ModelViewSet):
    """Hub administrators only (Django model permissions, which venue groups do not have)."""

    model = StorageQuota
    icon = "folder-open-inverse"
    menu_label = _("存储配额")
    add_to_settings_menu = True
    copy_view_enabled = False  # one quota per venue
    form_fields = ["venue", "limit_gb"]
    list_display = ["venue", "limit_gb", Column("usage", label=_("已使用"), accessor=usage_text)]
    search_fields = ["venue__name", "venue__code"]
    search_backend_name = None
