"""Admin URL and menu item of the catalogue import (imported from resources/wagtail_hooks.py)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .import_views import import_venues_for, import_view


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("catalogue/import/", import_view, name="resources_import")]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_venues_for(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("批量导入"),
        reverse("resources_import"),
        icon_name="upload",
        name="catalogue-import",
        order=290,
    )
