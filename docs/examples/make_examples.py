"""Regenerate the example import files: python docs/examples/make_examples.py

teachers.csv (UTF-8 with BOM, so Excel opens it correctly) and courses.xlsx (real date and
number cells). They import into the demo network's 醴陵市文化馆 (liling-main):
    python manage.py import_catalogue docs/examples/teachers.csv --venue liling-main
    python manage.py import_catalogue docs/examples/courses.xlsx --venue liling-main
"""

import csv
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent

TEACHERS = [
    ("姓名", "艺术门类", "所属场馆", "手机", "简介", "资历"),
    (
        "李湘云",
        "声乐",
        "liling-main",
        "13812341234",
        "民族唱法，长期辅导社区合唱团。",
        "国家二级演员",
    ),
    (
        "王建国",
        "书法、美术",
        "醴陵市文化馆",
        "0731-23456789",
        "擅长楷书、行书。",
        "中国书法家协会会员",
    ),
    ("陈小芳", "舞蹈", "", "139 0731 5678", "少儿舞蹈、广场舞编排。", "群文舞蹈大赛金奖"),
]

COURSES = [
    (
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
    ),
    (
        "社区合唱基础班",
        "声乐",
        "李湘云",
        "liling-main",
        "中老年",
        "免费",
        None,
        40,
        date(2026, 3, 7),
        date(2026, 6, 27),
        "每周六 09:00-11:00",
        "发声、识谱与合唱基础。",
    ),
    (
        "少儿舞蹈启蒙",
        "舞蹈",
        "陈小芳",
        "",
        "少儿",
        "低收费",
        200,
        25,
        date(2026, 3, 8),
        date(2026, 6, 28),
        "每周日 14:30-16:00",
        "4—8 岁，培养节奏感与形体。",
    ),
    (
        "书法提高班",
        "书法",
        "王建国、李湘云",
        "醴陵市文化馆",
        "全龄",
        "收费",
        680.5,
        20,
        "2026/4/1",
        "2026/7/31",
        "每周三 19:00-21:00",
        "行书临帖与创作。",
    ),
]


def main():
    with open(HERE / "teachers.csv", "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(TEACHERS)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "课程"
    for row in COURSES:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in ("I", "J"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    workbook.save(HERE / "courses.xlsx")


if __name__ == "__main__":
    main()
