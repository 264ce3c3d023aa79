"""场馆网络设置: what the hub can change without a release (admission thresholds, map tiles)."""

from dataclasses import replace
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .plan import ADMISSION_REQUIREMENTS, Level

_BRANCH = ADMISSION_REQUIREMENTS[Level.BRANCH]
_POINT = ADMISSION_REQUIREMENTS[Level.POINT]


def _area_field(label, default):
    return models.DecimalField(
        label,
        max_digits=8,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal(0), _("面积不能为负数。"))],
    )


@register_setting(icon="site")
class NetworkSettings(BaseGenericSetting):
    branch_min_floor_area = _area_field(_("分馆最低面积（㎡）"), _BRANCH.min_floor_area)
    point_min_floor_area = _area_field(_("服务点最低面积（㎡）"), _POINT.min_floor_area)
    min_dedicated_staff = models.PositiveSmallIntegerField(
        _("最少专门人员（名）"), default=_BRANCH.min_staff, validators=[MinValueValidator(1)]
    )
    map_tile_url = models.CharField(
        _("地图瓦片地址"),
        max_length=300,
        blank=True,
        help_text=_(
            "如 https://tiles.example.com/{z}/{x}/{y}.png。留空则不加载底图，只画区县轮廓和场馆（离线可用）。"
        ),
    )
    map_attribution = models.CharField(_("地图版权说明"), max_length=200, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("branch_min_floor_area"),
                FieldPanel("point_min_floor_area"),
                FieldPanel("min_dedicated_staff"),
            ],
            heading=_("入网申请条件"),
        ),
        MultiFieldPanel(
            [FieldPanel("map_tile_url"), FieldPanel("map_attribution")],
            heading=_("覆盖规划地图"),
        ),
    ]

    class Meta:
        verbose_name = _("场馆网络设置")

    def requirement(self, level):
        """The plan's conditions for `level` with the thresholds set here."""
        area = {Level.BRANCH: self.branch_min_floor_area, Level.POINT: self.point_min_floor_area}
        return replace(
            ADMISSION_REQUIREMENTS[level],
            min_floor_area=Decimal(area[level]),
            min_staff=self.min_dedicated_staff,
        )
