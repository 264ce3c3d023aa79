from datetime import timedelta

from django.core.management.base import BaseCommand

from media_pipeline.task_recovery import GRACE, requeue_abandoned


class Command(BaseCommand):
    help = (
        "把工作进程中断（被杀、崩溃）后停在“运行中”的后台任务重新排队。PostgreSQL 上随时可运行"
        "（只处理已无工作进程持有的任务）；SQLite 上请在没有 db_worker 运行时执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=GRACE.total_seconds(),
            metavar="SECONDS",
            help="只处理开始运行超过这么多秒的任务（默认 %(default)s）。",
        )

    def handle(self, *args, older_than, **options):
        requeued = requeue_abandoned(timedelta(seconds=older_than))
        self.stdout.write(self.style.SUCCESS(f"已重新排队 {len(requeued)} 个中断的后台任务。"))
