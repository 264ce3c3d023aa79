from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = _("共建共享资源")

    def ready(self):
        from wagtail.models import ReferenceIndex

        from .loans import Loan
        from .storage import connect_signals
        from .uploads import apply_pillow_limit

        # Loans protect the items they refer to; indexed, Wagtail's delete views say so
        # ("cannot be deleted, it is used by …") instead of failing on the ProtectedError.
        ReferenceIndex.register_model(Loan)

        from .search_sources import register_sources

        register_sources()  # before the search app connects its signals (it comes later)
        connect_signals()  # a deleted asset's file is deleted after commit
        apply_pillow_limit()  # Pillow's pixel limit from settings, renditions included
