"""What every app's custom admin views share."""

from django.core.exceptions import PermissionDenied
from django.views.defaults import permission_denied


class ForbiddenMixin:
    """Answer PermissionDenied with a real 403. Wagtail's admin wrapper would turn it into a
    redirect to the dashboard, which a crafted request should not get."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as denied:
            return permission_denied(request, denied)
