from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Venue


class VenueViewSet(ModelViewSet):
    """Hub staff manage the network here; creating a venue provisions its page and groups."""

    model = Venue
    icon = "site"
    menu_label = _("场馆")
    add_to_admin_menu = True
    menu_order = 150
    list_display = ["name", "code", "level", "district", "parent", "status"]
    list_filter = ["level", "district", "status", "operator_type"]
    search_fields = ["name", "code", "district", "township", "address"]
    ordering = ["district", "code"]
    inspect_view_enabled = True
    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("level"), FieldPanel("parent")]),
                FieldRowPanel([FieldPanel("place_name"), FieldPanel("name")]),
                FieldRowPanel([FieldPanel("code"), FieldPanel("alias")]),
                FieldRowPanel([FieldPanel("operator_type"), FieldPanel("status")]),
            ],
            heading=_("名称与层级"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("district"), FieldPanel("township")]),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldRowPanel([FieldPanel("population_served"), FieldPanel("service_radius_km")]),
                FieldPanel("phone"),
            ],
            heading=_("位置与服务范围"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("floor_area"), FieldPanel("staff_count")]),
                FieldRowPanel(
                    [FieldPanel("has_training_room"), FieldPanel("has_functional_rooms")]
                ),
            ],
            heading=_("设施"),
        ),
        InlinePanel("opening_hours", heading=_("每周开放时间"), label=_("开放时段")),
        FieldPanel("description"),
    ]
