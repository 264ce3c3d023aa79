"""Opening-hours compliance: declared timetables with overnight slots, split days and holidays,
actual openings from check-ins and imports, and the lists for the hub and main centres."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from network import compliance, opening_services
from network.models import ActualOpening, HoursException, OpeningHours
from network.services import save_venue
from tests.factories import editor_of, moderator_of

MONDAY = date(2026, 3, 2)  # a Monday
H = Decimal


def aware(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def week(venue, monday=MONDAY, now=None):
    return compliance.assess_venue(venue, monday, now or aware(monday + timedelta(days=14), 0))


def set_hours(venue, slots):
    return save_venue(venue, slots)


def test_split_days_overnight_slots_and_the_week_boundary(network):
    pukou = set_hours(
        network["pukou"],
        [
            (0, time(9), time(12), True),  # a split Monday: 3 h …
            (0, time(14), time(17), True),  # … + 3 h
            (4, time(20), time(2), True, True),  # Friday 20:00 → Saturday 02:00: 6 h
            (6, time(22), time(3), False, True),  # Sunday 22:00 → Monday 03:00, charged
        ],
    )
    result = week(pukou)
    # Sunday night counts 2 h in this week; last Sunday's tail (00:00–03:00) 3 h on Monday.
    assert result.declared == compliance.WeekHours(total=H(17), free=H(12))
    assert result.declared_shortfall == (H(31), H(36))
    assert not result.compliant and result.actual is None


def test_overlaps_across_midnight_are_refused(network):
    with pytest.raises(ValidationError) as caught:
        set_hours(
            network["pukou"],
            [(4, time(20), time(2), True, True), (5, time(1), time(4), True)],
        )
    assert caught.value.message_dict["opening_hours"] == [
        "周五的开放时段 20:00–次日02:00 与周六的 01:00–04:00 重叠。"
    ]
    # Sunday night runs into Monday morning.
    with pytest.raises(ValidationError, match="周日的开放时段 23:00–次日02:00 与周一的 01:00"):
        set_hours(
            network["pukou"],
            [(6, time(23), time(2), True, True), (0, time(1), time(5), True)],
        )
    with pytest.raises(ValidationError, match="跨午夜开放请勾选“次日闭馆”"):
        set_hours(network["pukou"], [(4, time(20), time(2), True)])
    # The database keeps the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(
            venue=network["pukou"], weekday=3, opens=time(9), closes=time(17), closes_next_day=True
        )


def test_a_branch_must_open_free_and_a_point_may_charge(network):
    # The fixture's timetable: 9:00–17:00 every day, all free: 56 h.
    assert week(network["pukou"]).compliant
    branch = set_hours(
        network["pukou"],
        [(d, time(9), time(17), True) for d in range(5)]  # 40 h free
        + [(5, time(9), time(17), False)],  # 8 h charged
    )
    result = week(branch)
    assert result.declared == compliance.WeekHours(H(48), H(40))
    assert result.declared_shortfall == (H(0), H(8)) and not result.compliant
    point = set_hours(
        network["shimen"],
        [(d, time(9), time(17), False) for d in range(6)]  # 48 h charged
        + [(6, time(9), time(18), True)],  # 9 h free
    )
    assert week(point).declared_shortfall == (H(0), H(1))
    set_hours(
        point, [(d, time(9), time(17), False) for d in range(6)] + [(6, time(8), time(18), True)]
    )
    assert week(point).compliant


def test_holiday_exceptions_replace_the_days_timetable(network):
    pukou = network["pukou"]  # 56 h a week, all free
    HoursException.objects.create(venue=pukou, date=MONDAY + timedelta(days=2), reason="春节")
    HoursException.objects.create(
        venue=pukou,
        date=MONDAY + timedelta(days=3),
        reason="春节",
        opens=time(9),
        closes=time(12),
        is_free=True,
    )
    # An overnight holiday opening from the Sunday before reaches into the week.
    HoursException.objects.create(
        venue=pukou,
        date=MONDAY - timedelta(days=1),
        reason="除夕守岁",
        opens=time(20),
        closes=time(2),
        closes_next_day=True,
    )
    result = week(pukou)
    # 56 − 8 (closed Wednesday) − 5 (Thursday 3 h instead of 8) + 2 (Sunday's tail) = 45 h.
    assert result.declared == compliance.WeekHours(H(45), H(45))
    assert result.declared_shortfall == (H(3), H(3))
    assert week(pukou, MONDAY + timedelta(days=7)).compliant  # the next week is normal


def test_check_ins_give_the_actual_hours_and_the_gap(network):
    shimen = network["shimen"]  # declared 56 h free
    staff = editor_of(shimen)
    for offset in range(5):
        day = MONDAY + timedelta(days=offset)
        opening_services.check_in(staff, shimen, now=aware(day, 9))
        opening_services.check_out(staff, shimen, now=aware(day, 17, 30))
    opening_services.check_in(
        staff, shimen, is_free=False, now=aware(MONDAY + timedelta(days=6), 22)
    )
    opening_services.check_out(staff, shimen, now=aware(MONDAY + timedelta(days=7), 1))
    result = week(shimen)
    assert result.actual == compliance.WeekHours(H("44.5"), H("42.5"))
    assert result.gap == (H("11.5"), H("13.5"))
    assert result.declared_ok and not result.actual_ok and not result.compliant
    assert result.actual_shortfall == (H("3.5"), H(0))


def test_check_in_rules(network):
    shimen, pukou = network["shimen"], network["pukou"]
    staff = editor_of(shimen)
    with pytest.raises(PermissionDenied):
        opening_services.check_in(staff, pukou)
    with pytest.raises(ValidationError, match="尚未开馆打卡"):
        opening_services.check_out(staff, shimen)
    opening_services.check_in(staff, shimen, now=aware(MONDAY, 9))
    with pytest.raises(ValidationError, match="已开馆打卡，请先闭馆打卡"):
        opening_services.check_in(staff, shimen, now=aware(MONDAY, 10))
    with pytest.raises(ValidationError, match="闭馆时间必须晚于开馆时间"):
        opening_services.check_out(staff, shimen, now=aware(MONDAY, 8))
    assert ActualOpening.objects.count() == 1
    # Still open: counts until now.
    result = week(shimen, now=aware(MONDAY, 12))
    assert result.actual.total == 3


def test_the_checkin_page(client, network):
    staff = editor_of(network["shimen"])
    client.force_login(staff)
    page = client.get("/admin/network/compliance/checkin/").content.decode()
    assert "醴陵市文化馆浦口分馆石门村服务点" in page and "开馆打卡" in page
    client.post(
        "/admin/network/compliance/checkin/", {"venue": network["shimen"].pk, "is_free": "1"}
    )
    assert ActualOpening.objects.get().closed_at is None
    client.post(
        "/admin/network/compliance/checkin/", {"venue": network["shimen"].pk, "action": "close"}
    )
    assert ActualOpening.objects.get().closed_at is not None
    response = client.post("/admin/network/compliance/checkin/", {"venue": network["pukou"].pk})
    assert response.status_code == 403 and ActualOpening.objects.count() == 1


def csv_upload(text, name="openings.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def test_importing_actual_openings(network):
    hub_staff = moderator_of(network["hub"])
    good = csv_upload(
        "场馆代码,开馆时间,闭馆时间,免费/低收费\n"
        "liling-pukou,2026-03-02 09:00,2026-03-02 17:00,是\n"
        "liling-pukou,2026-03-03 09:00,2026-03-03 12:00,否\n"
    )
    assert opening_services.import_openings(hub_staff, good) == 2
    result = week(network["pukou"])
    assert result.actual == compliance.WeekHours(H(11), H(8))

    before = ActualOpening.objects.count()
    bad = csv_upload(
        "场馆代码,开馆时间,闭馆时间\n"
        "nowhere,2026-03-04 09:00,2026-03-04 17:00\n"
        "liling-pukou,2026-03-04 17:00,2026-03-04 09:00\n"
        "liling-pukou,2026/3/5 9点,2026-03-05 17:00\n"
        "liling-pukou,2026-03-02 16:00,2026-03-02 18:00\n"
    )
    with pytest.raises(ValidationError) as caught:
        opening_services.import_openings(hub_staff, bad)
    assert caught.value.messages == [
        "第 2 行：场馆代码“nowhere”不存在。",
        "第 3 行：闭馆时间必须晚于开馆时间。",
        "第 4 行：开馆时间“2026/3/5 9点”不是有效的日期时间，请写成 2026-03-01 09:00。",
    ]
    overlapping = csv_upload(
        "场馆代码,开馆时间,闭馆时间\nliling-pukou,2026-03-02 16:00,2026-03-02 18:00\n"
    )
    with pytest.raises(
        ValidationError, match="第 2 行：与已有的开放记录（2026-03-02 09:00）时间重叠"
    ):
        opening_services.import_openings(hub_staff, overlapping)
    # A county imports only for its own venues.
    other = csv_upload(
        "场馆代码,开馆时间,闭馆时间\nliling-pukou,2026-03-06 09:00,2026-03-06 17:00\n"
    )
    with pytest.raises(ValidationError, match="不在您管理的范围内"):
        opening_services.import_openings(moderator_of(network["youxian"]), other)
    assert ActualOpening.objects.count() == before


def test_importing_an_xlsx(network):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["场馆代码", "开馆时间", "闭馆时间"])
    book.active.append(["liling-shimen", datetime(2026, 3, 2, 20), datetime(2026, 3, 3, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    upload = SimpleUploadedFile("x.xlsx", buffer.getvalue())
    assert opening_services.import_openings(moderator_of(network["liling"]), upload) == 1
    assert week(network["shimen"]).actual.total == 5


def test_the_non_compliant_list_for_the_hub_and_the_main_centre(client, network):
    # Pukou (Liling) and Huangfeng (Youxian) fall short; the hub's school complies.
    set_hours(network["pukou"], [(d, time(9), time(17), True) for d in range(5)])
    set_hours(network["huangfeng"], [(d, time(9), time(18), d < 2) for d in range(6)])
    url = f"/admin/network/compliance/?week={MONDAY}"

    client.force_login(moderator_of(network["hub"]))
    page = client.get(url).content.decode()
    assert "醴陵市文化馆浦口分馆" in page and "攸县文化馆皇图岭分馆" in page
    assert "开放少 8 小时；免费/低收费少 8 小时" in page  # 40 h free
    assert "免费/低收费少 30 小时" in page  # 54 h, 18 h free
    assert "悦舞培训学校" not in page
    assert "悦舞培训学校" in client.get(url + "&all=1").content.decode()

    client.force_login(moderator_of(network["liling"]))
    page = client.get(url).content.decode()
    assert "醴陵市文化馆浦口分馆" in page and "皇图岭" not in page

    client.force_login(editor_of(network["pukou"]))
    assert client.get(url).status_code == 403


def test_the_venue_page_shows_its_compliance(admin_client, network):
    set_hours(network["pukou"], [(d, time(9), time(17), True) for d in range(5)])
    page = admin_client.get(f"/admin/venues/inspect/{network['pukou'].pk}/").content.decode()
    assert "开放时间合规" in page and "开放少 8 小时" in page and "不达标" in page


def test_admin_pages_render_for_the_hub(admin_client, network):
    for url, text in (
        ("/admin/network/compliance/", "开放时间合规"),
        ("/admin/network/compliance/import/", "场馆代码、开馆时间、闭馆时间"),
        ("/admin/network/coverage/population/", "区县、乡镇/街道、常住人口、纬度、经度"),
        ("/admin/settings/network/networksettings/", "分馆最低面积"),
        ("/admin/venues/new/", "节假日开放调整"),
    ):
        response = admin_client.get(url, follow=True)
        assert response.status_code == 200 and text in response.content.decode(), url


def test_the_public_venue_page_shows_compliance(client, network):
    page = client.get(network["pukou"].page.url).content.decode()
    assert "本周安排开放 56 小时（免费/低收费 56 小时）：达标" in page
    set_hours(network["pukou"], [(d, time(9), time(17), True) for d in range(5)])
    page = client.get(network["pukou"].page.url).content.decode()
    assert "按规定每周开放不少于 48 小时，其中免费/低收费不少于 48 小时" in page
    assert "本周安排开放 40 小时（免费/低收费 40 小时）：未达标" in page
    assert "opening-compliance" not in client.get(network["liling"].page.url).content.decode()
