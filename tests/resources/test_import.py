"""Import of teachers and courses from .xlsx / .csv: all or nothing, idempotent, row-by-row report."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import Workbook
from wagtail.search.backends import get_search_backend

from network.plan import Audience, FeeType
from resources import importing
from resources.importing import COURSE_HEADERS, TEACHER_HEADERS, import_catalogue
from resources.models import ArtForm, Course, Teacher
from resources.vocab import Visibility
from tests.factories import editor_of, make_user

pytestmark = pytest.mark.django_db


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def course(title="少儿舞蹈启蒙", **cells):
    values = {
        "课程名称": title,
        "艺术门类": "舞蹈",
        "授课教师": "张老师",
        "开课场馆": "liling-main",
        "适合人群": "少儿",
        "收费类型": "免费",
        "费用": "",
        "名额": "30",
        "开始日期": "2026-03-01",
        "结束日期": "2026-06-30",
        "上课时间": "每周六 09:00-11:00",
        "简介": "零基础",
    }
    values.update(cells)
    return [values[h] for h in COURSE_HEADERS]


def teacher(name="刘老师", **cells):
    values = {
        "姓名": name,
        "艺术门类": "声乐、舞蹈",
        "所属场馆": "liling-main",
        "手机": "13812341234",
        "简介": "从事声乐教学二十年",
        "资历": "国家二级演员",
    }
    values.update(cells)
    return [values[h] for h in TEACHER_HEADERS]


@pytest.fixture
def catalogue(network):
    for order, name in enumerate(["声乐", "舞蹈", "书法", "戏曲"]):
        ArtForm.objects.get_or_create(name=name, defaults={"sort_order": order})
    liling, youxian = network["liling"], network["youxian"]
    Teacher.objects.create(owner=liling, name="张老师")
    Teacher.objects.create(owner=liling, name="本馆专用", visibility=Visibility.OWNER)
    Teacher.objects.create(owner=youxian, name="攸县共享", visibility=Visibility.STAFF)
    Teacher.objects.create(owner=youxian, name="攸县专用", visibility=Visibility.OWNER)
    return network


def counts():
    return (
        Teacher.objects.count(),
        Course.objects.count(),
        Teacher.art_forms.through.objects.count(),
        Course.teachers.through.objects.count(),
    )


def errors_of(report):
    return [(e.row, e.column, e.message) for e in report.errors]


# --- good files --------------------------------------------------------------------------


def test_teachers_csv_utf8_with_bom(catalogue, tmp_path):
    path = write_csv(
        tmp_path / "teachers.csv",
        [
            TEACHER_HEADERS,
            teacher("刘老师"),
            teacher("陈老师", 艺术门类="书法", 手机="0731-22334455", 所属场馆="醴陵市文化馆"),
            teacher("周老师", 艺术门类="", 手机="138 1234 5678", 所属场馆=""),
        ],
        encoding="utf-8-sig",
    )

    report = import_catalogue(path, venue=catalogue["liling"])

    assert report.ok, errors_of(report)
    assert (report.kind, report.rows, report.created, report.updated) == ("teachers", 3, 3, 0)
    liu = Teacher.objects.get(owner=catalogue["liling"], name="刘老师")
    assert sorted(a.name for a in liu.art_forms.all()) == ["声乐", "舞蹈"]
    assert (liu.phone, liu.bio, liu.qualifications) == (
        "13812341234",
        "从事声乐教学二十年",
        "国家二级演员",
    )
    assert liu.visibility == Visibility.PUBLIC
    chen = Teacher.objects.get(name="陈老师")
    assert chen.owner == catalogue["liling"]  # by the venue's name
    assert chen.phone == "0731-22334455"
    assert Teacher.objects.get(name="周老师").phone == "13812345678"


def test_courses_csv_gbk(catalogue, tmp_path):
    path = write_csv(
        tmp_path / "courses.csv",
        [
            COURSE_HEADERS,
            course(
                "戏曲唱腔入门", 艺术门类="戏曲", 授课教师="张老师、攸县共享", 开始日期="2026/3/1"
            ),
            course(
                "老年合唱",
                艺术门类="声乐",
                授课教师="",
                适合人群="中老年",
                收费类型="低收费",
                费用="120.50",
                名额="40",
                开始日期="2026/9/1",
                结束日期="2026/12/31",
            ),
        ],
        encoding="gbk",
    )
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # really a GBK file

    report = import_catalogue(path, venue=catalogue["liling"])

    assert report.ok, errors_of(report)
    assert (report.kind, report.created) == ("courses", 2)
    opera = Course.objects.get(title="戏曲唱腔入门")
    assert opera.owner == catalogue["liling"]
    assert opera.art_form.name == "戏曲"
    assert opera.start_date == date(2026, 3, 1)
    # Own teacher and another venue's shared (staff-visible) teacher.
    assert sorted(t.name for t in opera.teachers.all()) == ["张老师", "攸县共享"]
    choir = Course.objects.get(title="老年合唱")
    assert (choir.audience, choir.fee_type, choir.fee_amount, choir.capacity) == (
        Audience.SENIORS,
        FeeType.LOW,
        Decimal("120.50"),
        40,
    )
    assert (choir.start_date, choir.end_date) == (date(2026, 9, 1), date(2026, 12, 31))
    assert not choir.teachers.exists()


def test_courses_xlsx_with_date_and_number_cells(catalogue, tmp_path):
    path = write_xlsx(
        tmp_path / "courses.xlsx",
        [
            COURSE_HEADERS,
            course(开课场馆="", 开始日期=datetime(2026, 3, 1), 结束日期=date(2026, 6, 30), 名额=25),
            [],  # blank rows are skipped, not errors
            course(
                "书法提高班",
                艺术门类="书法",
                开课场馆=None,
                收费类型="收费",
                费用=300,
                名额=20.0,
                开始日期="2026-04-01",
                结束日期=None,
                适合人群="全龄",
            ),
        ],
    )

    report = import_catalogue(path, venue=catalogue["liling"])

    assert report.ok, errors_of(report)
    assert (report.rows, report.created) == (2, 2)
    dance = Course.objects.get(title="少儿舞蹈启蒙")
    assert (dance.start_date, dance.end_date, dance.capacity) == (
        date(2026, 3, 1),
        date(2026, 6, 30),
        25,
    )
    assert dance.owner == catalogue["liling"]
    assert dance.audience == Audience.CHILDREN
    calligraphy = Course.objects.get(title="书法提高班")
    assert (calligraphy.fee_type, calligraphy.fee_amount, calligraphy.capacity) == (
        FeeType.CHARGED,
        Decimal("300.00"),
        20,
    )
    assert calligraphy.end_date is None


def test_reimport_updates_instead_of_duplicating(catalogue, tmp_path):
    liling = catalogue["liling"]
    first = [COURSE_HEADERS, course(), course("书法提高班", 艺术门类="书法")]
    import_catalogue(write_csv(tmp_path / "a.csv", first), venue=liling)
    before = counts()
    created_at = Course.objects.get(title="少儿舞蹈启蒙").created_at

    again = import_catalogue(write_csv(tmp_path / "a.csv", first), venue=liling)
    assert (again.created, again.updated) == (0, 2)
    assert counts() == before

    changed = [
        COURSE_HEADERS,
        course(名额="45", 授课教师="攸县共享", 简介="新简介"),
        course("书法提高班", 艺术门类="书法"),
    ]
    report = import_catalogue(write_xlsx(tmp_path / "b.xlsx", changed), venue=liling)

    assert (report.created, report.updated) == (0, 2)
    assert counts() == before
    dance = Course.objects.get(title="少儿舞蹈启蒙")
    assert (dance.capacity, dance.description) == (45, "新简介")
    assert [t.name for t in dance.teachers.all()] == ["攸县共享"]  # links replaced
    assert dance.created_at == created_at
    assert dance.updated_at > created_at

    # A different start date is a different course run: it is added.
    report = import_catalogue(
        write_csv(
            tmp_path / "c.csv",
            [COURSE_HEADERS, course(开始日期="2026-09-01", 结束日期="2026-12-31")],
        ),
        venue=liling,
    )
    assert report.created == 1
    assert Course.objects.filter(title="少儿舞蹈启蒙").count() == 2


def test_teacher_reimport_keeps_visibility_and_replaces_art_forms(catalogue, tmp_path):
    liling = catalogue["liling"]
    import_catalogue(write_csv(tmp_path / "t.csv", [TEACHER_HEADERS, teacher()]), venue=liling)
    Teacher.objects.filter(name="刘老师").update(visibility=Visibility.STAFF)
    before = counts()

    rows = [TEACHER_HEADERS, teacher(艺术门类="书法", 手机="13900001111")]
    report = import_catalogue(write_csv(tmp_path / "t.csv", rows), venue=liling)

    assert (report.created, report.updated) == (0, 1)
    liu = Teacher.objects.get(name="刘老师")
    assert [a.name for a in liu.art_forms.all()] == ["书法"]
    assert liu.phone == "13900001111"
    assert liu.visibility == Visibility.STAFF  # not in the file, left alone
    assert counts()[:2] == before[:2]


def test_without_venue_each_row_names_its_venue(catalogue, tmp_path):
    rows = [
        TEACHER_HEADERS,
        teacher("甲", 所属场馆="liling-main"),
        teacher("乙", 所属场馆="youxian-main"),
        teacher("丙", 所属场馆=""),
    ]
    report = import_catalogue(write_csv(tmp_path / "t.csv", rows))
    assert errors_of(report) == [(4, "所属场馆", mock.ANY)]
    assert "每行都须填写场馆" in report.errors[0].message

    report = import_catalogue(write_csv(tmp_path / "t.csv", rows[:3]))
    assert report.ok
    assert Teacher.objects.get(name="乙").owner == catalogue["youxian"]


def test_reindex_is_enqueued_after_commit(catalogue, tmp_path, django_capture_on_commit_callbacks):
    from django_tasks import task_backends

    path = write_csv(tmp_path / "c.csv", [COURSE_HEADERS, course("Guzheng 古筝")])
    with (
        mock.patch.object(task_backends["default"], "enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        report = import_catalogue(path, venue=catalogue["liling"])
    assert report.ok
    assert len(callbacks) == 1
    ((task, args, kwargs),) = [c.args for c in enqueue.call_args_list]
    assert task.name == "reindex_catalogue_entries"
    assert args == ("resources.Course", [Course.objects.get().pk])


def test_reindex_task_makes_imported_rows_searchable(catalogue, tmp_path):
    from resources.tasks import reindex_catalogue_entries

    import_catalogue(
        write_csv(tmp_path / "c.csv", [COURSE_HEADERS, course("Guzheng 古筝", 艺术门类="声乐")]),
        venue=catalogue["liling"],
    )
    imported = Course.objects.get()
    backend = get_search_backend()
    assert list(backend.search("Guzheng", Course)) == []  # bulk_create skipped the signals

    result = reindex_catalogue_entries.enqueue("resources.Course", [imported.pk])

    assert result.return_value == 1
    assert list(backend.search("Guzheng", Course)) == [imported]


# --- bad files: nothing imported, a row-by-row report --------------------------------------


def test_wrong_header_names_the_expected_headers(catalogue, tmp_path):
    header = [h for h in COURSE_HEADERS if h != "名额"] + ["人数"]
    report = import_catalogue(write_csv(tmp_path / "c.csv", [header, course()]))
    assert len(report.errors) == 1
    error = report.errors[0]
    assert error.row is None
    assert "缺少列：名额" in error.message
    assert "无法识别的列：人数" in error.message
    assert "、".join(COURSE_HEADERS) in error.message

    report = import_catalogue(write_csv(tmp_path / "x.csv", [["name", "phone"], ["a", "b"]]))
    assert "、".join(TEACHER_HEADERS) in report.errors[0].message
    assert "、".join(COURSE_HEADERS) in report.errors[0].message
    assert Course.objects.count() == 0


def test_undecodable_csv_says_so(catalogue, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("课程名称".encode("utf-16"))
    report = import_catalogue(path)
    assert [e.message for e in report.errors] == [mock.ANY]
    assert "既不是 UTF-8 也不是 GBK" in report.errors[0].message


def test_old_xls_is_refused(catalogue, tmp_path):
    path = tmp_path / "c.xls"
    path.write_bytes(importing.OLE2_MAGIC + b"\0" * 100)
    report = import_catalogue(path)
    assert ".xls" in report.errors[0].message


BAD_COURSES = [
    ({"开课场馆": "nowhere"}, "开课场馆", "未知场馆「nowhere」", "unknown-venue"),
    ({"开课场馆": "youxian-main"}, "开课场馆", "不能导入其他场馆的数据", "other-venue"),
    ({"授课教师": "张老师、王不在"}, "授课教师", "未知教师「王不在」", "unknown-teacher"),
    # Another venue's owner-only teacher is invisible, so unknown too.
    ({"授课教师": "攸县专用"}, "授课教师", "未知教师「攸县专用」", "private-teacher"),
    ({"艺术门类": "街舞"}, "艺术门类", "未知艺术门类「街舞」", "unknown-art-form"),
    ({"开始日期": "2026-13-01"}, "开始日期", "不存在", "impossible-date"),
    ({"开始日期": "下周一"}, "开始日期", "不是有效日期", "bad-date"),
    (
        {"开始日期": "2026-06-01", "结束日期": "2026/5/1"},
        "结束日期",
        "早于开始日期",
        "end-first",
    ),
    ({"收费类型": "收费", "费用": "-10"}, "费用", "不能为负数", "negative-fee"),
    ({"收费类型": "收费", "费用": "十元"}, "费用", "不是数字", "text-fee"),
    ({"名额": "-5"}, "名额", "正整数", "negative-capacity"),
    ({"名额": "很多"}, "名额", "不是数字", "text-capacity"),
    ({"名额": ""}, "名额", "不能为空", "no-capacity"),
    ({"适合人群": "老人"}, "适合人群", "少儿、青年、中老年、全龄", "bad-audience"),
    ({"收费类型": "收费", "费用": ""}, "费用", "须填写费用", "charged-no-fee"),
]


def test_each_bad_last_row_imports_nothing(catalogue, tmp_path):
    """Five good rows, then one bad row: the report names row 7, its column and the reason,
    and nothing at all is written — in .csv and .xlsx."""
    good = [course(f"课程{n}") for n in range(5)]
    before = counts()
    outcomes, expected = {}, {}
    for cells, column, reason, case in BAD_COURSES:
        for fmt, write in (("csv", write_csv), ("xlsx", write_xlsx)):
            path = write(
                tmp_path / f"{case}.{fmt}", [COURSE_HEADERS, *good, course("末行", **cells)]
            )
            report = import_catalogue(path, venue=catalogue["liling"])
            outcomes[case, fmt] = [
                (
                    e.row,
                    e.column,
                    reason in e.message,
                    str(e).startswith(f"第 7 行「{column}」列："),
                )
                for e in report.errors
            ] + [counts() == before]
            expected[case, fmt] = [(7, column, True, True), True]  # header is row 1
    assert outcomes == expected


def test_duplicate_row_is_reported_against_the_first(catalogue, tmp_path):
    rows = [
        COURSE_HEADERS,
        course("声乐基础"),
        course("舞蹈基础"),
        course("声乐基础", 名额="50"),  # same venue, title and start date as row 2
    ]
    before = counts()
    report = import_catalogue(write_csv(tmp_path / "c.csv", rows), venue=catalogue["liling"])
    assert errors_of(report) == [(4, "开始日期", mock.ANY)]
    assert "与第 2 行重复" in report.errors[0].message
    assert counts() == before

    rows = [TEACHER_HEADERS, teacher("刘老师"), teacher("刘老师", 所属场馆="醴陵市文化馆")]
    report = import_catalogue(write_csv(tmp_path / "t.csv", rows), venue=catalogue["liling"])
    assert errors_of(report) == [(3, "姓名", mock.ANY)]
    assert counts() == before


def test_bad_phone_and_several_errors_in_one_row(catalogue, tmp_path):
    rows = [
        TEACHER_HEADERS,
        teacher("好老师"),
        teacher("错老师", 手机="12345", 艺术门类="街舞", 所属场馆="nowhere"),
        teacher("", 手机="13812341234"),
        teacher("长" * 51),
    ]
    report = import_catalogue(write_csv(tmp_path / "t.csv", rows), venue=catalogue["liling"])
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "所属场馆"),
        (3, "艺术门类"),
        (3, "手机"),
        (4, "姓名"),
        (5, "姓名"),
    ]
    assert "11 位手机号或带区号的固定电话" in report.errors[2].message
    assert not Teacher.objects.filter(name="好老师").exists()


def test_row_numbers_match_the_spreadsheet_with_multiline_cells(catalogue, tmp_path):
    rows = [COURSE_HEADERS, course(简介="第一行\n第二行"), course("B", 开始日期="bad")]
    report = import_catalogue(write_csv(tmp_path / "c.csv", rows), venue=catalogue["liling"])
    assert [(e.row, e.column) for e in report.errors] == [(3, "开始日期")]


def test_failure_in_a_later_batch_rolls_back_earlier_batches(catalogue, tmp_path):
    rows = [COURSE_HEADERS, *(course(f"课程{n}") for n in range(6))]
    path = write_csv(tmp_path / "c.csv", rows)
    before = counts()
    real = importing._replace_links
    calls = []

    def fail_on_third_batch(*args):
        calls.append(1)
        if len(calls) == 3:
            raise IntegrityError("simulated concurrent write")
        return real(*args)

    with mock.patch.object(importing, "_replace_links", fail_on_third_batch):
        report = import_catalogue(path, venue=catalogue["liling"], batch_size=2)

    assert len(calls) == 3
    assert (report.created, report.updated) == (0, 0)
    assert "未导入任何数据" in report.errors[0].message
    assert counts() == before


# --- management command --------------------------------------------------------------------


def test_command_imports_and_reports(catalogue, tmp_path):
    path = write_xlsx(
        tmp_path / "c.xlsx", [COURSE_HEADERS, course(), course("书法", 艺术门类="书法")]
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import_catalogue", str(path), venue="liling-main", stdout=out, stderr=err)
    assert "新增 2" in out.getvalue()
    assert Course.objects.filter(owner=catalogue["liling"]).count() == 2


def test_command_failure_lists_rows_and_exits_nonzero(catalogue, tmp_path):
    path = write_csv(tmp_path / "c.csv", [COURSE_HEADERS, course(), course("坏", 名额="x")])
    err = io.StringIO()
    with pytest.raises(CommandError, match="共 1 处错误，未导入任何数据"):
        call_command("import_catalogue", str(path), venue="liling-main", stderr=err)
    assert "第 3 行「名额」列" in err.getvalue()
    assert Course.objects.count() == 0

    with pytest.raises(CommandError, match="未知场馆代码"):
        call_command("import_catalogue", str(path), venue="nowhere")


# --- admin view ----------------------------------------------------------------------------


def upload(name, rows, fmt="csv"):
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_admin_upload_good_file(client, catalogue):
    editor = editor_of(catalogue["liling"])
    client.force_login(editor)
    url = reverse("resources_import")

    page = client.get(url)
    assert page.status_code == 200
    venues = list(page.context["form"].fields["venue"].queryset)
    assert venues == [catalogue["liling"]]  # only the editor's own venue is offered

    response = client.post(
        url,
        {
            "venue": catalogue["liling"].pk,
            "file": upload("courses.xlsx", [COURSE_HEADERS, course()], "xlsx"),
        },
    )
    assert response.status_code == 200
    assert response.context["report"].ok
    assert "导入成功" in response.content.decode()
    assert Course.objects.get().owner == catalogue["liling"]


def test_admin_upload_bad_file_shows_report(client, catalogue):
    client.force_login(editor_of(catalogue["liling"]))
    before = counts()
    response = client.post(
        reverse("resources_import"),
        {
            "venue": catalogue["liling"].pk,
            "file": upload("c.csv", [COURSE_HEADERS, course(), course("坏", 授课教师="无名氏")]),
        },
    )
    html = response.content.decode()
    assert "未导入任何数据" in html
    assert "未知教师「无名氏」" in html
    assert errors_of(response.context["report"]) == [(3, "授课教师", mock.ANY)]
    assert counts() == before


def test_admin_crafted_venue_is_refused(client, catalogue):
    client.force_login(editor_of(catalogue["liling"]))
    rows = [COURSE_HEADERS, course(开课场馆="")]
    response = client.post(
        reverse("resources_import"),
        {"venue": catalogue["youxian"].pk, "file": upload("c.csv", rows)},
    )
    assert response.status_code == 200
    assert "venue" in response.context["form"].errors
    assert response.context["report"] is None
    assert Course.objects.count() == 0

    # Naming the other venue in the file is refused too.
    rows = [COURSE_HEADERS, course(开课场馆="youxian-main")]
    response = client.post(
        reverse("resources_import"),
        {"venue": catalogue["liling"].pk, "file": upload("c.csv", rows)},
    )
    assert not response.context["report"].ok
    assert Course.objects.count() == 0


def test_admin_refuses_wrong_extension_and_outsiders(client, catalogue):
    client.force_login(editor_of(catalogue["liling"]))
    response = client.post(
        reverse("resources_import"),
        {
            "venue": catalogue["liling"].pk,
            "file": SimpleUploadedFile("c.txt", b"a,b"),
        },
    )
    assert "只能导入 .xlsx 或 .csv 文件" in response.context["form"].errors["file"][0]

    client.logout()
    assert client.get(reverse("resources_import")).status_code == 302  # to the login page

    nobody = make_user("nobody")  # no admin access
    client.force_login(nobody)
    response = client.get(reverse("resources_import"))
    assert response.status_code in (302, 403)
    assert Course.objects.count() == 0


def test_superuser_may_import_into_any_venue(client, catalogue):
    client.force_login(make_user("hub-admin", superuser=True))
    response = client.get(reverse("resources_import"))
    assert set(response.context["form"].fields["venue"].queryset) == set(
        v for v in catalogue.values()
    )
    response = client.post(
        reverse("resources_import"),
        {
            "venue": catalogue["youxian"].pk,
            "file": upload("t.csv", [TEACHER_HEADERS, teacher(所属场馆="")]),
        },
    )
    assert response.context["report"].ok
    assert Teacher.objects.get(name="刘老师").owner == catalogue["youxian"]


def test_documented_example_files_import(catalogue):
    """docs/examples/ stays in step with the importer: teachers first, then their courses."""
    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    liling = catalogue["liling"]
    teachers = import_catalogue(examples / "teachers.csv", venue=liling)
    courses = import_catalogue(examples / "courses.xlsx", venue=liling)
    assert (teachers.ok, teachers.created, courses.ok, courses.created) == (True, 3, True, 3)
    calligraphy = Course.objects.get(title="书法提高班")
    assert sorted(t.name for t in calligraphy.teachers.all()) == ["李湘云", "王建国"]
    assert calligraphy.fee_amount == Decimal("680.50")
