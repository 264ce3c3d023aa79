"""The 志愿服务 menu in the Wagtail admin: its items, activities placed in a grid by their
coordinates, the roster (confirming, entering times), the QR scan page and the grid view."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailTestUtils

from tests.factories import editor_of, make_user
from volunteers import hours, signups
from volunteers.models import Activity, ServiceRecord, Shift

from .factories import make_activity, make_grid, make_shift, make_volunteer, square

pytestmark = pytest.mark.django_db


def sidebar_menu(client):
    """The admin sidebar's menu as text (its props are JSON with escaped Chinese)."""
    soup = WagtailTestUtils.get_soup(client.get(reverse("wagtailadmin_home")).content)
    props = json.loads(soup.select_one("#wagtail-sidebar-props").text)
    return json.dumps(props, ensure_ascii=False)


def test_menu_lists_the_volunteer_service(client, network):
    client.force_login(editor_of(network["pukou"]))
    text = sidebar_menu(client)
    for label in (
        "志愿服务",
        "志愿者",
        "志愿者团队",
        "网格",
        "网格统计",
        "志愿服务活动",
        "班次",
        "排班签到",
        "时长确认",
        "数据导出",
    ):
        assert label in text


def test_an_activity_is_placed_in_the_grid_holding_its_coordinates(client, network):
    pukou = network["pukou"]
    grid = make_grid(pukou, "浦口老街", polygon=square(113.30, 27.70))
    client.force_login(editor_of(pukou))
    data = {
        "title": "老街非遗展",
        "venue": pukou.pk,
        "grid": "",
        "location": "浦口老街戏台",
        "longitude": "113.301",
        "latitude": "27.702",
        "description": "",
        "published": "on",
    }
    assert client.post(reverse("volunteer_activities:add"), data).status_code == 302
    assert Activity.objects.get(title="老街非遗展").grid == grid

    outside = {**data, "title": "城外", "longitude": "110.0", "latitude": "20.0"}
    response = client.post(reverse("volunteer_activities:add"), outside)
    assert "该经纬度不在任何网格内" in response.content.decode()
    mismatch = {**outside, "grid": grid.pk}
    assert (
        "不在所选网格“浦口老街”内"
        in client.post(reverse("volunteer_activities:add"), mismatch).content.decode()
    )
    assert not Activity.objects.filter(title="城外").exists()


def test_shifts_are_added_with_an_end_after_the_start(client, network):
    pukou = network["pukou"]
    activity = make_activity(pukou, make_grid(pukou))
    client.force_login(editor_of(pukou))
    data = {
        "activity": activity.pk,
        "role": "引导员",
        "starts_at": "2026-06-01 18:00",
        "ends_at": "2026-06-01 17:00",
        "places": 4,
    }
    response = client.post(reverse("volunteer_shifts:add"), data)
    assert response.status_code == 200 and "结束时间必须晚于开始时间" in response.content.decode()
    assert not Shift.objects.exists()
    data["ends_at"] = "2026-06-02 01:00"  # across midnight
    assert client.post(reverse("volunteer_shifts:add"), data).status_code == 302
    assert Shift.objects.get().duration_hours == 7


def test_roster_confirm_enter_times_and_scan(client, network):
    pukou = network["pukou"]
    grid = make_grid(pukou)
    activity = make_activity(pukou, grid, "江边音乐会")
    now = timezone.now()
    shift = make_shift(activity, now + timedelta(minutes=10), hours=3, role="检票")
    first, second = make_volunteer(grid, real_name="赵一"), make_volunteer(grid, real_name="钱二")
    a = signups.sign_up(first, shift, now=now - timedelta(hours=1))
    b = signups.sign_up(second, shift, now=now - timedelta(hours=1))
    staff = editor_of(pukou)
    client.force_login(staff)
    roster = reverse("volunteer_rosters:roster", args=[activity.pk])
    assert "赵一" in client.get(roster).content.decode()
    client.post(reverse("volunteer_rosters:confirm", args=[a.pk]))
    a.refresh_from_db()
    assert a.status == "confirmed"

    start = timezone.localtime(shift.starts_at)
    prefix = f"times-{b.pk}"
    response = client.post(
        reverse("volunteer_rosters:times", args=[b.pk]),
        {
            f"{prefix}-started_at": f"{start:%Y-%m-%d %H:%M}",
            f"{prefix}-ended_at": f"{start - timedelta(minutes=5):%Y-%m-%d %H:%M}",
        },
        follow=True,
    )
    assert "钱二：签退（结束）时间" in response.content.decode()
    assert not ServiceRecord.objects.exists()
    client.post(
        reverse("volunteer_rosters:times", args=[b.pk]),
        {
            f"{prefix}-started_at": f"{start:%Y-%m-%d %H:%M}",
            f"{prefix}-ended_at": f"{start + timedelta(hours=2):%Y-%m-%d %H:%M}",
        },
    )
    assert ServiceRecord.objects.get().hours == 2

    scan = reverse("volunteer_rosters:scan", args=[activity.pk])
    assert client.get(scan).status_code == 200
    json = {"HTTP_ACCEPT": "application/json"}
    answer = client.post(scan, {"token": hours.qr_token(first)}, **json).json()
    assert answer["ok"] and answer["action"] == "in" and "赵一" in answer["message"]
    answer = client.post(scan, {"token": "nonsense"}, **json)
    assert answer.status_code == 400 and "无法识别的二维码" in answer.json()["message"]


def test_rows_volunteers_depend_on_are_not_deleted(client, network):
    pukou = network["pukou"]
    grid = make_grid(pukou, "有人网格")
    activity = make_activity(pukou, grid, "有人活动")
    shift = make_shift(activity, timezone.now() + timedelta(days=2))
    signup = signups.sign_up(make_volunteer(grid), shift)
    signups.cancel(signup)  # even a cancelled sign-up keeps the shift
    client.force_login(editor_of(pukou))
    response = client.post(reverse("volunteer_shifts:delete", args=[shift.pk]), follow=True)
    assert "该班次已有志愿者报名，不能删除" in response.content.decode()
    response = client.post(reverse("volunteer_activities:delete", args=[activity.pk]), follow=True)
    assert "已有志愿者报名，不能删除；不再招募请取消发布" in response.content.decode()
    assert (
        Shift.objects.filter(pk=shift.pk).exists()
        and Activity.objects.filter(pk=activity.pk).exists()
    )
    client.force_login(make_user("root", superuser=True))
    response = client.post(reverse("volunteer_grids:delete", args=[grid.pk]), follow=True)
    assert "下还有志愿者或活动，不能删除" in response.content.decode()
    # An activity nobody signed up for goes, with its shifts.
    empty = make_activity(pukou, grid, "空活动")
    make_shift(empty)
    assert client.post(reverse("volunteer_activities:delete", args=[empty.pk])).status_code == 302
    assert not Activity.objects.filter(pk=empty.pk).exists()
