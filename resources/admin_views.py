"""The shared catalogue (共建共享) in the Wagtail admin: one SnippetViewSet per model.

Wagtail's generic views check permissions per model only (a user who may change *some* teacher
reaches the edit view of *every* teacher), so every view that loads one entry checks it against
resources.permissions: an entry the user may not even see is a 404, one they may see but not act
on is a 403. Listings, exports, choosers and bulk actions start from the entries the user may see.
"""

import os

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property, classproperty
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from media_pipeline.admin_status import RETRY_URL_NAME, ProcessingColumn, retry_processing
from network.models import Venue

from .forms import CatalogueEntryForm, MediaAssetForm
from .models import ArtForm, Course, HeritageItem, MediaAsset, Programme, Teacher, TeachingAsset
from .permissions import entry_access

CATALOGUE_MODELS = (Teacher, Course, Programme, MediaAsset, TeachingAsset, HeritageItem)


def _policy(model):
    return policy_registry.get_by_type(model)


def _visible(model, user):
    return _policy(model).instances_user_has_permission_for(user, "view")


# --- views that load one entry -------------------------------------------------------------


class EntryCheckMixin:
    entry_action = "change"

    def check_entry(self, obj):
        access = entry_access(self.request.user, obj, self.entry_action)
        if access == "hidden":
            raise Http404
        if access == "forbidden":
            raise PermissionDenied
        return obj


class EditView(EntryCheckMixin, snippet_views.EditView):
    def get_object(self, queryset=None):
        return self.check_entry(super().get_object(queryset))


class DeleteView(EntryCheckMixin, snippet_views.DeleteView):
    entry_action = "delete"

    def get_object(self, queryset=None):
        if getattr(self, "object", None):
            return self.object
        return self.check_entry(super().get_object(queryset))


class InspectView(EntryCheckMixin, snippet_views.InspectView):
    entry_action = "view"

    def get_object(self, queryset=None):
        return self.check_entry(super().get_object(queryset))

    def get_file_display_value(self):
        # The permission-checked download view, not the storage URL.
        link = reverse("resources:asset_file", args=[self.object.pk])
        return format_html('<a href="{}">{}</a>', link, os.path.basename(self.object.file.name))

    def get_phone_display_value(self):
        # The raw number is shown only in the owner's edit form.
        return self.object.masked_phone or "-"


class UsageView(EntryCheckMixin, snippet_views.UsageView):
    # Usage lists the entries that refer to this one, which may be other venues' entries.
    entry_action = "change"

    def get_object(self):
        return self.check_entry(super().get_object())


class HistoryView(EntryCheckMixin, snippet_views.HistoryView):
    # The history names the staff who edited: the owner venue's business.
    entry_action = "change"

    def get_object(self):
        return self.check_entry(super().get_object())


class IndexView(snippet_views.IndexView):
    """Edit/delete links only on the user's own entries; exports readable choice labels."""

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

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for name, value in row.items():
            if isinstance(value, models.Manager):
                row[name] = "、".join(str(related) for related in value.all())
            elif "." not in name:
                display = getattr(item, f"get_{name}_display", None)
                if display is not None:
                    row[name] = display()
        return row


# --- chooser -------------------------------------------------------------------------------


class ChooserSearchForm(BaseFilterForm):
    """The chooser's search as plain icontains on the viewset's search_fields (Wagtail's default
    full-text search matches whole words only, and Chinese has no spaces between words)."""

    q = forms.CharField(
        label=_("搜索"), required=False, widget=forms.TextInput(attrs={"placeholder": _("搜索")})
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = self.cleaned_data.get("q")
        if query:
            condition = Q()
            for name in objects.model.snippet_viewset.search_fields:
                condition |= Q(**{f"{name}__icontains": query})
            objects = objects.filter(condition)
            self.is_searching = True
            self.search_query = query
        return objects


class VisibleChoicesMixin:
    filter_form_class = ChooserSearchForm

    def get_object_list(self):
        return _visible(self.model_class, self.request.user)


class ChooseView(VisibleChoicesMixin, snippet_chooser.ChooseView):
    pass


class ChooseResultsView(VisibleChoicesMixin, snippet_chooser.ChooseResultsView):
    pass


class ChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        # A guessed id of an invisible entry answers like a missing one (Http404).
        return _visible(self.model_class, self.request.user).get(pk=pk)


class ChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return _visible(self.model_class, self.request.user).filter(pk__in=pks)


class CatalogueChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView


# --- bulk delete ---------------------------------------------------------------------------


class CatalogueDeleteBulkAction(DeleteBulkAction):
    """Wagtail's snippet bulk delete, which checks each entry against the policy, but only ever
    loads entries the user may see: the confirmation page lists the ones they may not delete,
    and must not list (or count) another venue's owner-only entries."""

    @classproperty
    def models(cls):
        return list(CATALOGUE_MODELS)

    def get_queryset(self, model, object_ids):
        return get_list_or_404(_visible(model, self.request.user), pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id):
        return _visible(self.model, self.request.user).values_list("pk", flat=True)


# --- filters -------------------------------------------------------------------------------


def district_choices():
    districts = Venue.objects.order_by("district").values_list("district", flat=True).distinct()
    return [(district, district) for district in districts]


def catalogue_filterset(model, fields):
    """A WagtailFilterSet for `fields` (as list_filter) plus the owner venue's district."""

    class Meta:
        pass

    Meta.model = model
    Meta.fields = [name for name in fields if name != "owner__district"]
    attrs = {"Meta": Meta}
    if "owner__district" in fields:
        attrs["owner__district"] = django_filters.ChoiceFilter(
            label=_("区县"), field_name="owner__district", choices=district_choices
        )
    return type(f"{model.__name__}FilterSet", (WagtailFilterSet,), attrs)


# --- viewsets ------------------------------------------------------------------------------

LOAN_RULES_PANEL = MultiFieldPanel(
    [
        FieldPanel("lendable"),
        FieldRowPanel(
            [
                FieldPanel("max_loan_days"),
                FieldPanel("buffer_days_before"),
                FieldPanel("buffer_days_after"),
            ]
        ),
    ],
    heading=_("借用规则"),
)
OWNERSHIP_PANEL = FieldRowPanel([FieldPanel("owner"), FieldPanel("visibility")])
EXPORT_HEADINGS = {"owner.district": _("区县"), "owner": _("所属场馆")}


class CatalogueViewSet(snippet_views.SnippetViewSet):
    """Shared configuration of the six catalogue viewsets."""

    index_view_class = IndexView
    edit_view_class = EditView
    delete_view_class = DeleteView
    inspect_view_class = InspectView
    usage_view_class = UsageView
    history_view_class = HistoryView
    chooser_viewset_class = CatalogueChooserViewSet
    inspect_view_enabled = True
    # A copy would carry another venue's data (a teacher's phone) into a new form.
    copy_view_enabled = False
    # Plain ORM search (icontains): the database search backend's full-text search does not
    # segment Chinese, so “声乐” would not find “少儿声乐班”.
    search_backend_name = None
    base_form_class = CatalogueEntryForm
    list_per_page = 50

    def get_queryset(self, request):
        return _visible(self.model, request.user).select_related("owner")

    @cached_property
    def filterset_class(self):
        return catalogue_filterset(self.model, self.list_filter)

    def get_edit_handler(self):
        return ObjectList(self.panels, base_form_class=self.base_form_class).bind_to_model(
            self.model
        )


class TeacherViewSet(CatalogueViewSet):
    model = Teacher
    icon = "user"
    list_display = ["name", "owner", "owner__district", "masked_phone", "visibility", "lendable"]
    list_filter = ["owner", "owner__district", "art_forms", "visibility", "lendable"]
    search_fields = ["name", "bio", "qualifications", "teaching_levels"]
    # masked_phone, never phone: exports leave the admin.
    list_export = [
        "name",
        "owner",
        "owner.district",
        "art_forms",
        "masked_phone",
        "teaching_levels",
        "availability",
        "qualifications",
        "visibility",
    ]
    export_headings = {**EXPORT_HEADINGS, "art_forms": _("艺术门类"), "masked_phone": _("手机")}
    inspect_view_fields = [
        "name",
        "owner",
        "visibility",
        "art_forms",
        "phone",
        "bio",
        "qualifications",
        "teaching_levels",
        "availability",
        "lendable",
        "max_loan_days",
        "buffer_days_before",
        "buffer_days_after",
    ]
    panels = [
        OWNERSHIP_PANEL,
        FieldRowPanel([FieldPanel("name"), FieldPanel("phone")]),
        FieldPanel("photo"),
        FieldPanel("art_forms", widget=forms.CheckboxSelectMultiple),
        FieldPanel("bio"),
        FieldPanel("qualifications"),
        FieldRowPanel([FieldPanel("teaching_levels"), FieldPanel("availability")]),
        LOAN_RULES_PANEL,
    ]


class CourseViewSet(CatalogueViewSet):
    model = Course
    icon = "clipboard-list"
    list_display = ["title", "owner", "art_form", "level", "start_date", "status", "visibility"]
    list_filter = ["owner", "owner__district", "art_form", "status", "audience", "visibility"]
    search_fields = ["title", "description", "schedule_note"]
    list_export = [
        "title",
        "owner",
        "owner.district",
        "art_form",
        "level",
        "audience",
        "teachers",
        "capacity",
        "fee_type",
        "fee_amount",
        "start_date",
        "end_date",
        "schedule_note",
        "status",
        "visibility",
    ]
    export_headings = {**EXPORT_HEADINGS, "teachers": _("授课教师")}
    inspect_view_fields_exclude = ["id", "created_at"]
    panels = [
        OWNERSHIP_PANEL,
        FieldRowPanel([FieldPanel("title"), FieldPanel("status")]),
        FieldRowPanel(
            [
                FieldPanel("art_form", widget=forms.Select),
                FieldPanel("level"),
                FieldPanel("audience"),
            ]
        ),
        FieldPanel("teachers", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("fee_type"), FieldPanel("fee_amount")]),
        FieldRowPanel(
            [FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("schedule_note")]
        ),
        FieldPanel("description"),
        FieldPanel("cover"),
        InlinePanel("sessions", heading=_("课次"), label=_("课次")),
    ]


class ProgrammeViewSet(CatalogueViewSet):
    model = Programme
    icon = "media"
    list_display = ["title", "owner", "kind", "art_form", "duration_minutes", "visibility"]
    list_filter = ["owner", "owner__district", "art_form", "kind", "visibility", "lendable"]
    search_fields = ["title", "description", "performers"]
    list_export = [
        "title",
        "owner",
        "owner.district",
        "kind",
        "art_form",
        "performers",
        "duration_minutes",
        "needs_stage",
        "power_kw",
        "min_area",
        "requirements",
        "visibility",
    ]
    export_headings = EXPORT_HEADINGS
    inspect_view_fields_exclude = ["id", "created_at"]
    panels = [
        OWNERSHIP_PANEL,
        FieldRowPanel(
            [FieldPanel("title"), FieldPanel("kind"), FieldPanel("art_form", widget=forms.Select)]
        ),
        FieldPanel("performers"),
        FieldRowPanel(
            [
                FieldPanel("duration_minutes"),
                FieldPanel("needs_stage"),
                FieldPanel("power_kw"),
                FieldPanel("min_area"),
            ],
            heading=_("演出要求"),
        ),
        FieldPanel("requirements"),
        FieldPanel("description"),
        FieldPanel("cover"),
        InlinePanel("available_dates", heading=_("可配送日期"), label=_("日期")),
        LOAN_RULES_PANEL,
    ]


class MediaAssetViewSet(CatalogueViewSet):
    model = MediaAsset
    icon = "doc-full"
    base_form_class = MediaAssetForm
    list_display = [
        "title",
        "owner",
        "kind",
        "art_form",
        "visibility",
        ProcessingColumn(),
        "created_at",
    ]
    list_filter = ["owner", "owner__district", "collection", "art_form", "kind", "visibility"]
    search_fields = ["title", "description", "licence"]
    list_export = [
        "title",
        "owner",
        "owner.district",
        "kind",
        "art_form",
        "tags",
        "licence",
        "file_size",
        "content_type",
        "visibility",
        "created_at",
    ]
    export_headings = {**EXPORT_HEADINGS, "tags": _("标签")}
    inspect_view_fields_exclude = ["id", "sha256"]
    panels = [
        OWNERSHIP_PANEL,
        FieldRowPanel(
            [FieldPanel("title"), FieldPanel("kind"), FieldPanel("art_form", widget=forms.Select)]
        ),
        FieldPanel("file"),
        FieldPanel("collection"),
        FieldPanel("renditions_wanted"),  # a form field: video only (media_pipeline.forms)
        FieldPanel("description"),
        FieldPanel("tags"),
        FieldPanel("licence"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("processing")  # 处理状态 column

    def get_urlpatterns(self):
        retry = path("retry/<int:pk>/", retry_processing, name=RETRY_URL_NAME)
        return [*super().get_urlpatterns(), retry]


class TeachingAssetViewSet(CatalogueViewSet):
    model = TeachingAsset
    icon = "folder-open-inverse"
    list_display = ["name", "owner", "kind", "quantity", "is_digital", "lendable", "visibility"]
    list_filter = ["owner", "owner__district", "kind", "is_digital", "lendable", "visibility"]
    search_fields = ["name", "description"]
    list_export = [
        "name",
        "owner",
        "owner.district",
        "kind",
        "quantity",
        "is_digital",
        "lendable",
        "max_loan_days",
        "visibility",
    ]
    export_headings = EXPORT_HEADINGS
    inspect_view_fields_exclude = ["id", "created_at"]
    panels = [
        OWNERSHIP_PANEL,
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("quantity"), FieldPanel("is_digital")]),
        FieldPanel("description"),
        LOAN_RULES_PANEL,
    ]


class HeritageItemViewSet(CatalogueViewSet):
    model = HeritageItem
    icon = "pick"
    list_display = ["name", "owner", "level", "category", "visibility"]
    list_filter = ["owner", "owner__district", "level", "category", "visibility"]
    search_fields = ["name", "description"]
    list_export = [
        "name",
        "owner",
        "owner.district",
        "level",
        "category",
        "inheritors",
        "visibility",
    ]
    export_headings = {**EXPORT_HEADINGS, "inheritors": _("传承人")}
    inspect_view_fields_exclude = ["id", "created_at"]
    panels = [
        OWNERSHIP_PANEL,
        FieldRowPanel([FieldPanel("name"), FieldPanel("level"), FieldPanel("category")]),
        FieldPanel("inheritors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("media", widget=forms.CheckboxSelectMultiple),
        FieldPanel("description"),
    ]


class ArtFormViewSet(snippet_views.SnippetViewSet):
    """The hub's vocabulary: Wagtail's model permissions (superusers, or a group given
    resources.add_artform etc. by hand); venue editors have none, so they only choose from it."""

    model = ArtForm
    icon = "tag"
    list_display = ["name", "sort_order"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("sort_order")])]


class CatalogueGroup(snippet_views.SnippetViewSetGroup):
    menu_label = _("共建共享")
    menu_icon = "folder-inverse"
    menu_order = 300
    items = (
        TeacherViewSet,
        CourseViewSet,
        ProgrammeViewSet,
        MediaAssetViewSet,
        TeachingAssetViewSet,
        HeritageItemViewSet,
        ArtFormViewSet,
    )
