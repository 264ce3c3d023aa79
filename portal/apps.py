from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("数字文化馆门户")

    def ready(self):
        from network.models import Venue

        from .search_sources import connect_search_signals, register_sources

        post_save.connect(_provision, sender=Venue, dispatch_uid="portal_provision_venue")
        register_sources()  # before the search app connects its signals (it comes later)
        connect_search_signals()

        from .page_cache import connect_invalidation  # also registers its before_serve_page hook

        connect_invalidation()


def _provision(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture carries the pages and groups itself
        return
    from .provisioning import provision_venue

    provision_venue(instance)
