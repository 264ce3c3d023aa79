"""A chart's rows as an .xlsx workbook: a header of its column labels, then exactly the rows
its table shows."""

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

# Characters Excel refuses in a sheet title, and its length limit.
SHEET_TITLE_INVALID = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31


def chart_workbook(chart, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE_INVALID.sub("", str(chart.title))[:SHEET_TITLE_MAX]
    sheet.append([str(label) for _key, label in chart.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, (_key, label) in enumerate(chart.columns, start=1):
        widest = max([len(str(label)), *(len(str(row[index - 1] or "")) for row in rows)])
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(2 + 2 * widest, 60)
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
