"""Grids, teams, activities and shifts in the Wagtail admin: ModelViewSets scoped by venue.

Wagtail's generic views check permissions per model only, so every view that loads one row
checks it against the row's policy (volunteers.permissions): a row outside the user's venues
is a 404; listings start from the rows the user may see; the venue and activity choices of the
forms are the user's own."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.views.generic import models as generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from network.models import Venue

from .grids import grid_for_point
from .models import Activity, Grid, Shift, ShiftSignup, Team
from .permissions import activities_for, managed_venue_ids
from .signups import places_check


def _policy(model):
    return policy_registry.get_by_type(model)


class ScopedObjectMixin:
    """Load the row, then 404 unless the user may `scope_action` it."""

    scope_action = "change"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = _policy(type(obj))
        if not policy.user_has_permission_for_instance(self.request.user, "view", obj):
            raise Http404
        if not policy.user_has_permission_for_instance(self.request.user, self.scope_action, obj):
            raise PermissionDenied
        return obj


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return _policy(self.model).instances_user_has_any_permission_for(
            self.request.user, ["view"]
        )

    def _may(self, instance, action):
        return _policy(self.model).user_has_permission_for_instance(
            self.request.user, action, instance
        )

    def get_edit_url(self, instance):
        if self._may(instance, "change"):
            return super().get_edit_url(instance)

    def get_delete_url(self, instance):
        if self._may(instance, "delete"):
            return super().get_delete_url(instance)


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    pass


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    """Refuses, with the reason, to delete a row that volunteers' records hang on."""

    scope_action = "delete"

    def get_object(self, *args, **kwargs):
        if getattr(self, "object", None):
            return self.object
        return super().get_object(*args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        reason = deletion_refusal(self.object)
        if reason:
            messages.error(request, reason)
            return redirect(self.index_url_name)
        return super().dispatch(request, *args, **kwargs)


def deletion_refusal(obj):
    if isinstance(obj, Grid) and (obj.volunteers.exists() or obj.activities.exists()):
        return _("网格“%(grid)s”下还有志愿者或活动，不能删除。") % {"grid": obj}
    if isinstance(obj, Activity) and ShiftSignup.objects.filter(shift__activity=obj).exists():
        return _("“%(activity)s”已有志愿者报名，不能删除；不再招募请取消发布。") % {"activity": obj}
    if isinstance(obj, Shift) and obj.signups.exists():
        return _("该班次已有志愿者报名，不能删除。")
    return ""


class ScopedInspectView(ScopedObjectMixin, generic.InspectView):
    scope_action = "view"


class ScopedHistoryView(ScopedObjectMixin, HistoryView):
    scope_action = "change"


class ScopedUsageView(ScopedObjectMixin, UsageView):
    scope_action = "view"


class ScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False


# --- forms: the user's venues and activities ----------------------------------------------------


def _own_venues(user):
    venues = managed_venue_ids(user)
    return Venue.objects.all() if venues is None else Venue.objects.filter(pk__in=venues)


class VenueOwnedForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "venue" in self.fields and self.for_user is not None:
            self.fields["venue"].queryset = _own_venues(self.for_user)


class ActivityForm(VenueOwnedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].required = False
        self.fields["grid"].help_text = _("留空则按下面的经纬度自动确定网格。")

    def clean(self):
        cleaned = super().clean()
        grid = cleaned.get("grid")
        lng, lat = cleaned.get("longitude"), cleaned.get("latitude")
        if (lng is None) != (lat is None):
            raise ValidationError(_("经度和纬度要么都填，要么都不填。"))
        if grid is None and lng is None:
            self.add_error("grid", _("请选择网格，或填写活动地点的经纬度以自动确定网格。"))
        elif grid is None:
            found = grid_for_point(lng, lat)
            if found is None:
                self.add_error("grid", _("该经纬度不在任何网格内，请直接选择网格。"))
            else:
                cleaned["grid"] = self.instance.grid = found
        elif lng is not None and not grid.contains(lng, lat):
            self.add_error(
                "grid", _("活动地点（经纬度）不在所选网格“%(grid)s”内。") % {"grid": grid}
            )
        return cleaned


class ShiftForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["activity"].queryset = activities_for(self.for_user)

    def clean(self):
        cleaned = super().clean()
        try:
            places_check(self.instance, cleaned.get("places"))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


# --- the viewsets -----------------------------------------------------------------------------


class GridViewSet(ScopedViewSet):
    model = Grid
    icon = "site"
    menu_label = gettext_lazy("网格")
    name = "volunteer_grids"
    url_prefix = "volunteers/grids"
    list_display = ["name", "kind", "venue", "shape_label"]
    list_filter = ["kind", "venue"]
    search_fields = ["name"]
    search_backend_name = None
    inspect_view_enabled = True
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind"), FieldPanel("venue")]),
        FieldPanel("polygon"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("center_longitude"),
                        FieldPanel("center_latitude"),
                        FieldPanel("radius_m"),
                    ]
                )
            ],
            heading=gettext_lazy("或：中心点和半径"),
        ),
        FieldPanel("description"),
    ]


class TeamViewSet(ScopedViewSet):
    model = Team
    icon = "group"
    menu_label = gettext_lazy("志愿者团队")
    name = "volunteer_teams"
    url_prefix = "volunteers/teams"
    list_display = ["name", "venue", "showcase", "created_at"]
    list_filter = ["venue"]
    search_fields = ["name"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("venue"),
            FieldPanel("name"),
            FieldPanel("description"),
            FieldPanel("showcase"),
        ],
        base_form_class=VenueOwnedForm,
    )


class ActivityViewSet(ScopedViewSet):
    model = Activity
    icon = "date"
    menu_label = gettext_lazy("志愿服务活动")
    name = "volunteer_activities"
    url_prefix = "volunteers/activities"
    list_display = ["title", "venue", "grid", "published", "created_at"]
    list_filter = ["venue", "grid", "published"]
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("venue"), FieldPanel("grid")]),
            FieldPanel("location"),
            FieldRowPanel([FieldPanel("longitude"), FieldPanel("latitude")]),
            FieldPanel("description"),
            FieldPanel("published"),
        ],
        base_form_class=ActivityForm,
    )


class ShiftFilterSet(WagtailFilterSet):
    # The default choices list every venue's activities, unpublished titles included (found
    # by tests/permission_matrix): offer the user's own.
    activity = django_filters.ModelChoiceFilter(
        label=gettext_lazy("活动"), queryset=lambda request: activities_for(request.user)
    )

    class Meta:
        model = Shift
        fields = ["activity"]


class ShiftViewSet(ScopedViewSet):
    model = Shift
    icon = "time"
    menu_label = gettext_lazy("班次")
    name = "volunteer_shifts"
    url_prefix = "volunteers/shifts"
    list_display = ["activity", "role", "starts_at", "ends_at", "places", "taken"]
    filterset_class = ShiftFilterSet
    search_fields = ["role", "activity__title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("activity"),
            FieldPanel("role"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("places"),
        ],
        base_form_class=ShiftForm,
    )
