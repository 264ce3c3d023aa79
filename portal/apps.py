from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("数字文化馆门户")

    def ready(self):
        from network.models import Venue

        post_save.connect(_provision, sender=Venue, dispatch_uid="portal_provision_venue")


def _provision(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture carries the pages and groups itself
        return
    from .provisioning import provision_venue

    provision_venue(instance)
