"""`manage.py purge_personal_data [--dry-run] [--enqueue | --schedule]`: delete the personal data
past its retention period (portal.retention.RETENTION, docs/privacy.md) and say how much.

--dry-run: only count; --enqueue: run the daily task in the worker now; --schedule: make sure
its next daily run is queued (what `make run` and a deployment call)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.retention import RULES, purge


class Command(BaseCommand):
    help = "按保留期限删除过期的个人信息（可先用 --dry-run 查看数量）。"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不删除")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务立即执行")
        parser.add_argument(
            "--schedule", action="store_true", help="确保后台任务中已排好下一次每日清理"
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from portal.tasks import daily_purge

            result = daily_purge.enqueue()
            self.stdout.write(_("已加入后台任务：%(id)s") % {"id": result.id})
            return
        if options["schedule"]:
            self._schedule()
            return
        dry_run = options["dry_run"]
        counts = purge(timezone.now(), dry_run=dry_run)
        line = (
            _("%(label)s：将删除 %(count)s 条") if dry_run else _("%(label)s：已删除 %(count)s 条")
        )
        for rule in RULES:
            self.stdout.write(line % {"label": rule.label, "count": counts[rule.key]})
        total = sum(counts.values())
        if dry_run:
            self.stdout.write(_("试运行：共 %(total)s 条到期，未删除任何数据。") % {"total": total})
        else:
            self.stdout.write(_("共删除 %(total)s 条。") % {"total": total})

    def _schedule(self):
        from portal.tasks import daily_purge, ensure_scheduled

        if not daily_purge.get_backend().supports_defer:
            raise CommandError(_("当前任务后端不支持定时执行，请改用 cron 每日运行本命令。"))
        result = ensure_scheduled()
        if result is None:
            self.stdout.write(_("每日清理已在后台任务队列中等待执行。"))
        else:
            self.stdout.write(
                _("已安排每日清理：%(when)s")
                % {"when": f"{timezone.localtime(result.task.run_after):%Y-%m-%d %H:%M}"}
            )
