"""The hub's search settings in the admin: the dictionary, synonyms, zero-result queries and
index updates still owed. Wagtail's model permissions decide who may edit (superusers, or a
group given search.* permissions); venue editors see none of it."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.views import snippets as snippet_views

from .models import DictionaryWord, PendingUpdate, SynonymGroup, ZeroResultQuery


class DictionaryWordViewSet(snippet_views.SnippetViewSet):
    model = DictionaryWord
    icon = "doc-full"
    list_display = ["word", "frequency", "created_at"]
    search_fields = ["word"]
    search_backend_name = None
    panels = [FieldRowPanel([FieldPanel("word"), FieldPanel("frequency")])]


class SynonymGroupViewSet(snippet_views.SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    list_display = ["__str__"]
    search_fields = ["terms"]
    search_backend_name = None
    panels = [FieldPanel("terms")]


class ZeroResultQueryViewSet(snippet_views.SnippetViewSet):
    model = ZeroResultQuery
    icon = "warning"
    list_display = ["query", "count", "first_seen", "last_seen"]
    search_fields = ["query"]
    search_backend_name = None
    list_export = ["query", "count", "first_seen", "last_seen"]
    panels = [FieldPanel("query", read_only=True), FieldPanel("count", read_only=True)]


class PendingUpdateViewSet(snippet_views.SnippetViewSet):
    model = PendingUpdate
    icon = "time"
    menu_label = _("待更新索引")
    list_display = ["content_type", "object_id", "attempts", "queued_at", "last_error"]
    search_backend_name = None
    panels = [FieldPanel("last_error", read_only=True)]


class SearchSettingsGroup(snippet_views.SnippetViewSetGroup):
    menu_label = _("搜索")
    menu_icon = "search"
    menu_order = 320
    items = (
        DictionaryWordViewSet,
        SynonymGroupViewSet,
        ZeroResultQueryViewSet,
        PendingUpdateViewSet,
    )
