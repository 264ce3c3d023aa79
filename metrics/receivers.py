"""Events other apps already send: asset plays and downloads (resources.serving.asset_served),
and the flush points of the buffer."""

from django.core.signals import request_finished
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, post_page_move

from .buffer import flush_if_full
from .events import ASSET_DOWNLOAD, ASSET_PLAY
from .pages import forget_venue_paths
from .services import record

ASSET_ACTIONS = {"play": ASSET_PLAY, "download": ASSET_DOWNLOAD}


def asset_served_received(sender, instance, request, action, venue_id, at, session, **kwargs):
    event_type = ASSET_ACTIONS.get(action)
    if event_type is not None:
        record(
            event_type,
            request=request,
            venue=venue_id,
            visitor=session,
            object_key=f"asset:{instance.pk}",
            at=at,
        )


def connect():
    from portal.models import VenuePage
    from resources.serving import asset_served

    asset_served.connect(asset_served_received, dispatch_uid="metrics_asset_served")
    request_finished.connect(flush_if_full, dispatch_uid="metrics_flush_if_full")
    for signal in (post_save, post_delete, page_published):
        signal.connect(forget_venue_paths, sender=VenuePage, dispatch_uid="metrics_venue_paths")
    post_page_move.connect(forget_venue_paths, dispatch_uid="metrics_venue_paths_move")
