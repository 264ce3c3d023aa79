"""`manage.py aggregate_metrics [--date D | --from D --to D] [--enqueue | --schedule]`: (re)compute
the daily aggregates of a day (default: yesterday) and of its month. Idempotent.

--enqueue: run the daily task (metrics.tasks.daily_aggregation) in the worker now;
--schedule: make sure its next daily run is queued (what `make run` and a deployment call)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from metrics.aggregate import aggregate_day, dates_between


def _date(text):
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(text)s") % {"text": text}) from None


class Command(BaseCommand):
    help = "汇总使用统计（默认汇总昨天），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="要汇总的日期 YYYY-MM-DD（默认昨天）")
        parser.add_argument("--from", dest="first", help="起始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="last", help="结束日期 YYYY-MM-DD（含）")
        parser.add_argument("--enqueue", action="store_true", help="交给后台任务执行每日汇总与清理")
        parser.add_argument(
            "--schedule", action="store_true", help="确保后台任务中已排好下一次每日汇总"
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            from metrics.tasks import daily_aggregation

            result = daily_aggregation.enqueue()
            self.stdout.write(_("已加入后台任务：%(id)s") % {"id": result.id})
            return
        if options["schedule"]:
            self._schedule()
            return
        yesterday = timezone.localdate() - timedelta(days=1)
        if options["first"] or options["last"]:
            first = _date(options["first"] or options["last"])
            last = _date(options["last"] or options["first"])
            if last < first:
                raise CommandError(_("结束日期不能早于起始日期。"))
            days = dates_between(first, last)
        else:
            days = [_date(options["date"]) if options["date"] else yesterday]
        for day in days:
            try:
                counted = aggregate_day(day)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            self.stdout.write(
                _("%(day)s：计入 %(count)s 条事件。") % {"day": day.isoformat(), "count": counted}
            )

    def _schedule(self):
        from metrics.tasks import daily_aggregation, ensure_scheduled

        if not daily_aggregation.get_backend().supports_defer:
            raise CommandError(_("当前任务后端不支持定时执行，请改用 cron 每日运行本命令。"))
        result = ensure_scheduled()
        if result is None:
            self.stdout.write(_("每日汇总已在后台任务队列中等待执行。"))
        else:
            self.stdout.write(
                _("已安排每日汇总：%(when)s")
                % {"when": f"{timezone.localtime(result.task.run_after):%Y-%m-%d %H:%M}"}
            )
