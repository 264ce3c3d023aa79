"""Townships and streets (乡镇/街道) with their resident population and centroid, for coverage
planning (network.coverage) and for checking where an applicant is (network.admission)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Township(models.Model):
    district = models.CharField(_("区县"), max_length=30)
    name = models.CharField(_("乡镇/街道"), max_length=60)
    population = models.PositiveIntegerField(_("常住人口"))
    latitude = models.DecimalField(_("中心纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("中心经度"), max_digits=9, decimal_places=6)
    year = models.PositiveSmallIntegerField(_("统计年份"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("乡镇/街道人口")
        verbose_name_plural = _("乡镇/街道人口")
        ordering = ["district", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="network_township_unique",
                violation_error_message=_("同一区县中乡镇/街道不能重名。"),
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="network_township_coordinates",
                violation_error_message=_("经纬度超出范围。"),
            ),
        ]

    def __str__(self):
        return f"{self.district}{self.name}"


class PopulationCell(models.Model):
    """One cell of a population grid (e.g. 1 km cells from WorldPop or a census grid): where a
    district has cells, its covered share is computed from them instead of township centroids."""

    district = models.CharField(_("区县"), max_length=30, db_index=True)
    township = models.ForeignKey(
        Township,
        verbose_name=_("乡镇/街道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cells",
    )
    latitude = models.DecimalField(_("中心纬度"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("中心经度"), max_digits=9, decimal_places=6)
    population = models.PositiveIntegerField(_("人口"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("人口网格单元")
        verbose_name_plural = _("人口网格单元")
        ordering = ["district", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=-90, latitude__lte=90)
                & models.Q(longitude__gte=-180, longitude__lte=180),
                name="network_populationcell_coordinates",
                violation_error_message=_("经纬度超出范围。"),
            ),
        ]

    def __str__(self):
        return f"{self.district} ({self.latitude}, {self.longitude})"
