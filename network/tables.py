"""Reading a .xlsx or .csv upload with Chinese headers into rows, for the network's imports
(population, actual openings). The file handling (format sniffing, GBK/UTF-8, old .xls refused)
is the catalogue import's (resources.importing.open_table); the header check is ours."""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Larger files are refused before reading: these imports are a few thousand rows at most.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def read_rows(upload, headers, optional=()):
    """[(row number, {header: value})] of the first sheet; ValidationError for the file."""
    from resources.importing import ImportFileError, open_table

    if upload is None:
        raise ValidationError(_("请选择要导入的 .xlsx 或 .csv 文件。"))
    if getattr(upload, "size", 0) > MAX_UPLOAD_BYTES:
        raise ValidationError(_("文件过大（上限 5 MB）。"))
    try:
        table = open_table(upload, getattr(upload, "name", ""))
        try:
            rows = [(n, list(values)) for n, values in table]
        finally:
            table.close()
    except ImportFileError as error:
        raise ValidationError(str(error)) from error
    rows = [(n, values) for n, values in rows if any(text(v) for v in values)]
    if not rows:
        raise ValidationError(_("文件是空的。"))
    number, header = rows[0]
    header = [re.sub(r"\s+", "", text(h)) for h in header]
    missing = [h for h in headers if h not in header]
    if missing:
        raise ValidationError(
            _("表头缺少列：%(missing)s。表头应为：%(expected)s。")
            % {"missing": "、".join(missing), "expected": "、".join((*headers, *optional))}
        )
    columns = {h: header.index(h) for h in (*headers, *optional) if h in header}
    data = [
        (n, {h: (values[i] if i < len(values) else None) for h, i in columns.items()})
        for n, values in rows[1:]
    ]
    if not data:
        raise ValidationError(_("文件只有表头，没有数据行。"))
    return data


def text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def number(value, label):
    """A Decimal from a cell; ValueError with a Chinese message when it is not one."""
    raw = text(value).replace(",", "")
    if not raw:
        raise ValueError(_("缺少%(column)s。") % {"column": label})
    try:
        result = Decimal(raw)
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise ValueError(_("%(column)s“%(value)s”不是数字。") % {"column": label, "value": raw})
    return result


DATETIME_TEXT = re.compile(
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s+(\d{1,2})[:：](\d{2})(?::(\d{2}))?$"
)


def local_datetime(value, label):
    """A naive local datetime from an Excel date-time cell or text like 2026-03-01 09:00."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        raise ValueError(_("%(column)s须包含时间，如 2026-03-01 09:00。") % {"column": label})
    raw = text(value)
    if not raw:
        raise ValueError(_("缺少%(column)s。") % {"column": label})
    match = DATETIME_TEXT.match(raw)
    if match:
        try:
            return datetime(*(int(p or 0) for p in match.groups()))
        except ValueError:
            pass  # 2026-02-30: reported like any other bad value
    raise ValueError(
        _("%(column)s“%(value)s”不是有效的日期时间，请写成 2026-03-01 09:00。")
        % {"column": label, "value": raw}
    )
