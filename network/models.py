from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from . import rules
from .forms import VenueForm
from .plan import (
    COUNTY_SUFFIXES,
    LEVEL_RULES,
    PLAQUE_SUFFIX,
    PUBLIC_STATUSES,
    Level,
    OperatorType,
    Status,
    Weekday,
)

venue_code_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("代码只能包含小写英文字母、数字和连字符，例如 liling-main。"),
)


class VenueQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=PUBLIC_STATUSES)


class Venue(ClusterableModel):
    """A node of the venue network: the hub, a main centre, a branch or a service point."""

    code = models.CharField(
        _("代码"),
        max_length=50,
        unique=True,
        validators=[venue_code_validator],
        help_text=_("稳定的英文短代码，用于导入、接口和网址，例如 liling-main。"),
    )
    name = models.CharField(
        _("名称"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("留空则按命名规则由上级名称和地名生成。"),
    )
    place_name = models.CharField(
        _("地名"),
        max_length=60,
        blank=True,
        help_text=_("命名规则中的“XX”部分，如“浦口”。留空则从名称中取出。"),
    )
    alias = models.CharField(
        _("对外挂牌名"),
        max_length=120,
        blank=True,
        help_text=_("中心馆对外统一使用的名称（如“株洲市文化馆”），用于生成总馆加挂的标牌名。"),
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级场馆"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    operator_type = models.CharField(
        _("举办主体"),
        max_length=20,
        choices=OperatorType.choices,
        default=OperatorType.GOVERNMENT,
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.OPERATING
    )
    district = models.CharField(_("区县"), max_length=30)
    township = models.CharField(_("乡镇/街道"), max_length=60, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    floor_area = models.DecimalField(
        _("面积（㎡）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), _("面积不能为负数。"))],
    )
    staff_count = models.PositiveIntegerField(_("专职人员数"), default=0)
    has_training_room = models.BooleanField(_("有培训教室"), default=False)
    has_functional_rooms = models.BooleanField(_("功能用房齐备"), default=False)
    population_served = models.PositiveIntegerField(_("服务人口"), null=True, blank=True)
    service_radius_km = models.DecimalField(
        _("服务半径（公里）"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), _("服务半径不能为负数。"))],
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    description = models.TextField(_("简介"), blank=True)
    opened_on = models.DateField(
        _("挂牌日期"), null=True, blank=True, help_text=_("加入总分馆体系（挂牌）的日期。")
    )

    # Provisioned with the venue (portal.provisioning): its media collection and editor groups.
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("图片/文档集合"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="venue",
    )
    editors_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="edited_venue",
    )
    moderators_group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="moderated_venue",
    )

    objects = VenueQuerySet.as_manager()
    base_form_class = VenueForm

    class Meta:
        verbose_name = _("场馆")
        verbose_name_plural = _("场馆")
        ordering = ["district", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level"],
                condition=models.Q(level=Level.HUB),
                name="network_single_hub",
                violation_error_message=_("全市只能有一个中心馆。"),
            ),
            models.CheckConstraint(
                condition=models.Q(floor_area__gte=0) | models.Q(floor_area__isnull=True),
                name="network_floor_area_not_negative",
                violation_error_message=_("面积不能为负数。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(level=Level.HUB) | models.Q(parent__isnull=True),
                name="network_hub_has_no_parent",
                violation_error_message=_("中心馆不能有上级场馆。"),
            ),
        ]

    def __str__(self):
        return self.name or self.code

    # --- the tree -----------------------------------------------------------------------

    def ancestors(self):
        """Ancestors from the parent up to the hub. Stops on a cycle rather than looping."""
        seen, node = [], self.parent
        while node is not None and node.pk not in {a.pk for a in seen}:
            seen.append(node)
            node = node.parent
        return seen

    def descendants(self):
        found, frontier = [], [self]
        while frontier:
            children = list(Venue.objects.filter(parent__in=frontier))
            found.extend(children)
            frontier = children
        return found

    @property
    def governing_venue(self):
        """The nearest venue (itself included) whose moderators publish this venue's pages."""
        node = self
        while node is not None and not LEVEL_RULES[node.level].governs:
            node = node.parent
        return node

    @cached_property
    def hub(self):
        chain = [self, *self.ancestors()]
        return next((v for v in chain if v.level == Level.HUB), None)

    # --- names --------------------------------------------------------------------------

    @property
    def plaque_names(self):
        """Every name on the venue's plaques: its own, and for a main centre the hub's branch plaque."""
        names = [self.name]
        hub = self.parent if self.level == Level.MAIN else None
        if hub is not None and self.place_name:
            names.append(f"{hub.alias or hub.name}{self.place_name}{PLAQUE_SUFFIX}")
        return names

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_naming()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._remember_naming()

    def _remember_naming(self):
        self._stored_naming = (
            self.__dict__.get("name", ""),
            self.__dict__.get("place_name", ""),
            self.__dict__.get("parent_id"),
        )

    def _standard_place(self, name):
        """The place name (XX) in `name` under the current parent, or None if non-standard."""
        parent_name = self.parent.name if self.parent_id else ""
        place = rules.place_from_name(self.level, parent_name, name)
        if place and self.level == Level.MAIN:
            # 醴陵市文化馆 → 醴陵 for the plaque 株洲市文化馆醴陵分馆; a one-character place keeps
            # its 县/市/区 (攸县文化馆 → 攸县).
            for suffix in COUNTY_SUFFIXES:
                place = place.removesuffix(suffix) if len(place) > 2 else place
        return place

    def _settle_name(self):
        """Fill the name or the place name from the other, following the plan's naming rule.

        On an edit the two are kept in step: a new name gives a new place name, and a venue
        that is moved or given a new place name keeps a standard name (as on a parent rename).
        """
        rule = LEVEL_RULES.get(self.level)
        if rule is None or self.level == Level.HUB:
            return
        old_name, old_place, old_parent_id = getattr(self, "_stored_naming", ("", "", None))
        if old_name and self.name == old_name and rule.inherits_parent_name and self.place_name:
            if self.parent_id != old_parent_id or self.place_name != old_place:
                self.name = ""
        elif old_name and self.name != old_name and self.place_name == old_place:
            self.place_name = self._standard_place(self.name) or self.place_name
        if not self.name and self.place_name:
            parent_name = self.parent.name if self.parent_id else ""
            self.name = rules.expected_name(self.level, parent_name, self.place_name)
        elif self.name and not self.place_name:
            self.place_name = self._standard_place(self.name) or ""

    # --- opening hours ------------------------------------------------------------------

    def weekly_hours(self):
        """(total open hours, free or low-cost hours) of the declared weekly timetable."""
        total = free = Decimal(0)
        for slot in self.opening_hours.all():
            hours = slot.hours
            total += hours
            if slot.is_free:
                free += hours
        return total, free

    # --- validation ---------------------------------------------------------------------

    def clean(self):
        super().clean()
        self._settle_name()
        errors = {}
        if self.level not in LEVEL_RULES:
            return
        parent = self.parent if self.parent_id else None
        ancestor_pks = {a.pk for a in parent.ancestors()} if parent else set()
        hierarchy = rules.hierarchy_errors(
            self.level, parent, self.operator_type, ancestor_pks, self.pk
        )
        if self.pk:
            child_levels = list(self.children.values_list("level", flat=True))
            hierarchy += rules.child_level_errors(self.level, child_levels)
        if hierarchy:
            errors["parent"] = hierarchy
        if not self.name:
            errors["name"] = [_("请填写名称，或填写地名以按规则生成名称。")]
        elif not hierarchy:
            naming = rules.naming_errors(self.level, parent.name if parent else "", self.name)
            if naming:
                errors["name"] = naming
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The venue, its renamed descendants and everything provisioned for it
        # (portal.provisioning listens to post_save) commit together or not at all.
        self._settle_name()
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._rename_children()
        self._remember_naming()

    def _rename_children(self):
        """Branches and points carry their parent's name; main centres do not."""
        for child in self.children.all():
            if not child.place_name or not LEVEL_RULES[child.level].inherits_parent_name:
                continue
            wanted = rules.expected_name(child.level, self.name, child.place_name)
            if child.name != wanted:
                child.name = wanted
                child.save()


class OpeningHours(Orderable):
    venue = ParentalKey(Venue, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=Weekday.choices)
    opens = models.TimeField(_("开放"))
    closes = models.TimeField(_("闭馆"), help_text=_("00:00 表示开放到午夜。"))
    closes_next_day = models.BooleanField(
        _("次日闭馆"), default=False, help_text=_("跨午夜开放，如 20:00 开馆、次日 02:00 闭馆。")
    )
    is_free = models.BooleanField(_("免费/低收费"), default=True)

    class Meta(Orderable.Meta):
        verbose_name = _("开放时间")
        verbose_name_plural = _("开放时间")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(closes_next_day=False)
                    & (models.Q(closes__gt=models.F("opens")) | models.Q(closes="00:00"))
                )
                | models.Q(closes_next_day=True, closes__lte=models.F("opens")),
                name="network_opening_closes_after_opens",
                violation_error_message=_("闭馆时间必须晚于开馆时间。"),
            ),
        ]

    def __str__(self):
        span = rules._span(self.opens, self.closes, self.closes_next_day)
        return f"{self.get_weekday_display()} {span}"

    @property
    def hours(self):
        return rules.slot_hours(self.opens, self.closes, self.closes_next_day)

    def clean(self):
        super().clean()
        if self.opens is not None and self.closes is not None:
            slot = (self.weekday, self.opens, self.closes, self.closes_next_day)
            errors = rules.opening_hours_errors([slot])
            if errors:
                raise ValidationError({"closes": errors})


# Models kept in their own modules, imported here so Django registers them with the app.
from .admission import AdmissionEvent, Application, InspectionPhoto  # noqa: E402,F401
from .evaluation.models import (  # noqa: E402,F401
    Evaluation,
    Indicator,
    IndicatorResult,
    IndicatorSystem,
    ManualScore,
    VenueResult,
)
from .hub_settings import NetworkSettings  # noqa: E402,F401
from .opening import ActualOpening, HoursException  # noqa: E402,F401
from .population import PopulationCell, Township  # noqa: E402,F401
