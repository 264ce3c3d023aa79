from django.core.management.base import BaseCommand

from media_pipeline.upload_cleanup import cleanup


class Command(BaseCommand):
    help = (
        "清理分片上传：让长时间没有新分片的上传过期并删除其分片，重新排队中断的合并校验，"
        "删除不属于任何进行中上传的 S3 分段上传或暂存文件（建议每小时运行一次）。"
    )

    def handle(self, *args, **options):
        report = cleanup()
        for name in report.expired:
            self.stdout.write(f"已过期：{name}")
        for name in report.requeued:
            self.stdout.write(f"重新校验：{name}")
        for name in report.orphans:
            self.stdout.write(f"已删除遗留分片：{name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：过期 {len(report.expired)} 个，重新校验 {len(report.requeued)} 个，"
                f"遗留分片 {len(report.orphans)} 个，清除旧记录 {report.purged} 条。"
            )
        )
