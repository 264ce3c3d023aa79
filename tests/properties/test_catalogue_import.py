"""Properties of the catalogue import (teachers and courses, resources.importing): any file
gives a report instead of an exception, its messages are Chinese, a refused file writes
nothing, and what a good file writes is normalised (phones in ASCII, known venues only)."""

import re
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import event, given, settings
from hypothesis import strategies as st

from resources import importing
from resources.importing import import_catalogue
from resources.models import ArtForm, Course, Teacher
from resources.vocab import Visibility

from .uploads import is_chinese, uploads

pytestmark = pytest.mark.django_db

venues = st.sampled_from(["liling-main", "醴陵市文化馆", "", "youxian-main", "无名馆"])
art_forms = st.sampled_from(["声乐", "舞蹈", "声乐、舞蹈", "书法，声乐", "", "杂技"])
phones = st.sampled_from(
    [
        "13812341234",
        "0731-22334455",
        "138 1234 5678",
        "+86 13812345678",
        "１３８１２３４５６７８",
        "12345",
        "",
    ]
)
dates = st.sampled_from(["2026-03-01", "2026/3/1", "2026年3月1日", "2026-02-30", "", "明天"])
TEACHERS = {
    "姓名": st.sampled_from(["刘老师", "陈老师", "周老师", ""]),
    "艺术门类": art_forms,
    "所属场馆": venues,
    "手机": phones,
    "简介": st.text(max_size=20),
    "资历": st.text(max_size=20),
}
COURSES = {
    "课程名称": st.sampled_from(["少儿舞蹈启蒙", "书法提高班", "二胡入门", ""]),
    "艺术门类": art_forms,
    "授课教师": st.sampled_from(["张老师", "攸县共享", "张老师、攸县共享", "", "无名氏"]),
    "开课场馆": venues,
    "适合人群": st.sampled_from(["少儿", "all", "", "外星人"]),
    "收费类型": st.sampled_from(["免费", "低收费", "", "看心情"]),
    "费用": st.sampled_from(["", "0", "12.50", "12.345", "-1", "1e9", "30元"]),
    "名额": st.sampled_from(["30", "1", "0", "2.5", "", "三十"]),
    "开始日期": dates,
    "结束日期": dates,
    "上课时间": st.sampled_from(["每周六 09:00-11:00", "", "周日" * 60]),
    "简介": st.text(max_size=20),
}
LINKS = (Teacher.art_forms.through, Course.teachers.through)
PHONE = re.compile(r"(1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8}(-[0-9]{1,6})?)?")


@pytest.fixture
def catalogue(network):
    for name in ("声乐", "舞蹈", "书法"):
        ArtForm.objects.get_or_create(name=name)
    Teacher.objects.create(owner=network["liling"], name="张老师")
    Teacher.objects.create(owner=network["youxian"], name="攸县共享", visibility=Visibility.STAFF)
    return network


def snapshot():
    return [
        sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))
        for model in (Teacher, Course, *LINKS)
    ]


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@settings(max_examples=60)
@given(
    st.one_of(uploads(TEACHERS), uploads(COURSES)),
    st.sampled_from([None, "liling"]),
)
def test_any_file_gives_a_report_and_a_refused_one_writes_nothing(catalogue, upload, venue):
    before = snapshot()
    with rolled_back():
        report = import_catalogue(
            upload, filename=upload.name, venue=catalogue[venue] if venue else None
        )
        assert all(is_chinese(str(error)) for error in report.errors)
        if not report.ok:
            event("refused")
            assert report.errors and report.created == report.updated == 0
            assert snapshot() == before
            return
        event("imported")
        assert report.created + report.updated == report.rows > 0
        assert all(PHONE.fullmatch(p) for p in Teacher.objects.values_list("phone", flat=True))
        if venue:
            owners = {*Teacher.objects.values_list("owner", flat=True)}
            owners |= {*Course.objects.values_list("owner", flat=True)}
            assert owners <= {catalogue["liling"].pk, catalogue["youxian"].pk}


# --- single cells: each parser returns a clean value or raises its own Chinese CellError ---

cell_text = st.one_of(
    st.text(max_size=20),
    st.text("0123456789０１２３４５６７８９٠١٢٣+-— ()（）年月日/.元,", max_size=16),
)
cell_values = st.one_of(cell_text, st.integers(), st.floats(), st.booleans(), st.none())


def parsed_or_refused(parse, value):
    try:
        return parse(value)
    except importing.CellError as refused:
        assert is_chinese(str(refused))
        return None


# The same digit in ASCII, full width (what a Chinese input method types) and Arabic-Indic.
DIGIT_FORMS = {d: (d, chr(0xFF10 + int(d)), chr(0x0660 + int(d))) for d in "0123456789"}


@st.composite
def phones_in_mixed_digits(draw):
    phone = draw(st.sampled_from(["13812341234", "0731-22334455", "010-12345678-123"]))
    return "".join(draw(st.sampled_from(DIGIT_FORMS[c])) if c.isdigit() else c for c in phone)


@given(st.one_of(cell_text, phones_in_mixed_digits()))
def test_a_phone_cell_is_stored_in_ascii_or_refused(value):
    phone = parsed_or_refused(importing._parse_phone, value)
    assert phone is None or PHONE.fullmatch(phone)


@given(cell_values)
def test_fee_and_capacity_cells_are_in_range_or_refused(value):
    fee = parsed_or_refused(importing._parse_fee, value)
    assert fee is None or (0 <= fee < 10**8 and fee == fee.quantize(Decimal("0.01")))
    capacity = parsed_or_refused(importing._parse_capacity, value)
    assert capacity is None or (isinstance(capacity, int) and capacity >= 1)


@given(st.one_of(cell_values, st.dates(), st.datetimes()))
def test_a_date_cell_is_a_date_or_refused(value):
    parsed = parsed_or_refused(importing._parse_date, value)
    assert parsed is None or isinstance(parsed, date)
