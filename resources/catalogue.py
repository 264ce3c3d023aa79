"""The public catalogue: one registry of the entry kinds residents browse, with their filters."""

from dataclasses import dataclass

import django_filters
from django.utils.translation import gettext_lazy as _

from network.models import Venue
from network.plan import Audience, FeeType

from .models import ArtForm, Course, HeritageItem, MediaAsset, Programme, Teacher
from .vocab import AssetKind, CourseStatus, HeritageLevel, ProgrammeKind


def _districts():
    values = Venue.objects.public().order_by("district").values_list("district", flat=True)
    return [(d, d) for d in dict.fromkeys(values)]


class CatalogueFilter(django_filters.FilterSet):
    """Filters every kind shares: the owner venue and its district."""

    venue = django_filters.ModelChoiceFilter(
        field_name="owner",
        label=_("场馆"),
        queryset=Venue.objects.public(),
        to_field_name="code",
        empty_label=_("全部场馆"),
    )
    district = django_filters.ChoiceFilter(
        field_name="owner__district", label=_("区县"), choices=_districts, empty_label=_("全部区县")
    )


def art_form_filter(field_name):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        label=_("艺术门类"),
        queryset=ArtForm.objects.all(),
        to_field_name="name",
        empty_label=_("全部门类"),
    )


class TeacherFilter(CatalogueFilter):
    art_form = art_form_filter("art_forms")

    class Meta:
        model = Teacher
        fields = []


class CourseFilter(CatalogueFilter):
    art_form = art_form_filter("art_form")
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, label=_("适合人群"), empty_label=_("全部人群")
    )
    fee = django_filters.ChoiceFilter(
        field_name="fee_type", choices=FeeType.choices, label=_("收费"), empty_label=_("不限")
    )

    class Meta:
        model = Course
        fields = []


class ProgrammeFilter(CatalogueFilter):
    art_form = art_form_filter("art_form")
    kind = django_filters.ChoiceFilter(
        choices=ProgrammeKind.choices, label=_("类型"), empty_label=_("全部类型")
    )

    class Meta:
        model = Programme
        fields = []


class AssetFilter(CatalogueFilter):
    art_form = art_form_filter("art_form")
    kind = django_filters.ChoiceFilter(
        choices=AssetKind.choices, label=_("类型"), empty_label=_("全部类型")
    )

    class Meta:
        model = MediaAsset
        fields = []


class HeritageFilter(CatalogueFilter):
    level = django_filters.ChoiceFilter(
        choices=HeritageLevel.choices, label=_("级别"), empty_label=_("全部级别")
    )

    class Meta:
        model = HeritageItem
        fields = []


@dataclass(frozen=True)
class Kind:
    slug: str
    label: str
    model: type
    filterset: type
    related: tuple = ()

    def queryset(self, user):
        queryset = self.model.objects.visible_to(user).select_related("owner", *self.related)
        if self.model is Course:
            queryset = queryset.exclude(status=CourseStatus.DRAFT)
        return queryset


KINDS = {
    kind.slug: kind
    for kind in (
        Kind("courses", _("课程"), Course, CourseFilter, ("art_form",)),
        Kind("teachers", _("师资"), Teacher, TeacherFilter),
        Kind("programmes", _("节目"), Programme, ProgrammeFilter, ("art_form",)),
        Kind("assets", _("数字资源"), MediaAsset, AssetFilter, ("art_form",)),
        Kind("heritage", _("非遗"), HeritageItem, HeritageFilter),
    )
}


def contributions(venue, limit=5):
    """What a venue contributes to the public catalogue: [(kind, count, latest entries)]."""
    summary = []
    for kind in KINDS.values():
        entries = kind.model.objects.public().filter(owner=venue)
        if kind.model is Course:
            entries = entries.exclude(status=CourseStatus.DRAFT)
        count = entries.count()
        if count:
            summary.append((kind, count, list(entries.order_by("-updated_at")[:limit])))
    return summary
