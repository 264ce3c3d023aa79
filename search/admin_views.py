"""The hub's search settings in the admin: the dictionary, synonyms, zero-result queries and
index updates still owed. Wagtail's model permissions decide who may edit (superusers, or a
group given search.* permissions); venue editors see none of it."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from .models import DictionaryWord, PendingUpdate, SynonymGroup, ZeroResultQuery


class _ManagersOnly:
    """Wagtail's snippet choosers check no permission at all, so any venue editor could list
    the dictionary, the zero-result queries residents typed and the pending updates (found by
    tests/permission_matrix). Nothing chooses these models: their choosers are the managers'."""

    def dispatch(self, request, *args, **kwargs):
        policy = ModelPermissionPolicy(self.model_class)
        if not policy.user_has_any_permission(request.user, ["add", "change", "delete", "view"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ManagersOnlyChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = type("ChooseView", (_ManagersOnly, snippet_chooser.ChooseView), {})
    choose_results_view_class = type(
        "ChooseResultsView", (_ManagersOnly, snippet_chooser.ChooseResultsView), {}
    )
    chosen_view_class = type("ChosenView", (_ManagersOnly, snippet_chooser.SnippetChosenView), {})
    chosen_multiple_view_class = type(
        "ChosenMultipleView", (_ManagersOnly, snippet_chooser.SnippetChosenMultipleView), {}
    )
    create_view_class = type("CreateView", (_ManagersOnly, snippet_chooser.SnippetCreateView), {})


class SearchSnippetViewSet(snippet_views.SnippetViewSet):
    chooser_viewset_class = ManagersOnlyChooserViewSet


class DictionaryWordViewSet(SearchSnippetViewSet):
    model = DictionaryWord
    icon = "doc-full"
    list_display = ["word", "frequency", "created_at"]
    search_fields = ["word"]
    search_backend_name = None
    panels = [FieldRowPanel([FieldPanel("word"), FieldPanel("frequency")])]


class SynonymGroupViewSet(SearchSnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    list_display = ["__str__"]
    search_fields = ["terms"]
    search_backend_name = None
    panels = [FieldPanel("terms")]


class ZeroResultQueryViewSet(SearchSnippetViewSet):
    model = ZeroResultQuery
    icon = "warning"
    list_display = ["query", "count", "first_seen", "last_seen"]
    search_fields = ["query"]
    search_backend_name = None
    list_export = ["query", "count", "first_seen", "last_seen"]
    panels = [FieldPanel("query", read_only=True), FieldPanel("count", read_only=True)]


class PendingUpdateViewSet(SearchSnippetViewSet):
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
