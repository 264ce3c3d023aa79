"""One small helper for the .xlsx downloads of the admin (openpyxl): a sheet with a bold,
frozen heading row and columns wide enough for Chinese headings."""

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Characters Excel refuses in a sheet title, and its length limit.
_SHEET_TITLE_INVALID = re.compile(r"[\\/*?:\[\]]")
_SHEET_TITLE_MAX = 31


def xlsx_bytes(title, headings, rows):
    """The workbook (bytes) of one sheet named `title`: `headings`, then `rows`."""
    book = Workbook()
    sheet = book.active
    sheet.title = _SHEET_TITLE_INVALID.sub("", str(title))[:_SHEET_TITLE_MAX] or "Sheet1"
    sheet.append([str(heading) for heading in headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, heading in enumerate(headings, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(str(heading)) * 2 + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
