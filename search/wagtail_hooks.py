from wagtail.snippets.models import register_snippet

from .admin_views import SearchSettingsGroup

register_snippet(SearchSettingsGroup)
