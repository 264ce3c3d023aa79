from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .admin_search import AdminSearchView
from .admin_views import SearchSettingsGroup

register_snippet(SearchSettingsGroup)


@hooks.register("register_admin_urls")
def register_admin_search_url():
    return [path("network-search/", AdminSearchView.as_view(), name="network_search")]


@hooks.register("register_admin_menu_item")
def register_admin_search_menu_item():
    return MenuItem(_("全网搜索"), reverse("network_search"), icon_name="search", order=150)
