"""Residents in the Wagtail admin: the list (居民) and the front desk (居民登记).

Who may do what (ResidentPermissionPolicy):
* hub administrators (superusers): everything, over every resident; deleting goes through
  accounts.delete_account, like a resident deleting their own account;
* venue staff (a venue's editor or moderator group): list, inspect and export the residents of
  accounts.residents_visible_to, and register residents at the front desk for their venues.
Phone and ID numbers are masked in the list, the export and the inspect view, for everyone.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import DeleteView, HistoryView, IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from network.models import Venue
from resources.permissions import is_hub_admin, user_venue_ids

from .account_forms import FrontDeskForm
from .accounts import (
    AccountError,
    delete_account,
    desk_venues_for,
    register_at_desk,
    residents_visible_to,
)
from .models import Resident

STAFF_ACTIONS = frozenset({"view", "add"})


class ResidentPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if is_hub_admin(user):
            return True
        return action in STAFF_ACTIONS and bool(user_venue_ids(user))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if not set(actions) & STAFF_ACTIONS:
            return users.filter(is_superuser=True)
        venues = Venue.objects.order_by()
        return users.filter(
            Q(is_superuser=True)
            | Q(groups__in=venues.values("editors_group"))
            | Q(groups__in=venues.values("moderators_group"))
        ).distinct()

    def user_has_permission_for_instance(self, user, action, instance):
        if is_hub_admin(user):
            return True
        return action == "view" and residents_visible_to(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if is_hub_admin(user):
            return Resident.objects.all()
        if "view" in actions:
            return residents_visible_to(user)
        return Resident.objects.none()

    def users_with_any_permission_for_instance(self, actions, instance):
        # Who exactly sees a resident depends on their enrolments; the superset is good enough
        # for what Wagtail uses this for (notifications), and residents are never notified.
        return self.users_with_any_permission(actions)


def _policy():
    return policy_registry.get_by_type(Resident)


class ResidentIndexView(IndexView):
    add_item_label = _("居民登记")

    def get_base_queryset(self):
        return residents_visible_to(self.request.user).select_related("registered_at_venue")


class ResidentInspectView(InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(residents_visible_to(self.request.user), pk=self.pk)

    def get_phone_display_value(self):
        return self.object.masked_phone

    def get_id_number_display_value(self):
        return self.object.masked_id_number or "-"


class ResidentHistoryView(HistoryView):
    # Wagtail checks add/change/delete model-wide only, and venue staff hold "add" (the front
    # desk): without this they read any resident's history, name included (found by
    # tests/permission_matrix).
    def get_object(self):
        return get_object_or_404(residents_visible_to(self.request.user), pk=self.pk)


class ResidentDeleteView(DeleteView):
    def delete_action(self):
        delete_account(self.object, by=self.request.user)


class FrontDeskView(WagtailAdminTemplateMixin, FormView):
    """居民登记: staff create an account for a resident in person (no SMS code). The initial
    password is shown on the answer to the POST, once, and never stored in clear."""

    form_class = FrontDeskForm
    template_name = "training/admin/front_desk.html"
    done_template_name = "training/admin/front_desk_done.html"
    page_title = _("居民登记")
    header_icon = "user"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not _policy().user_has_permission(request.user, "add"):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)  # the answer may carry a password
        return response

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": Resident._meta.verbose_name_plural},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "venues": desk_venues_for(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            submit_button_label=_("登记"),
            submit_button_active_label=_("正在登记…"),
            index_url=reverse(self.index_url_name),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            resident, password = register_at_desk(
                staff=self.request.user,
                venue=data["venue"],
                phone=data["phone"],
                real_name=data["real_name"],
                id_number=data["id_number"],
                birth_date=data["birth_date"],
                with_password=data["with_password"],
            )
        except AccountError as exc:
            form.add_error(exc.field, exc.message)
            return self.form_invalid(form)
        self.template_name = self.done_template_name
        return self.render_to_response(
            self.get_context_data(form=form, resident=resident, password=password)
        )


class ResidentViewSet(ModelViewSet):
    model = Resident
    icon = "group"
    menu_label = _("居民")
    menu_order = 330
    add_to_admin_menu = True
    index_view_class = ResidentIndexView
    inspect_view_class = ResidentInspectView
    history_view_class = ResidentHistoryView
    delete_view_class = ResidentDeleteView
    inspect_view_enabled = True
    copy_view_enabled = False
    # Plain ORM search (icontains): Resident is not in the search index, and a part of a number
    # or a name must match.
    search_fields = ["real_name", "phone"]
    search_backend_name = None
    list_display = [
        "real_name",
        "masked_phone",
        "masked_id_number",
        "birth_date",
        "registered_at_venue",
        "created_at",
    ]
    list_filter = ["registered_at_venue"]
    # masked_*, never the numbers: exports leave the admin.
    list_export = list_display
    export_headings = {"masked_phone": _("手机号"), "masked_id_number": _("身份证号")}
    # Hub administrators may correct a name or birth date; the phone is the login name and the
    # ID number is the resident's to change.
    form_fields = ["real_name", "birth_date"]
    inspect_view_fields = [
        "real_name",
        "phone",
        "id_number",
        "birth_date",
        "phone_verified_at",
        "consented_at",
        "registered_at_venue",
        "registered_by",
        "created_at",
    ]

    @property
    def add_view(self):
        return FrontDeskView.as_view(index_url_name=self.get_url_name("index"))
