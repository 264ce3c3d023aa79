from django.core.management import call_command
from django.core.management.base import BaseCommand

from search.indexing import apply_pending
from search.rebuild import rebuild


class Command(BaseCommand):
    help = "重建全网搜索索引（先建新索引再切换，不停服），并更新 Wagtail 后台搜索索引。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending", action="store_true", help="只应用待更新的索引记录，不整体重建。"
        )
        parser.add_argument(
            "--skip-wagtail",
            action="store_true",
            help="不更新 Wagtail 后台（页面、图片、文档）的索引。",
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条。")

    def handle(self, *args, pending=False, skip_wagtail=False, no_progress=False, **options):
        if pending:
            applied = apply_pending()
            self.stdout.write(self.style.SUCCESS(f"已应用 {applied} 条待更新索引。"))
            return
        written = rebuild(progress=not no_progress, stdout=self.stderr)
        self.stdout.write(self.style.SUCCESS(f"全网搜索索引已重建：{written} 条。"))
        if not skip_wagtail:
            call_command("update_index", verbosity=0)
            self.stdout.write(self.style.SUCCESS("Wagtail 后台搜索索引已更新。"))
