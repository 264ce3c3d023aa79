"""The evaluation report as .xlsx (openpyxl) and as PDF with a bar chart of the scores
(reportlab.graphics; Chinese in the built-in CID font STSong-Light, as network.agreement_pdf).

Both contain what the user may see (services.visible_results): the hub gets the whole ranking,
a main centre its branches. Venue results hold no phone or ID numbers, so nothing needs masking.
"""

import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from portal.admin_views import ForbiddenMixin

from ..agreement_pdf import FONT
from . import services
from .models import Evaluation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The chart shows at most this many venues (the best); the table lists them all.
CHART_VENUES = 30


def ranking_header():
    return [
        _("排名"),
        _("场馆"),
        _("总分"),
        _("等次"),
        _("奖补资金（元）"),
        _("通报"),
        _("建议摘牌"),
    ]


def ranking_row(r):
    yes = _("是")
    return [
        r.rank,
        r.venue_name,
        float(r.score),
        r.get_grade_display(),
        r.reward,
        yes if r.warned else "",
        r.delisting_reason if r.delisting_proposed else "",
    ]


def xlsx_report(evaluation, results):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    ranking = workbook.active
    ranking.title = _("排名")
    ranking.append([str(evaluation)])
    ranking.append(ranking_header())
    for cell in ranking[2]:
        cell.font = Font(bold=True)
    for result in results:
        ranking.append(ranking_row(result))
    ranking.append([])
    ranking.append([_("奖补资金合计"), "", "", "", sum(r.reward for r in results)])
    details = workbook.create_sheet(_("得分明细"))
    details.append(
        [
            _("场馆"),
            _("指标"),
            _("数据来源"),
            _("计分方式"),
            _("分值"),
            _("目标值"),
            _("原始值"),
            _("得分"),
        ]
    )
    for result in results:
        for line in result.indicator_results.all():
            details.append(
                [
                    result.venue_name,
                    line.name,
                    str(line.source_label),
                    line.get_rule_display(),
                    float(line.weight),
                    float(line.target),
                    None if line.raw_value is None else float(line.raw_value),
                    float(line.points),
                ]
            )
    for sheet in (ranking, details):
        sheet.column_dimensions["B"].width = 36
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def score_chart(results, width, height):
    """A bar chart of the best CHART_VENUES scores, with the grade lines' scale."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    shown = list(results)[:CHART_VENUES]
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 60, width - 60, height - 80
    chart.data = [[float(r.score) for r in shown] or [0]]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labels.fontName = FONT
    chart.categoryAxis.categoryNames = [str(r.rank) for r in shown] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#2e6da4")
    drawing.add(chart)
    return drawing


def pdf_report(evaluation, results):
    from xml.sax.saxutils import escape  # nosec B406: escape() for ReportLab markup; nothing is parsed

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=16, leading=22)
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
    results = list(results)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm)
    snapshot = evaluation.settings_snapshot
    story = [
        Paragraph(escape(str(evaluation)), title),
        Paragraph(
            escape(
                _(
                    "优秀 ≥ %(e)s 分，良好 ≥ %(g)s 分，合格 ≥ %(p)s 分；奖补资金 %(b)s 元，起算线 %(q)s 分。"
                )
                % {
                    "e": snapshot.get("excellent_from"),
                    "g": snapshot.get("good_from"),
                    "p": snapshot.get("pass_from"),
                    "b": snapshot.get("reward_budget"),
                    "q": snapshot.get("qualifying_line"),
                }
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(escape(_("得分（按排名，前 %(n)s 名）") % {"n": CHART_VENUES}), body),
        score_chart(results, document.width, 70 * mm),
    ]
    rows = [ranking_header()] + [[str(cell) for cell in ranking_row(r)] for r in results]
    table = Table(
        rows,
        repeatRows=1,
        colWidths=[12 * mm, 62 * mm, 15 * mm, 15 * mm, 25 * mm, 12 * mm, 38 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 8),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ]
        )
    )
    story.append(table)
    document.build(story)
    return buffer.getvalue()


class ReportView(ForbiddenMixin, View):
    def get(self, request, pk):
        evaluation = get_object_or_404(Evaluation.objects.select_related("system"), pk=pk)
        results = services.visible_results(request.user, evaluation).prefetch_related(
            "indicator_results"
        )
        if not results.exists():
            raise PermissionDenied
        response = HttpResponse(self.render(evaluation, results), content_type=self.content_type)
        name = (
            f"evaluation-{evaluation.system.year}-{evaluation.system.level}-v{evaluation.version}"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.{self.suffix}"'
        return response


class XlsxReportView(ReportView):
    content_type, suffix = XLSX, "xlsx"

    def render(self, evaluation, results):
        return xlsx_report(evaluation, results)


class PdfReportView(ReportView):
    content_type, suffix = "application/pdf", "pdf"

    def render(self, evaluation, results):
        return pdf_report(evaluation, results)
