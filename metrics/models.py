"""Raw usage events (short-lived) and the aggregates the dashboards and the evaluation read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .events import event_type_choices

# District / level value of a rollup row that spans all districts / all levels.
ALL = ""


class Event(models.Model):
    """One usage event, as recorded; removed after METRICS_RAW_RETENTION_DAYS (see aggregate)."""

    at = models.DateTimeField(_("时间"))
    event_type = models.CharField(_("类型"), max_length=30, choices=event_type_choices)
    venue = models.ForeignKey(
        "network.Venue",
        verbose_name=_("场馆"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Who, without saying who: an HMAC of the session (resources.serving.anonymous_session).
    visitor = models.CharField(_("访客"), max_length=64, blank=True)
    # What was used: "page:12", "asset:7", "teacher:3"…; dedup compares it.
    object_key = models.CharField(_("对象"), max_length=64, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)  # e.g. a search's query
    value = models.DecimalField(_("数值"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("使用事件")
        verbose_name_plural = _("使用事件")
        indexes = [models.Index(fields=["at"]), models.Index(fields=["event_type", "at"])]

    def __str__(self):
        return f"{self.get_event_type_display()} {self.at:%Y-%m-%d %H:%M}"


class AggregatedDay(models.Model):
    """A day whose aggregates are computed: what prune checks, and how fresh dashboards are."""

    date = models.DateField(_("日期"), unique=True)
    events = models.PositiveIntegerField(_("计入事件数"), default=0)
    aggregated_at = models.DateTimeField(_("汇总时间"))

    class Meta:
        verbose_name = _("已汇总日期")
        verbose_name_plural = _("已汇总日期")

    def __str__(self):
        return self.date.isoformat()


class Measures(models.Model):
    event_type = models.CharField(_("类型"), max_length=30, choices=event_type_choices)
    count = models.PositiveIntegerField(_("次数"), default=0)
    visitors = models.PositiveIntegerField(_("访客数"), default=0)
    total = models.DecimalField(_("数值合计"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_event_type_display()}：{self.count}"


class DailyVenueMetric(Measures):
    date = models.DateField(_("日期"))
    venue = models.ForeignKey(
        "network.Venue", verbose_name=_("场馆"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("场馆日统计")
        verbose_name_plural = _("场馆日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "venue", "event_type"], name="metrics_daily_venue_unique"
            )
        ]
        indexes = [models.Index(fields=["venue", "event_type", "date"])]


class MonthlyVenueMetric(Measures):
    month = models.DateField(_("月份"))  # the first day of the month
    venue = models.ForeignKey(
        "network.Venue", verbose_name=_("场馆"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("场馆月统计")
        verbose_name_plural = _("场馆月统计")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "venue", "event_type"], name="metrics_monthly_venue_unique"
            )
        ]
        indexes = [models.Index(fields=["venue", "event_type", "month"])]


class AreaQuerySet(models.QuerySet):
    """Rollup rows: per district and level, per district, per level, and the whole network
    (which also counts events of no venue, such as the network-wide search)."""

    def network(self):
        return self.filter(district=ALL, level=ALL)

    def by_district(self):
        return self.exclude(district=ALL).filter(level=ALL)

    def by_level(self):
        return self.filter(district=ALL).exclude(level=ALL)

    def by_district_and_level(self):
        return self.exclude(district=ALL).exclude(level=ALL)


class AreaMeasures(Measures):
    district = models.CharField(_("区县"), max_length=30, blank=True)  # ALL: every district
    level = models.CharField(_("层级"), max_length=10, blank=True)  # ALL: every level

    objects = AreaQuerySet.as_manager()

    class Meta:
        abstract = True


class DailyAreaMetric(AreaMeasures):
    date = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("区县/层级日统计")
        verbose_name_plural = _("区县/层级日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["date", "event_type", "district", "level"], name="metrics_daily_area_unique"
            )
        ]


class MonthlyAreaMetric(AreaMeasures):
    month = models.DateField(_("月份"))

    class Meta:
        verbose_name = _("区县/层级月统计")
        verbose_name_plural = _("区县/层级月统计")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "event_type", "district", "level"],
                name="metrics_monthly_area_unique",
            )
        ]


class MonthlyObjectMetric(models.Model):
    """A month's count per used object (an asset, a course…) of the types in
    rules.OBJECT_RANKED_EVENTS: what the dashboards' top lists read."""

    month = models.DateField(_("月份"))
    event_type = models.CharField(_("类型"), max_length=30, choices=event_type_choices)
    venue = models.ForeignKey(
        "network.Venue", verbose_name=_("场馆"), on_delete=models.CASCADE, related_name="+"
    )
    object_key = models.CharField(_("对象"), max_length=64)
    count = models.PositiveIntegerField(_("次数"), default=0)
    total = models.DecimalField(_("数值合计"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("对象月统计")
        verbose_name_plural = _("对象月统计")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "event_type", "venue", "object_key"],
                name="metrics_monthly_object_unique",
            )
        ]
        indexes = [models.Index(fields=["event_type", "month"])]

    def __str__(self):
        return f"{self.object_key} {self.get_event_type_display()}：{self.count}"
