from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from media_pipeline.tasks import queue_unprocessed, resume_stale


class Command(BaseCommand):
    help = (
        "重新排队因工作进程中断而停在“处理中”的媒体处理任务，并为从未处理过的媒体文件排队"
        "（在 db_worker 启动前或定时运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=settings.MEDIA_PROCESSING_STALE_MINUTES,
            metavar="MINUTES",
            help="心跳停止超过这么多分钟才算中断；只有一个工作进程且它尚未启动时可用 0。",
        )

    def handle(self, *args, older_than, **options):
        resumed = resume_stale(timedelta(minutes=older_than))
        self.stdout.write(self.style.SUCCESS(f"已重新排队 {len(resumed)} 个媒体处理任务。"))
        queued = queue_unprocessed()
        if queued:
            self.stdout.write(
                self.style.SUCCESS(f"已为 {len(queued)} 个从未处理过的媒体文件排队处理。")
            )
