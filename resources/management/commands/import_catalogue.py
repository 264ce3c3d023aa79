"""manage.py import_catalogue FILE [--venue CODE]: import teachers or courses (.xlsx / .csv)."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from network.models import Venue
from resources.importing import DEFAULT_BATCH_SIZE, import_catalogue


class Command(BaseCommand):
    help = (
        "导入师资或课程（.xlsx 或 UTF-8/GBK 编码的 .csv，中文表头，格式见 docs/import-format.md）。"
        "任何一行有误则不导入任何数据，并逐行列出错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument(
            "--venue",
            metavar="CODE",
            help="导入到此场馆（场馆代码）：每行须属于该场馆，场馆列留空即为该场馆。"
            "不指定时每行都须填写场馆。",
        )
        parser.add_argument(
            "--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="每批写入的行数"
        )
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, file, venue=None, batch_size, no_progress, **options):
        target = None
        if venue:
            target = Venue.objects.filter(code=venue).first()
            if target is None:
                raise CommandError(_("未知场馆代码「%(code)s」。") % {"code": venue})
        # Progress goes to stderr so stdout stays a clean summary; off when not on a terminal.
        show = not no_progress and sys.stderr.isatty()
        bars = {}

        def progress(phase, advance, total=None):
            if phase not in bars:
                for bar in bars.values():
                    bar.close()
                bars[phase] = tqdm(
                    desc=phase, total=total, unit="行", file=sys.stderr, disable=not show
                )
            bars[phase].update(advance)

        try:
            report = import_catalogue(file, venue=target, batch_size=batch_size, progress=progress)
        except FileNotFoundError as exc:
            raise CommandError(_("找不到文件：%(file)s") % {"file": file}) from exc
        finally:
            for bar in bars.values():
                bar.close()
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if report.omitted_errors:
                self.stderr.write(
                    _("……另有 %(count)d 处错误未列出。") % {"count": report.omitted_errors}
                )
            raise CommandError(
                _("共 %(count)d 处错误，未导入任何数据。") % {"count": report.error_count}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("已导入%(kind)s %(rows)d 行：新增 %(created)d，更新 %(updated)d。")
                % {
                    "kind": report.kind_label,
                    "rows": report.rows,
                    "created": report.created,
                    "updated": report.updated,
                }
            )
        )
