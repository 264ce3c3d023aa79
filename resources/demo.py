"""Demo entries for the shared catalogue, loaded by `load_demo_data` after the venues.

Names of teachers are invented; phone numbers are fictitious. Heritage items are real items of
Zhuzhou's region, described only in general terms. Idempotent: entries are found by their
natural keys and never duplicated.
"""

from datetime import timedelta

from django.utils import timezone

from network.plan import Audience, FeeType

from .models import ArtForm, Course, HeritageItem, Programme, Teacher, TeachingAsset
from .vocab import (
    CourseLevel,
    CourseStatus,
    HeritageCategory,
    HeritageLevel,
    ProgrammeKind,
    TeachingAssetKind,
    Visibility,
)

# (venue code, name, art forms, phone, bio)
TEACHERS = [
    (
        "zhuzhou-hub",
        "周雅琴",
        ["声乐"],
        "13807330101",
        "市群艺馆声乐辅导老师，长期从事群众合唱指导。",
    ),
    ("zhuzhou-hub", "罗国华", ["书法"], "13807330102", "市书法家协会会员，擅长楷书、隶书教学。"),
    ("liling-main", "陈建平", ["非遗技艺", "美术"], "13907330103", "醴陵釉下五彩瓷技艺传习者。"),
    ("liling-main", "刘秀英", ["舞蹈"], "13907330104", "广场舞、民族舞编导。"),
    ("youxian-main", "谭志强", ["器乐"], "13707330105", "二胡、唢呐演奏与教学。"),
    ("yanling-main", "李春梅", ["戏曲"], "13607330106", "湖南花鼓戏演员，擅长青少年戏曲启蒙。"),
    ("hetang-main", "王晓东", ["摄影"], "13507330107", "纪实摄影，社区影像工作坊导师。"),
    ("tianyuan-main", "赵丽华", ["美术"], "13307330108", "少儿美术与水墨画教学。"),
]

# (venue code, title, art form, audience, fee type, fee, capacity, teacher, weekday note)
COURSES = [
    (
        "zhuzhou-hub",
        "少儿书法培训班",
        "书法",
        Audience.CHILDREN,
        FeeType.FREE,
        None,
        30,
        "罗国华",
        "每周六 09:00-11:00",
    ),
    (
        "zhuzhou-hub",
        "中老年合唱提高班",
        "声乐",
        Audience.SENIORS,
        FeeType.FREE,
        None,
        40,
        "周雅琴",
        "每周二 15:00-17:00",
    ),
    (
        "zhuzhou-hub",
        "成人楷书入门",
        "书法",
        Audience.ALL,
        FeeType.LOW,
        50,
        25,
        "罗国华",
        "每周四 19:00-21:00",
    ),
    (
        "liling-main",
        "釉下五彩瓷彩绘体验课",
        "非遗技艺",
        Audience.YOUTH,
        FeeType.LOW,
        80,
        20,
        "陈建平",
        "每周日 14:00-17:00",
    ),
    (
        "liling-main",
        "广场舞基础班",
        "舞蹈",
        Audience.SENIORS,
        FeeType.FREE,
        None,
        50,
        "刘秀英",
        "每周一、三 19:30-21:00",
    ),
    (
        "youxian-main",
        "二胡入门",
        "器乐",
        Audience.ALL,
        FeeType.FREE,
        None,
        20,
        "谭志强",
        "每周五 19:00-21:00",
    ),
    (
        "yanling-main",
        "少儿花鼓戏启蒙班",
        "戏曲",
        Audience.CHILDREN,
        FeeType.FREE,
        None,
        25,
        "李春梅",
        "每周六 14:30-16:30",
    ),
    (
        "hetang-main",
        "手机摄影课堂",
        "摄影",
        Audience.SENIORS,
        FeeType.FREE,
        None,
        35,
        "王晓东",
        "每周三 09:30-11:30",
    ),
    (
        "tianyuan-main",
        "少儿水墨画",
        "美术",
        Audience.CHILDREN,
        FeeType.CHARGED,
        300,
        20,
        "赵丽华",
        "每周日 09:00-11:00",
    ),
]

# (venue code, title, kind, art form, performers, minutes, needs stage)
PROGRAMMES = [
    (
        "zhuzhou-hub",
        "湖南花鼓戏经典折子戏专场",
        ProgrammeKind.PERFORMANCE,
        "戏曲",
        "市群艺馆花鼓戏队",
        90,
        True,
    ),
    (
        "zhuzhou-hub",
        "书法名家作品巡回展",
        ProgrammeKind.EXHIBITION,
        "书法",
        "市书法家协会",
        None,
        False,
    ),
    ("liling-main", "陶瓷艺术与生活讲座", ProgrammeKind.LECTURE, "非遗技艺", "陈建平", 60, False),
]

# (venue code, name, kind, quantity, digital)
TEACHING_ASSETS = [
    ("zhuzhou-hub", "花鼓戏演出服装（全套）", TeachingAssetKind.COSTUME, 12, False),
    ("youxian-main", "民乐合奏乐器一批", TeachingAssetKind.INSTRUMENT, 15, False),
    ("zhuzhou-hub", "少儿书法录播课程包", TeachingAssetKind.COURSE_PACKAGE, 1, True),
]

# (venue code, name, level, category, inheritor)
HERITAGE = [
    (
        "liling-main",
        "醴陵釉下五彩瓷烧制技艺",
        HeritageLevel.NATIONAL,
        HeritageCategory.CRAFTSMANSHIP,
        "陈建平",
    ),
    ("yanling-main", "炎帝陵祭典", HeritageLevel.NATIONAL, HeritageCategory.FOLK_CUSTOM, None),
    ("zhuzhou-hub", "湖南花鼓戏", HeritageLevel.NATIONAL, HeritageCategory.DRAMA, "李春梅"),
]


def load_catalogue_demo(venues):
    """Create the demo entries for `venues` ({code: Venue}); returns how many were new."""
    art_forms = {form.name: form for form in ArtForm.objects.all()}
    created = 0
    teachers = {}
    for code, name, forms, phone, bio in TEACHERS:
        teacher, new = Teacher.objects.get_or_create(
            owner=venues[code], name=name, defaults={"phone": phone, "bio": bio}
        )
        if new:
            teacher.art_forms.set([art_forms[f] for f in forms if f in art_forms])
            teacher.save()
        teachers[name] = teacher
        created += new
    start = timezone.localdate() + timedelta(days=14)
    for code, title, form, audience, fee_type, fee, capacity, teacher, note in COURSES:
        course, new = Course.objects.get_or_create(
            owner=venues[code],
            title=title,
            start_date=start,
            defaults={
                "art_form": art_forms[form],
                "audience": audience,
                "fee_type": fee_type,
                "fee_amount": fee,
                "capacity": capacity,
                "end_date": start + timedelta(weeks=12),
                "schedule_note": note,
                "level": CourseLevel.BEGINNER,
                "status": CourseStatus.OPEN,
            },
        )
        if new:
            course.teachers.set([teachers[teacher]])
            course.save()
        created += new
    for code, title, kind, form, performers, minutes, stage in PROGRAMMES:
        _programme, new = Programme.objects.get_or_create(
            owner=venues[code],
            title=title,
            defaults={
                "kind": kind,
                "art_form": art_forms.get(form),
                "performers": performers,
                "duration_minutes": minutes,
                "needs_stage": stage,
            },
        )
        created += new
    for code, name, kind, quantity, digital in TEACHING_ASSETS:
        _asset, new = TeachingAsset.objects.get_or_create(
            owner=venues[code],
            name=name,
            defaults={
                "kind": kind,
                "quantity": quantity,
                "is_digital": digital,
                "visibility": Visibility.STAFF,
            },
        )
        created += new
    for code, name, level, category, inheritor in HERITAGE:
        item, new = HeritageItem.objects.get_or_create(
            owner=venues[code], name=name, defaults={"level": level, "category": category}
        )
        if new and inheritor:
            item.inheritors.set([teachers[inheritor]])
            item.save()
        created += new
    return created
