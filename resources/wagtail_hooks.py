"""Wagtail registrations of the resources app.

The permission policies are registered first, at import: Wagtail creates a fallback
ModelPermissionPolicy for a model the first time anything asks for its policy, and a custom
policy registered after that is refused.
"""

from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from . import loan_hooks  # noqa: F401  (borrowing: its own hooks module)
from .admin_views import CATALOGUE_MODELS, CatalogueDeleteBulkAction, CatalogueGroup
from .permissions import CataloguePermissionPolicy

for _model in CATALOGUE_MODELS:
    # exact_class: each concrete model has its own policy (and its own queryset).
    register_permission_policy(_model, CataloguePermissionPolicy(_model), exact_class=True)

register_snippet(CatalogueGroup)
from . import order_hooks  # noqa: E402, F401  (ordering from the menu: its own hooks module)

# order=1: after wagtail.snippets registers its DeleteBulkAction for every snippet model, so
# this one replaces it for the catalogue models (the registry keeps the last per action).
hooks.register("register_bulk_action", CatalogueDeleteBulkAction, order=1)
from . import import_hooks  # noqa: E402, F401  (catalogue import: admin URL and menu item)
