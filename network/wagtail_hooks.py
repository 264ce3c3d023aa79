from wagtail import hooks

from .views import VenueViewSet


@hooks.register("register_admin_viewset")
def register_venue_viewset():
    return VenueViewSet("venues")
