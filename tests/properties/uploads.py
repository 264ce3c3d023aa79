"""Hypothesis strategies for spreadsheet uploads: a header row, then rows whose cells are drawn
half from values a real file of that kind holds and half from anything at all, written as UTF-8
or GBK CSV or as .xlsx, plus files that are not spreadsheets at all."""

import csv
import io
from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

any_cell = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(-(10**15), 10**15),
    st.floats(),
    st.decimals(places=3, allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.booleans(),
)


def cells(plausible):
    """A cell of a column: a value of the kind the column expects, or anything."""
    return st.one_of(plausible, any_cell)


def rows_of(columns, max_rows=6):
    """Rows of cells for `columns` ({header: plausible strategy}): all plausible (a file that
    may well import), or noisy and sometimes short or long."""
    plausible = st.tuples(*columns.values()).map(list)
    noisy = st.tuples(*(cells(strategy) for strategy in columns.values())).map(list)
    ragged = st.tuples(noisy, st.integers(-2, 2)).map(
        lambda pair: pair[0][: len(pair[0]) + pair[1]] if pair[1] < 0 else pair[0] + [""] * pair[1]
    )
    return st.one_of(
        st.lists(plausible, min_size=1, max_size=3), st.lists(ragged, max_size=max_rows)
    )


def headers_of(names):
    """The header in any column order; sometimes with a column lost or an odd one added."""
    exact = st.permutations(list(names))
    damaged = st.tuples(exact, st.integers(0, len(names) - 1), any_cell).map(
        lambda t: t[0][: t[1]] + [t[2]] + t[0][t[1] + 1 :]
    )
    return st.one_of(exact, damaged)


@st.composite
def tables(draw, columns, optional=None):
    """[header, *rows], rows ordered to the header's columns, so any column order is tested.
    `columns` and `optional` map each header to a strategy for plausible values."""
    optional = optional or {}
    names = list(columns)
    header = draw(headers_of(names))
    if optional and draw(st.booleans()):
        header = header + list(optional)
    all_columns = {**columns, **optional}
    rows = []
    for row in draw(rows_of(all_columns)):
        by_name = dict(zip([*names, *optional], row, strict=False))
        rows.append([by_name.get(h) if isinstance(h, str) else None for h in header])
    return [header, *rows]


def _csv_text(value):
    if value is None:
        return ""
    return str(value)


def csv_bytes(rows, encoding):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[_csv_text(v) for v in row] for row in rows])
    return buffer.getvalue().encode(encoding, errors="replace")


def _xlsx_value(value):
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, float) and value != value:  # NaN: Excel has no such number
        return "NaN"
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_bytes(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def not_spreadsheets():
    return st.one_of(
        st.binary(max_size=200),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),  # a zip that is no workbook
        st.binary(max_size=50).map(lambda b: b"\xd0\xcf\x11\xe0" + b),  # the old .xls
    )


@st.composite
def uploads(draw, columns, optional=None):
    """A SimpleUploadedFile of a table of these columns, or of bytes that are no table."""
    kind = draw(st.sampled_from(["utf-8-sig", "gb18030", "xlsx", "junk"]))
    if kind == "junk":
        content = draw(not_spreadsheets())
        name = draw(st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a"]))
        return SimpleUploadedFile(name, content)
    rows = draw(tables(columns, optional))
    if kind == "xlsx":
        return SimpleUploadedFile("table.xlsx", xlsx_bytes(rows))
    return SimpleUploadedFile("table.csv", csv_bytes(rows, kind))


def is_chinese(message):
    return any("\u4e00" <= char <= "\u9fff" for char in message)
