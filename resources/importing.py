"""Import of teachers and courses from .xlsx or .csv files with Chinese column headers.

All or nothing: every row is read and validated first; a single bad row means nothing is written
and the caller gets a row-by-row report (row number as the spreadsheet shows it, column header,
reason in Chinese). A good file is written in one transaction with bulk queries, batch by batch;
rows already in the catalogue (same natural key) are updated, so re-importing a file is safe.

Used by `manage.py import_catalogue` and the admin view in import_views.py. The format is
documented in docs/import-format.md.
"""

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from itertools import islice
from os import PathLike
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network.models import Venue
from network.plan import Audience, FeeType

from .models import ArtForm, Course, Teacher
from .vocab import Visibility

TEACHER_HEADERS = ("姓名", "艺术门类", "所属场馆", "手机", "简介", "资历")
COURSE_HEADERS = (
    "课程名称",
    "艺术门类",
    "授课教师",
    "开课场馆",
    "适合人群",
    "收费类型",
    "费用",
    "名额",
    "开始日期",
    "结束日期",
    "上课时间",
    "简介",
)

# Rows written per bulk query; existing rows are looked up per batch too.
DEFAULT_BATCH_SIZE = 500
# A report of a wholly wrong 100 000-row file stays readable (and small in memory).
MAX_REPORTED_ERRORS = settings.CATALOGUE_IMPORT_MAX_REPORTED_ERRORS

# Several names in one cell: 、 is the Chinese list separator; commas and semicolons also occur.
LIST_SEPARATORS = re.compile(r"[、,，;；]")
# ASCII digits only (\d alone also matches other scripts' digits); full-width ones are made
# ASCII before (_parse_phone).
MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
# 区号 (3–4 digits starting with 0) + 7–8 digit number, optional extension.
LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$", re.ASCII)
DATE_TEXT = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)

XLSX_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the pre-2007 .xls format
# Tried in order. GB18030 is the superset of GBK that Chinese Windows Excel writes.
CSV_ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GBK"))


class ImportFileError(Exception):
    """The file as a whole cannot be imported (format, encoding, header)."""


@dataclass(frozen=True)
class RowError:
    row: int | None  # spreadsheet row number; None for an error about the whole file
    column: str
    message: str

    def __str__(self):
        if self.row is None:
            return self.message
        where = _("第 %(row)d 行") % {"row": self.row}
        if self.column:
            where += _("「%(column)s」列") % {"column": self.column}
        return f"{where}：{self.message}"


@dataclass
class ImportReport:
    kind: str = ""  # "teachers" or "courses", once the header is recognised
    rows: int = 0  # data rows read (blank rows skipped)
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0  # may exceed len(errors): the list is capped

    @property
    def ok(self):
        return self.error_count == 0

    @property
    def kind_label(self):
        return {"teachers": _("师资"), "courses": _("课程")}.get(self.kind, "")

    @property
    def omitted_errors(self):
        return self.error_count - len(self.errors)

    def add_error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row, column, message))


class TeacherRow(NamedTuple):
    row: int
    owner_id: int
    name: str
    art_form_ids: tuple
    phone: str
    bio: str
    qualifications: str


class CourseRow(NamedTuple):
    row: int
    owner_id: int
    title: str
    art_form_id: int
    teacher_ids: tuple
    audience: str
    fee_type: str
    fee_amount: Decimal | None
    capacity: int
    start_date: date
    end_date: date | None
    schedule_note: str
    description: str


# --- Reading -------------------------------------------------------------------------------


class Table:
    """The first sheet of a workbook or a CSV file as (row number, values) pairs, streamed."""

    def __init__(self, rows, total_hint=None, closer=None):
        self._rows = rows
        self.total_hint = total_hint  # rows in the sheet, when the file says so
        self._closer = closer

    def __iter__(self):
        return self._rows

    def close(self):
        if self._closer:
            self._closer()


def open_table(source, filename=""):
    """Open a path or a binary file object (e.g. an upload) as a Table of its rows."""
    if isinstance(source, str | PathLike):
        fileobj = open(source, "rb")  # noqa: SIM115 - closed by Table.close()
        filename = filename or str(source)
        own_file = True
    else:
        fileobj, own_file = source, False
    try:
        fileobj.seek(0)
        magic = fileobj.read(8)
        fileobj.seek(0)
        if magic.startswith(OLE2_MAGIC) or filename.lower().endswith(".xls"):
            raise ImportFileError(
                _("不支持旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 .csv。")
            )
        table = _open_xlsx(fileobj) if magic.startswith(XLSX_MAGIC) else _open_csv(fileobj)
    except BaseException:
        if own_file:
            fileobj.close()
        raise
    if own_file:
        table._closer = _chain(table._closer, fileobj.close)
    return table


def _chain(*closers):
    def close():
        for closer in closers:
            if closer:
                closer()

    return close


def _open_xlsx(fileobj):
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet XML instead of building every cell in memory.
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(
            _("无法读取 Excel 文件（%(error)s），请确认文件是 .xlsx 格式且未损坏。")
            % {"error": exc.__class__.__name__}
        ) from exc
    sheet = workbook.worksheets[0]
    total = sheet.max_row  # from the file's <dimension> tag; only a hint for the progress bar
    # Some writers store a wrong <dimension>; reading without it returns every cell.
    sheet.reset_dimensions()
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    return Table(rows, total_hint=total, closer=workbook.close)


def _detect_encoding(fileobj):
    """Decode the whole file incrementally with each candidate: constant memory, and a file
    whose last line is not UTF-8 is not half read as UTF-8."""
    for encoding, label in CSV_ENCODINGS:
        fileobj.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            while chunk := fileobj.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        fileobj.seek(0)
        return encoding, label
    raise ImportFileError(
        _(
            "无法识别文件编码：文件既不是 UTF-8 也不是 GBK 编码。"
            "请在 Excel 中选择“另存为 → CSV UTF-8（逗号分隔）”，或直接上传 .xlsx 文件。"
        )
    )


def _open_csv(fileobj):
    encoding, _label = _detect_encoding(fileobj)
    text = io.TextIOWrapper(fileobj, encoding=encoding, newline="")

    def rows():
        # Record numbers, not physical lines: a quoted cell with line breaks is one Excel row.
        try:
            yield from enumerate(csv.reader(text), start=1)
        except csv.Error as exc:
            raise ImportFileError(_("CSV 文件格式有误：%(error)s") % {"error": exc}) from exc

    # Detach so closing the wrapper does not close a caller's (e.g. an upload's) file.
    return Table(rows(), closer=text.detach)


# --- Cell values ---------------------------------------------------------------------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel keeps every number as a float: 13812341234.0
    return str(value).replace("\u3000", " ").strip()


def _is_blank(values):
    return all(_text(v) == "" for v in values)


def _normalise_header(value):
    return re.sub(r"\s+", "", _text(value))


class CellError(ValueError):
    pass


def _parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = DATE_TEXT.match(text)
    if not match:
        raise CellError(
            _("「%(value)s」不是有效日期，请写成 2026-03-01 或 2026/3/1。") % {"value": text}
        )
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError(_("日期「%(value)s」不存在。") % {"value": text}) from exc


def _parse_decimal(value, column_label):
    if isinstance(value, bool):
        raise CellError(_("%(column)s必须是数字。") % {"column": column_label})
    text = _text(value).replace(",", "").removesuffix("元").strip()
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(text)
    except InvalidOperation as exc:
        raise CellError(
            _("「%(value)s」不是数字，%(column)s只能填写数字。")
            % {"value": text, "column": column_label}
        ) from exc
    if not number.is_finite():
        raise CellError(_("%(column)s必须是数字。") % {"column": column_label})
    return number


def _parse_fee(value):
    amount = _parse_decimal(value, "费用")  # column headers are not translated
    if amount < 0:
        raise CellError(_("费用不能为负数。"))
    field = Course._meta.get_field("fee_amount")
    if amount >= Decimal(10) ** (field.max_digits - field.decimal_places):
        raise CellError(_("费用过大。"))
    cents = amount.quantize(Decimal(1).scaleb(-field.decimal_places))
    if cents != amount:
        raise CellError(_("费用最多保留两位小数。"))
    return cents


def _parse_capacity(value):
    number = _parse_decimal(value, "名额")
    if number != number.to_integral_value() or number < 1:
        raise CellError(_("名额必须是正整数，不能是「%(value)s」。") % {"value": _text(value)})
    return int(number)


def _parse_phone(value):
    """A mainland mobile (stored as 11 digits) or a landline with its area code (0731-22334455)."""
    text = _text(value)
    if not text:
        return ""
    compact = unicodedata.normalize("NFKC", text)  # full-width digits, as an input method types
    compact = re.sub(r"[\s()（）]", "", compact).replace("—", "-").replace("－", "-")
    digits = re.sub(r"^\+?86(?=1\d{10}$)", "", compact.replace("-", ""))
    if MOBILE.match(digits):
        return digits
    match = LANDLINE.match(compact)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    raise CellError(
        _(
            "「%(value)s」不是有效的电话号码：请填写 11 位手机号或带区号的固定电话（如 0731-22334455）。"
        )
        % {"value": text}
    )


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _check_length(text, model, name, column):
    limit = _max_length(model, name)
    if limit and len(text) > limit:
        raise CellError(
            _("%(column)s不能超过 %(limit)d 个字（现为 %(length)d 个字）。")
            % {"column": column, "limit": limit, "length": len(text)}
        )
    return text


def _split_names(value):
    return [name.strip() for name in LIST_SEPARATORS.split(_text(value)) if name.strip()]


def _choice_lookup(choices):
    """Chinese label → stored value, whatever language is active; the stored values work too."""
    with translation.override("zh-hans"):
        lookup = {str(label): value for value, label in choices}
    lookup.update({value: value for value, _label in choices})
    return lookup


# --- Validation ----------------------------------------------------------------------------


class Context:
    """Lookups every row needs, loaded once per import (not per row)."""

    def __init__(self, venue):
        self.venue = venue
        self.venues_by_key = {}
        for pk, code, name in Venue.objects.values_list("pk", "code", "name"):
            self.venues_by_key[code] = pk
            self.venues_by_key.setdefault(name, pk)
        self.venue_names = dict(Venue.objects.values_list("pk", "name"))
        self.art_forms = dict(ArtForm.objects.values_list("name", "pk"))
        self.audiences = _choice_lookup(Audience.choices)
        self.fee_types = _choice_lookup(FeeType.choices)
        self._own_teachers = {}  # venue pk → {name: pk}
        self._shared_teachers = None  # name → [(pk, owner pk)] of shared teachers anywhere

    def owner(self, value):
        key = _text(value)
        if not key:
            if self.venue is None:
                raise CellError(_("未填写场馆（导入时未指定场馆，每行都须填写场馆代码或名称）。"))
            return self.venue.pk
        pk = self.venues_by_key.get(key)
        if pk is None:
            raise CellError(_("未知场馆「%(value)s」：请填写场馆代码或全称。") % {"value": key})
        if self.venue is not None and pk != self.venue.pk:
            raise CellError(
                _("该行属于「%(row_venue)s」，而本次导入到「%(venue)s」；不能导入其他场馆的数据。")
                % {"row_venue": self.venue_names[pk], "venue": self.venue.name}
            )
        return pk

    def art_form(self, name):
        pk = self.art_forms.get(name)
        if pk is None:
            raise CellError(
                _("未知艺术门类「%(value)s」，可选：%(choices)s。")
                % {"value": name, "choices": "、".join(self.art_forms) or _("（尚未设置）")}
            )
        return pk

    def teacher(self, name, owner_id):
        """A teacher of the course's own venue, else the one shared teacher of that name."""
        own = self._own_teachers.get(owner_id)
        if own is None:
            own = dict(Teacher.objects.filter(owner_id=owner_id).values_list("name", "pk"))
            self._own_teachers[owner_id] = own
        if name in own:
            return own[name]
        if self._shared_teachers is None:
            self._shared_teachers = {}
            shared = Teacher.objects.filter(visibility__in=[Visibility.PUBLIC, Visibility.STAFF])
            for pk, teacher_name, owner in shared.values_list("pk", "name", "owner_id"):
                self._shared_teachers.setdefault(teacher_name, []).append((pk, owner))
        candidates = [pk for pk, owner in self._shared_teachers.get(name, ()) if owner != owner_id]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            raise CellError(
                _("教师「%(name)s」在多个场馆都有，无法确定是哪一位；请先在本馆师资中添加。")
                % {"name": name}
            )
        raise CellError(
            _("未知教师「%(name)s」：须是本馆师资或其他场馆共享的师资，请先导入师资表。")
            % {"name": name}
        )


def _clean_teacher(number, cells, ctx):
    name = _text(cells["姓名"])
    if not name:
        raise _RowErrors([("姓名", _("姓名不能为空。"))])
    errors = []
    try:
        _check_length(name, Teacher, "name", "姓名")
    except CellError as exc:
        errors.append(("姓名", str(exc)))
    owner_id = art_form_ids = phone = None
    try:
        owner_id = ctx.owner(cells["所属场馆"])
    except CellError as exc:
        errors.append(("所属场馆", str(exc)))
    try:
        art_form_ids = tuple(
            dict.fromkeys(ctx.art_form(n) for n in _split_names(cells["艺术门类"]))
        )
    except CellError as exc:
        errors.append(("艺术门类", str(exc)))
    try:
        phone = _check_length(_parse_phone(cells["手机"]), Teacher, "phone", "手机")
    except CellError as exc:
        errors.append(("手机", str(exc)))
    if errors:
        raise _RowErrors(errors)
    return TeacherRow(
        number, owner_id, name, art_form_ids, phone, _text(cells["简介"]), _text(cells["资历"])
    )


def _clean_course(number, cells, ctx):
    errors = []

    def attempt(column, parse):
        try:
            return parse()
        except CellError as exc:
            errors.append((column, str(exc)))
            return None

    title = attempt(
        "课程名称", lambda: _check_length(_text(cells["课程名称"]), Course, "title", "课程名称")
    )
    if title == "":
        errors.append(("课程名称", _("课程名称不能为空。")))
    owner_id = attempt("开课场馆", lambda: ctx.owner(cells["开课场馆"]))
    art_form_name = _text(cells["艺术门类"])
    if art_form_name:
        art_form_id = attempt("艺术门类", lambda: ctx.art_form(art_form_name))
    else:
        art_form_id = None
        errors.append(("艺术门类", _("艺术门类不能为空。")))
    teacher_ids = ()
    if owner_id is not None:
        teacher_ids = attempt(
            "授课教师",
            lambda: tuple(
                dict.fromkeys(ctx.teacher(n, owner_id) for n in _split_names(cells["授课教师"]))
            ),
        )

    def choice(column, lookup, default, choices):
        text = _text(cells[column])
        if not text:
            return default
        if text not in lookup:
            with translation.override("zh-hans"):
                labels = "、".join(str(label) for _value, label in choices())
            raise CellError(
                _("「%(value)s」不是可选值，可选：%(choices)s。")
                % {"value": text, "choices": labels}
            )
        return lookup[text]

    audience = attempt(
        "适合人群",
        lambda: choice("适合人群", ctx.audiences, Audience.ALL, lambda: Audience.choices),
    )
    fee_type = attempt(
        "收费类型", lambda: choice("收费类型", ctx.fee_types, FeeType.FREE, lambda: FeeType.choices)
    )
    fee_amount = None
    if _text(cells["费用"]):
        fee_amount = attempt("费用", lambda: _parse_fee(cells["费用"]))
        if fee_type == FeeType.FREE and fee_amount:
            errors.append(("费用", _("收费类型为“免费”的课程，费用应留空或填 0。")))
    elif fee_type in (FeeType.LOW, FeeType.CHARGED):
        errors.append(("费用", _("收费课程须填写费用。")))
    capacity = None
    if _text(cells["名额"]):
        capacity = attempt("名额", lambda: _parse_capacity(cells["名额"]))
    else:
        errors.append(("名额", _("名额不能为空。")))
    start_date = end_date = None
    if _text(cells["开始日期"]):
        start_date = attempt("开始日期", lambda: _parse_date(cells["开始日期"]))
    else:
        errors.append(("开始日期", _("开始日期不能为空。")))
    if _text(cells["结束日期"]):
        end_date = attempt("结束日期", lambda: _parse_date(cells["结束日期"]))
        if start_date and end_date and end_date < start_date:
            errors.append(
                (
                    "结束日期",
                    _("结束日期 %(end)s 早于开始日期 %(start)s。")
                    % {"end": end_date.isoformat(), "start": start_date.isoformat()},
                )
            )
    schedule_note = attempt(
        "上课时间",
        lambda: _check_length(_text(cells["上课时间"]), Course, "schedule_note", "上课时间"),
    )
    if errors:
        raise _RowErrors(errors)
    return CourseRow(
        number,
        owner_id,
        title,
        art_form_id,
        teacher_ids,
        audience,
        fee_type,
        fee_amount,
        capacity,
        start_date,
        end_date,
        schedule_note,
        _text(cells["简介"]),
    )


class _RowErrors(Exception):
    def __init__(self, errors):
        self.errors = errors


@dataclass(frozen=True)
class Kind:
    name: str
    headers: tuple
    clean: object
    key_columns: tuple  # shown when a row repeats another

    def key(self, row):
        if self.name == "teachers":
            return (row.owner_id, row.name)
        return (row.owner_id, row.title, row.start_date)


TEACHERS = Kind("teachers", TEACHER_HEADERS, _clean_teacher, ("所属场馆", "姓名"))
COURSES = Kind("courses", COURSE_HEADERS, _clean_course, ("开课场馆", "课程名称", "开始日期"))


def _headers_text(headers):
    return "、".join(headers)


def _recognise_header(values):
    """The kind of file and the position of each column, or ImportFileError naming the
    expected headers."""
    header = [_normalise_header(v) for v in values]
    while header and not header[-1]:
        header.pop()
    present = [h for h in header if h]
    for kind in (TEACHERS, COURSES):
        if sorted(present) == sorted(kind.headers) and len(present) == len(header):
            return kind, {name: header.index(name) for name in kind.headers}
    guess = COURSES if "课程名称" in present else TEACHERS if "姓名" in present else None
    expected = _("师资表的表头应为：%(teachers)s；课程表的表头应为：%(courses)s。") % {
        "teachers": _headers_text(TEACHER_HEADERS),
        "courses": _headers_text(COURSE_HEADERS),
    }
    if guess is None:
        raise ImportFileError(
            _("第一行不是可识别的表头（读到：%(found)s）。") % {"found": _headers_text(present)}
            + expected
        )
    problems = []
    missing = [h for h in guess.headers if h not in present]
    extra = [h for h in present if h not in guess.headers]
    repeated = sorted({h for h in present if present.count(h) > 1})
    if missing:
        problems.append(_("缺少列：%(columns)s") % {"columns": _headers_text(missing)})
    if extra:
        problems.append(_("无法识别的列：%(columns)s") % {"columns": _headers_text(extra)})
    if repeated:
        problems.append(_("重复的列：%(columns)s") % {"columns": _headers_text(repeated)})
    if len(present) != len(header):
        problems.append(_("表头中有空白列"))
    raise ImportFileError(
        _("%(kind)s表的表头不正确（%(problems)s）。")
        % {"kind": _("课程") if guess is COURSES else _("师资"), "problems": "；".join(problems)}
        + _("表头应为：%(expected)s（顺序不限）。") % {"expected": _headers_text(guess.headers)}
    )


def read_and_validate(table, venue=None, report=None, progress=None):
    """Read every row of `table` and validate it. Returns (kind, cleaned rows); problems go to
    `report`. `progress(advance)` is called as rows are read."""
    report = report or ImportReport()
    ctx = Context(venue)
    kind = columns = None
    cleaned = []
    first_row = {}  # natural key → row number where it first appeared
    for number, values in table:
        if progress:
            progress(1)
        if _is_blank(values):
            continue
        if kind is None:
            kind, columns = _recognise_header(values)
            report.kind = kind.name
            continue
        report.rows += 1
        cells = {
            name: (values[index] if index < len(values) else None)
            for name, index in columns.items()
        }
        try:
            row = kind.clean(number, cells, ctx)
        except _RowErrors as exc:
            for column, message in exc.errors:
                report.add_error(number, column, message)
            continue
        key = kind.key(row)
        if key in first_row:
            report.add_error(
                number,
                kind.key_columns[-1],
                _("与第 %(row)d 行重复（%(columns)s相同）。")
                % {"row": first_row[key], "columns": "、".join(kind.key_columns)},
            )
            continue
        first_row[key] = number
        cleaned.append(row)
    if kind is None:
        raise ImportFileError(
            _("文件是空的。")
            + _("师资表的表头应为：%(teachers)s；课程表的表头应为：%(courses)s。")
            % {
                "teachers": _headers_text(TEACHER_HEADERS),
                "courses": _headers_text(COURSE_HEADERS),
            }
        )
    if report.rows == 0:
        report.add_error(None, "", _("文件只有表头，没有数据行。"))
    return kind, cleaned


# --- Writing -------------------------------------------------------------------------------


def _batches(rows, size):
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _write_teachers(rows, batch_size, report, progress):
    through = Teacher.art_forms.through
    touched = []
    now = timezone.now()
    for batch in _batches(rows, batch_size):
        existing = {
            (owner, name): pk
            for pk, owner, name in Teacher.objects.filter(
                owner_id__in={r.owner_id for r in batch}, name__in={r.name for r in batch}
            ).values_list("pk", "owner_id", "name")
        }
        new, changed = [], []
        for r in batch:
            teacher = Teacher(
                pk=existing.get((r.owner_id, r.name)),
                owner_id=r.owner_id,
                name=r.name,
                phone=r.phone,
                bio=r.bio,
                qualifications=r.qualifications,
                updated_at=now,
            )
            (changed if teacher.pk else new).append((teacher, r.art_form_ids))
        _save_batch(Teacher, new, changed, ["phone", "bio", "qualifications", "updated_at"])
        _replace_links(through, "teacher_id", "artform_id", new, changed)
        report.created += len(new)
        report.updated += len(changed)
        touched.extend(t.pk for t, _links in new + changed)
        if progress:
            progress(len(batch))
    return touched


def _write_courses(rows, batch_size, report, progress):
    through = Course.teachers.through
    fields = [
        "art_form",
        "audience",
        "fee_type",
        "fee_amount",
        "capacity",
        "end_date",
        "schedule_note",
        "description",
        "updated_at",
    ]
    touched = []
    now = timezone.now()
    for batch in _batches(rows, batch_size):
        existing = {
            (owner, title, start): pk
            for pk, owner, title, start in Course.objects.filter(
                owner_id__in={r.owner_id for r in batch}, title__in={r.title for r in batch}
            ).values_list("pk", "owner_id", "title", "start_date")
        }
        new, changed = [], []
        for r in batch:
            course = Course(
                pk=existing.get((r.owner_id, r.title, r.start_date)),
                owner_id=r.owner_id,
                title=r.title,
                start_date=r.start_date,
                art_form_id=r.art_form_id,
                audience=r.audience,
                fee_type=r.fee_type,
                fee_amount=r.fee_amount,
                capacity=r.capacity,
                end_date=r.end_date,
                schedule_note=r.schedule_note,
                description=r.description,
                updated_at=now,
            )
            (changed if course.pk else new).append((course, r.teacher_ids))
        _save_batch(Course, new, changed, fields)
        _replace_links(through, "course_id", "teacher_id", new, changed)
        report.created += len(new)
        report.updated += len(changed)
        touched.extend(c.pk for c, _links in new + changed)
        if progress:
            progress(len(batch))
    return touched


def _save_batch(model, new, changed, fields):
    """new/changed: [(unsaved or existing instance, linked pks)]."""
    model.objects.bulk_create([obj for obj, _links in new])
    if any(obj.pk is None for obj, _links in new):
        # A backend that cannot return ids from a bulk insert: fetch them by natural key.
        raise RuntimeError("the database must return primary keys from bulk_create")
    _update_rows(model, [obj for obj, _links in changed], fields)


def _update_rows(model, objects, fields):
    """One parametrised UPDATE per row, sent with executemany. Django's bulk_update builds a
    CASE WHEN per field and row, which costs seconds of Python per thousand rows."""
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # nosec B608: quoted model table/column names; values are parameters
        quote(model._meta.db_table),
        ", ".join(f"{quote(column.column)} = %s" for column in columns),
        quote(model._meta.pk.column),
    )
    params = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for column in columns]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _replace_links(through, own_field, other_field, new, changed):
    """Set many-to-many links in bulk: drop those of updated entries, insert the file's."""
    if changed:
        through.objects.filter(**{f"{own_field}__in": [obj.pk for obj, _l in changed]}).delete()
    through.objects.bulk_create(
        [
            through(**{own_field: obj.pk, other_field: other})
            for obj, others in new + changed
            for other in others
        ]
    )


def enqueue_search_reindex(model, pks):
    """Bulk writes skip post_save, so Wagtail never indexes these rows by itself: queue one
    background reindex of them once the import has committed (nothing is queued on rollback)."""
    from .tasks import reindex_catalogue_entries

    if pks:
        transaction.on_commit(
            partial(reindex_catalogue_entries.enqueue, model._meta.label, list(pks))
        )


def import_catalogue(
    source, *, filename="", venue=None, batch_size=DEFAULT_BATCH_SIZE, progress=None
):
    """Import a teachers or courses file. All or nothing; returns an ImportReport.

    `source` is a path or a binary file object; `venue` (a Venue, optional) is the venue every
    row must belong to and the one used when a row leaves its venue column empty.
    `progress(phase, advance, total)` is told about reading ("校验") and writing ("写入")."""
    report = ImportReport()
    try:
        table = open_table(source, filename)
    except ImportFileError as exc:
        report.add_error(None, "", str(exc))
        return report
    try:
        read_progress = partial(progress, "校验", total=table.total_hint) if progress else None
        kind, rows = read_and_validate(table, venue, report, read_progress)
    except ImportFileError as exc:
        report.add_error(None, "", str(exc))
        return report
    finally:
        table.close()
    if not report.ok:
        return report
    write_progress = partial(progress, "写入", total=len(rows)) if progress else None
    model, write = (Teacher, _write_teachers) if kind is TEACHERS else (Course, _write_courses)
    try:
        with transaction.atomic():
            touched = write(rows, batch_size, report, write_progress)
            enqueue_search_reindex(model, touched)
    except IntegrityError as exc:
        # Validation passed, so someone changed the catalogue meanwhile; nothing was written.
        report.created = report.updated = 0
        report.add_error(
            None,
            "",
            _("写入时与已有数据冲突，未导入任何数据，请重试。（%(error)s）") % {"error": exc},
        )
    return report
