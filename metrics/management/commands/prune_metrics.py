"""`manage.py prune_metrics`: remove raw usage events older than METRICS_RAW_RETENTION_DAYS
(whole months), summarising any day not yet aggregated first. The aggregates are kept."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from metrics.aggregate import prune_cutoff, prune_raw_events


class Command(BaseCommand):
    help = "按保留期限删除原始使用事件（先汇总，汇总结果保留）。"

    def handle(self, *args, **options):
        summarised, deleted = prune_raw_events()
        self.stdout.write(
            _("已删除 %(cutoff)s 之前的原始事件 %(deleted)s 条；补汇总 %(days)s 天。")
            % {"cutoff": prune_cutoff().isoformat(), "deleted": deleted, "days": summarised}
        )
