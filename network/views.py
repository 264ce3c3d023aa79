from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from .compliance import WEEK, assess_venue, week_start
from .models import Venue


class VenueInspectView(InspectView):
    """The venue's page in the admin also shows its opening compliance, this week and last."""

    template_name = "network/venue_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        this_week = week_start(timezone.localdate())
        context["compliance_weeks"] = [
            c
            for c in (assess_venue(self.object, m) for m in (this_week - WEEK, this_week))
            if c is not None
        ]
        return context


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
    inspect_view_class = VenueInspectView
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
        InlinePanel("hours_exceptions", heading=_("节假日开放调整"), label=_("调整")),
        FieldRowPanel([FieldPanel("opened_on")]),
        FieldPanel("description"),
    ]
