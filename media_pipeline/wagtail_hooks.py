"""Wagtail registrations of the media pipeline. Each part adds its own hooks here."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .upload_views import StorageQuotaViewSet, upload_page
from .uploads import upload_venues

# --- chunked uploads and storage quotas ----------------------------------------------------


@hooks.register("register_admin_urls")
def register_upload_url():
    return [path("media/upload/", upload_page, name="media_pipeline_upload")]


class UploadMenuItem(MenuItem):
    def is_shown(self, request):
        return upload_venues(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_upload_menu_item():
    return UploadMenuItem(
        _("上传媒体文件"),
        reverse("media_pipeline_upload"),
        icon_name="upload",
        name="media-upload",
        order=295,
    )


@hooks.register("register_admin_viewset")
def register_quota_viewset():
    return StorageQuotaViewSet("storage_quotas")


# --- collections ---------------------------------------------------------------------------


@hooks.register("describe_collection_contents")
def describe_collection_media(collection):
    """Wagtail refuses to delete a collection that holds something; count our media too, or
    deleting one would silently unfile its assets."""
    from resources.models import MediaAsset

    count = MediaAsset.objects.filter(collection=collection).count()
    if not count:
        return None
    return {
        "count": count,
        "count_text": ngettext("%(count)s 个媒体资源", "%(count)s 个媒体资源", count)
        % {"count": count},
        "url": reverse("wagtailsnippets_resources_mediaasset:list")
        + f"?collection={collection.pk}",
    }
