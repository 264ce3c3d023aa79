"""Benchmark: import 10,000 courses from an .xlsx file through resources.importing.

    .venv/bin/python bench/bench_import.py                    # fresh SQLite file database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/culturehall .venv/bin/python bench/bench_import.py

A throw-away test database is created (all migrations), holding one hub venue, the seeded art
forms and 20 teachers (imported from a small teachers file). The generated workbook mixes real
Excel date cells with "2026/3/1" text dates, one or two teachers per course and every fee type.

Measured, in this order, on the same file:
  baseline  reading and parsing the workbook with openpyxl read_only (what the importer streams)
  import    first import: 10,000 new courses (validation + bulk_create + teacher links)
  re-import the same file again: 10,000 updates, no duplicates (bulk_update + links replaced)
  memory    a second first-import (courses deleted) under tracemalloc, for its Python peak

Wall times are measured without tracemalloc (it slows allocation-heavy code); the process's
peak RSS (ru_maxrss) is a high-water mark over everything so far, setup included. Limits: the
import must finish under 30 s and stay under 300 MB. Search indexing is queued (one task row,
django-tasks database backend as in production), not run; --reindex also times that task.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

LIMIT_SECONDS = 30
LIMIT_MB = 300
TEACHERS = 20


def rss_mb():
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(workdir):
    import django
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["TEST"] = {"NAME": str(workdir / "bench.sqlite3")}  # a file, not :memory:
    # As in production: indexing is enqueued as a task row, not run inside the import.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.LOGGING_CONFIG = None
    django.setup()

    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return connection, old_name


def make_network():
    from network.models import Venue
    from network.services import save_venue

    return save_venue(
        Venue(code="bench-hub", level="hub", name="株洲市群众艺术馆", district="天元区")
    )


def teacher_names():
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    return [f"{surnames[i]}老师" for i in range(TEACHERS)]


def write_teachers(path, art_forms):
    from openpyxl import Workbook

    from resources.importing import TEACHER_HEADERS

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(TEACHER_HEADERS)
    for i, name in enumerate(teacher_names()):
        sheet.append(
            [name, art_forms[i % len(art_forms)], "", f"139{i:08d}", "简介", "国家二级演员"]
        )
    workbook.save(path)


def write_courses(path, rows, art_forms):
    """Run in a child process, so building the workbook stays out of this process's peak RSS.
    A normal (not write_only) workbook is saved like Excel saves one: shared strings and a
    <dimension> tag (without it openpyxl's read_only mode parses the sheet twice)."""
    from openpyxl import Workbook

    from resources.importing import COURSE_HEADERS

    names = teacher_names()
    audiences = ["少儿", "青年", "中老年", "全龄"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "课程"
    sheet.append(COURSE_HEADERS)
    first = date(2026, 3, 1)
    for i in range(rows):
        start = first + timedelta(days=i % 120)
        end = start + timedelta(days=90)
        fee_type, fee = [("免费", None), ("低收费", 100 + i % 50), ("收费", 480.5)][i % 3]
        teachers = names[i % TEACHERS] + ("" if i % 2 else "、" + names[(i + 7) % TEACHERS])
        sheet.append(
            [
                f"{art_forms[i % len(art_forms)]}课程第{i:05d}期",
                art_forms[i % len(art_forms)],
                teachers,
                "" if i % 4 else "bench-hub",
                audiences[i % 4],
                fee_type,
                fee,
                20 + i % 30,
                # Real date cells and typed text dates, as real files mix them.
                datetime.combine(start, datetime.min.time()) if i % 2 else f"{start:%Y/%-m/%-d}",
                datetime.combine(end, datetime.min.time()) if i % 2 else end.isoformat(),
                "每周六 09:00-11:00",
                "面向社区居民的公益课程，循序渐进，适合零基础学员参加。" * 2,
            ]
        )
    for column in ("I", "J"):
        for cell in sheet[column][1:]:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd"
    workbook.save(path)


def generate(path, rows, art_forms):
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--generate",
            str(path),
            "--rows",
            str(rows),
            "--art-forms",
            ",".join(art_forms),
        ],
        check=True,
    )


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def baseline(path):
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return time.perf_counter() - started, count


def timed_import(path, venue):
    """(wall seconds, CPU seconds, report)"""
    from resources.importing import import_catalogue

    started, cpu = time.perf_counter(), cpu_seconds()
    report = import_catalogue(path, venue=venue)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if not report.ok:
        raise SystemExit("import failed:\n" + "\n".join(str(e) for e in report.errors[:20]))
    return elapsed, cpu, report


def delete_courses():
    from django.db import transaction

    from resources.models import Course

    with transaction.atomic():
        Course.teachers.through.objects.all()._raw_delete("default")
        Course.objects.all()._raw_delete("default")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--reindex", action="store_true", help="also time the search reindex task")
    parser.add_argument("--generate", metavar="PATH", help=argparse.SUPPRESS)
    parser.add_argument("--art-forms", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        import django

        django.setup()  # for the header constants; no database is used here
        write_courses(args.generate, args.rows, args.art_forms.split(","))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        connection, old_name = setup_django(workdir)
        try:
            return run(args, workdir, connection)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def run(args, workdir, connection):
    from resources.models import ArtForm, Course, Teacher

    venue = make_network()
    art_forms = list(ArtForm.objects.values_list("name", flat=True))
    write_teachers(workdir / "teachers.xlsx", art_forms)
    timed_import(workdir / "teachers.xlsx", venue)
    assert Teacher.objects.count() == TEACHERS
    path = workdir / "courses.xlsx"
    generate(path, args.rows, art_forms)
    size_kb = path.stat().st_size / 1024
    rss_setup = rss_mb()

    # Baseline: openpyxl alone, time and Python peak.
    tracemalloc.start()
    base_seconds, sheet_rows = baseline(path)
    base_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    base_cpu = cpu_seconds()
    base_seconds, _count = baseline(path)  # timed again without tracemalloc
    base_cpu = cpu_seconds() - base_cpu
    rss_baseline = rss_mb()

    import_seconds, import_cpu, report = timed_import(path, venue)
    assert (report.created, Course.objects.count()) == (args.rows, args.rows)
    rss_import = rss_mb()

    reimport_seconds, reimport_cpu, again = timed_import(path, venue)
    assert (again.created, again.updated, Course.objects.count()) == (0, args.rows, args.rows)

    delete_courses()
    tracemalloc.start()
    timed_import(path, venue)
    import_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss_end = rss_mb()

    print(f"Import of {args.rows:,} courses from .xlsx ({size_kb:,.0f} KB), {connection.vendor}")
    print(
        f"  load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
        "(wall time grows with other load; CPU time much less)"
    )
    print(
        f"  baseline = openpyxl read_only parse of the same file ({sheet_rows:,} rows): "
        f"{base_seconds:.2f} s wall, {base_cpu:.2f} s CPU, Python peak {base_peak:.1f} MB"
    )
    for label, wall, cpu in (
        ("import (all new)  ", import_seconds, import_cpu),
        ("re-import (update)", reimport_seconds, reimport_cpu),
    ):
        print(
            f"  {label}: {wall:6.2f} s wall = {wall / base_seconds:4.1f}x baseline, "
            f"{cpu:6.2f} s CPU = {cpu / base_cpu:4.1f}x baseline"
        )
    print(
        f"  import Python peak (tracemalloc): {import_peak:.1f} MB = "
        f"{import_peak / base_peak:.1f}x baseline"
    )
    print(
        f"  peak RSS (ru_maxrss, whole process): after setup {rss_setup:.0f} MB, after "
        f"baseline {rss_baseline:.0f} MB, after import {rss_import:.0f} MB, at end {rss_end:.0f} MB"
    )
    if args.reindex:
        from resources.tasks import reindex_catalogue_entries

        started = time.perf_counter()
        indexed = reindex_catalogue_entries.call(
            "resources.Course", list(Course.objects.values_list("pk", flat=True))
        )
        print(f"  search reindex task ({indexed:,} courses): {time.perf_counter() - started:.2f} s")

    checks = [
        ("import time", max(import_seconds, reimport_seconds), LIMIT_SECONDS, "s"),
        ("peak RSS", rss_end, LIMIT_MB, "MB"),
        ("Python peak", import_peak, LIMIT_MB, "MB"),
    ]
    ok = True
    for label, value, limit, unit in checks:
        passed = value < limit
        ok &= passed
        print(f"  {'PASS' if passed else 'FAIL'}: {label} {value:.1f} {unit} < {limit} {unit}")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
