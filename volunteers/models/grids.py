"""Grid cells (网格): a community, village or street block with the venue responsible for it,
drawn as a polygon or as a point and a radius. Every volunteer and every activity is in one."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import geometry
from ..rules import GRID_KINDS, GRID_MAX_RADIUS_M


class Grid(models.Model):
    name = models.CharField(gettext_lazy("网格名称"), max_length=80, unique=True)
    kind = models.CharField(gettext_lazy("类型"), max_length=20, choices=GRID_KINDS)
    venue = models.ForeignKey(
        "network.Venue",
        verbose_name=gettext_lazy("责任场馆"),
        on_delete=models.PROTECT,
        related_name="volunteer_grids",
    )
    polygon = models.JSONField(
        gettext_lazy("边界（多边形）"),
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "[经度, 纬度] 点的列表，首尾两点相同，例如 [[113.10, 27.80], [113.20, 27.80], "
            "[113.20, 27.90], [113.10, 27.80]]；也可粘贴 GeoJSON 的 Polygon。"
            "不画边界时填写下面的中心点和半径。"
        ),
    )
    center_longitude = models.DecimalField(
        gettext_lazy("中心点经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    center_latitude = models.DecimalField(
        gettext_lazy("中心点纬度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    radius_m = models.PositiveIntegerField(
        gettext_lazy("半径（米）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(GRID_MAX_RADIUS_M)],
    )
    description = models.TextField(gettext_lazy("说明"), blank=True)

    class Meta:
        verbose_name = gettext_lazy("网格")
        verbose_name_plural = gettext_lazy("网格")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(polygon__isnull=False)
                | Q(center_longitude__isnull=False, center_latitude__isnull=False, radius_m__gt=0),
                name="volunteers_grid_has_shape",
                violation_error_message=gettext_lazy("请填写多边形边界，或中心点和半径。"),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        has_circle = any(
            value is not None
            for value in (self.center_longitude, self.center_latitude, self.radius_m)
        )
        if self.polygon in ("", [], {}):
            self.polygon = None
        if self.polygon is not None:
            if has_circle:
                raise ValidationError(
                    _("多边形边界和中心点半径只能二选一，请清空其中一种。"), code="two_shapes"
                )
            try:
                self.polygon = geometry.validate_polygon(self.polygon)
            except ValidationError as error:
                raise ValidationError({"polygon": error.messages}) from None
            return
        if not has_circle:
            raise ValidationError(_("请填写多边形边界，或中心点和半径。"), code="no_shape")
        missing = {
            name: _("用中心点和半径表示网格时，此项必填。")
            for name in ("center_longitude", "center_latitude", "radius_m")
            if getattr(self, name) is None
        }
        if missing:
            raise ValidationError(missing)
        geometry.check_lng_lat(float(self.center_longitude), float(self.center_latitude))

    @property
    def shape_label(self):
        if self.polygon:
            return _("多边形（%(count)s 个点）") % {"count": len(self.polygon) - 1}
        return _("圆形（半径 %(radius)s 米）") % {"radius": self.radius_m}

    def contains(self, longitude, latitude):
        longitude, latitude = float(longitude), float(latitude)
        if self.polygon:
            return geometry.point_in_polygon(longitude, latitude, self.polygon)
        return self.distance_to_center(longitude, latitude) <= self.radius_m

    def distance_to_center(self, longitude, latitude):
        """Metres from the circle's centre (None for a polygon)."""
        if self.center_longitude is None or self.center_latitude is None:
            return None
        return geometry.distance_m(
            float(longitude),
            float(latitude),
            float(Decimal(self.center_longitude)),
            float(Decimal(self.center_latitude)),
        )
