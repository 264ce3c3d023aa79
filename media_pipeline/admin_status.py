"""Processing in the admin's media asset listing: a 处理状态 column (with the percentage, or the
reason of a failure) and the retry of a failed asset. Wired into MediaAssetViewSet
(resources/admin_views.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column
from wagtail.permissions import policy_registry

from resources.models import MediaAsset
from resources.permissions import entry_access

from .models import Status
from .playback import processing_of
from .signals import PROCESSED_KINDS
from .tasks import queue_processing

RETRY_URL_NAME = "retry_processing"


def retry_url(asset):
    viewset = MediaAsset.snippet_viewset
    return reverse(viewset.get_url_name(RETRY_URL_NAME), args=[asset.pk])


class ProcessingColumn(Column):
    """Needs the listing's queryset to select_related("processing")."""

    cell_template_name = "media_pipeline/admin/processing_cell.html"

    def __init__(self, name="processing", **kwargs):
        kwargs.setdefault("label", gettext_lazy("处理状态"))
        super().__init__(name, **kwargs)

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        processing = processing_of(instance)
        context["processing"] = processing
        context["waiting"] = processing is None and instance.kind in PROCESSED_KINDS
        request = context["request"]
        if processing is not None and processing.status == Status.FAILED:
            policy = policy_registry.get_by_type(MediaAsset)
            if policy.user_has_permission_for_instance(request.user, "change", instance):
                context["retry_url"] = retry_url(instance)
                context["csrf_token"] = get_token(request)
        return context


@require_POST
def retry_processing(request, pk):
    """Queue a failed asset again (editors of its venue); back to the page the button was on."""
    asset = get_object_or_404(MediaAsset, pk=pk)
    access = entry_access(request.user, asset, "change")
    if access == "hidden":
        raise Http404
    if access == "forbidden":
        raise PermissionDenied
    processing = processing_of(asset)
    if processing is None or processing.status != Status.FAILED:
        messages.warning(request, _("“%(title)s”没有处理失败，无需重试。") % {"title": asset})
    else:
        queue_processing(asset)
        messages.success(request, _("已将“%(title)s”重新加入处理队列。") % {"title": asset})
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse(MediaAsset.snippet_viewset.get_url_name("list"))
    return redirect(back)
