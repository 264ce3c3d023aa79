from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from media_pipeline.ingest import Outcome, find_sources, ingest
from media_pipeline.signals import PROCESSED_KINDS
from network.models import Venue
from resources.vocab import Visibility


class Command(BaseCommand):
    help = (
        "把磁盘上的文件或整个文件夹导入为某个场馆的媒体资源（子文件夹成为场馆集合下的子集合），"
        "跳过已存储的重复文件，并逐个报告结果。导入的文件随后由后台任务处理（转码、生成预览图等）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹")
        parser.add_argument("--venue", required=True, metavar="CODE", help="所属场馆的编号")
        parser.add_argument(
            "--collection",
            default="",
            metavar="NAME",
            help="归入的集合名（建在场馆的集合下，没有时自动创建；子文件夹成为它的子集合）",
        )
        parser.add_argument(
            "--visibility",
            default=Visibility.PUBLIC,
            choices=Visibility.values,
            help="可见范围：public 公开、staff 仅网络内工作人员、owner 仅本馆（默认 public）",
        )

    def handle(self, *args, paths, venue, collection, visibility, **options):
        owner = Venue.objects.filter(code=venue).first()
        if owner is None:
            raise CommandError(_("找不到编号为“%(code)s”的场馆。") % {"code": venue})
        sources = list(find_sources(paths, collection.strip()))
        counts = dict.fromkeys((Outcome.ADDED, Outcome.DUPLICATE, Outcome.FAILED), 0)
        # The bar writes to the raw stream (Django's wrapper would end every redraw with a
        # newline), and only to a terminal (disable=None), never into a log.
        bar = tqdm(sources, desc=_("导入"), unit=_("个"), file=self.stderr._out, disable=None)
        with bar:
            for source in bar:
                result = ingest(source, owner, visibility)
                counts[result.outcome] += 1
                with bar.external_write_mode(file=self.stdout._out):
                    self.stdout.write(self._line(result))
        self.stdout.write(
            _(
                "共 %(total)d 个文件：新增 %(added)d 个，重复跳过 %(duplicate)d 个，失败 %(failed)d 个。"
            )
            % {"total": len(sources), **counts}
        )
        if counts[Outcome.FAILED]:
            raise CommandError(
                _("有 %(count)d 个文件导入失败，原因见上。") % {"count": counts[Outcome.FAILED]}
            )

    def _line(self, result):
        shown, asset = result.source.shown, result.asset
        if result.outcome == Outcome.ADDED:
            queued = _("，已排队处理") if asset.kind in PROCESSED_KINDS else ""
            line = _("新增：%(path)s（%(kind)s，编号 %(pk)d%(queued)s）")
            return self.style.SUCCESS(
                line
                % {
                    "path": shown,
                    "kind": asset.get_kind_display(),
                    "pk": asset.pk,
                    "queued": queued,
                }
            )
        if result.outcome == Outcome.DUPLICATE:
            line = _("重复跳过：%(path)s（与已有资源“%(title)s”编号 %(pk)d 相同）")
            return line % {"path": shown, "title": asset.title, "pk": asset.pk}
        return self.style.ERROR(
            _("失败：%(path)s：%(reason)s") % {"path": shown, "reason": result.reason}
        )
