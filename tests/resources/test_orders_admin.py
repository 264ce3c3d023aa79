"""The admin pages of ordering (点单配送): the menu, the lists each venue sees, the order form, an
order's page with its timeline and steps, crafted requests, and the hub's report with its .xlsx."""

import io
import json
from datetime import time
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from resources import order_services as services
from resources.orders import OrderStatus, ServiceOrder
from tests.factories import make_image

from . import test_orders
from .test_orders import TODAY, day, order

# The fixtures of the ordering tests, shared.
staff, menu = test_orders.staff, test_orders.menu

S = OrderStatus


def url(name, *args):
    return reverse(f"resources_orders:{name}", args=args)


def form_data(network, item, **fields):
    return {
        "orderer": network["pukou"].pk,
        "item": services.item_key(item),
        "date": day(5).isoformat(),
        "start_time": "",
        "place": "浦口镇文化站",
        "audience_size": "40",
        "note": "",
        **fields,
    }


def test_menu_shows_what_each_role_may_do(client, network, staff, menu):
    order(staff, network, menu["course"])
    client.force_login(staff["pukou"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    # The sidebar menu travels as JSON (non-ASCII escaped).
    for label in ("点单配送", "我点的单", "新建点单"):
        assert json.dumps(label)[1:-1] in home
    for label in ("待我受理", "配送统计"):
        assert json.dumps(label)[1:-1] not in home

    client.force_login(staff["liling"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert json.dumps("待我受理（1）")[1:-1] in home
    assert json.dumps("点单配送（1）")[1:-1] in home
    assert json.dumps("新建点单")[1:-1] not in home

    client.force_login(staff["admin"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert json.dumps("配送统计")[1:-1] in home


def test_order_through_the_admin(client, network, staff, menu):
    client.force_login(staff["pukou"])
    page = client.get(url("create")).content.decode()
    assert "课程包：花鼓戏入门" in page and "节目：湘江放歌" in page
    # Not on the menu: drafts, owner-only entries and another county's main centre.
    assert "筹备中的课" not in page and "内部节目" not in page and "攸县剪纸" not in page

    response = client.post(url("create"), form_data(network, menu["course"], date="2000-01-01"))
    assert response.status_code == 200
    assert "配送日期不能早于今天" in response.content.decode()
    response = client.post(url("create"), form_data(network, menu["draft"]))
    assert response.status_code == 200  # not a choice of the form
    assert not ServiceOrder.objects.exists()

    response = client.post(url("create"), form_data(network, menu["course"]))
    placed = ServiceOrder.objects.get()
    assert response.status_code == 302 and response.url == url("detail", placed.pk)
    assert (placed.orderer, placed.provider, placed.audience_size) == (
        network["pukou"],
        network["liling"],
        40,
    )


def test_crafted_order_for_another_venue_is_forbidden(client, network, staff, menu):
    client.force_login(staff["huangfeng"])
    response = client.post(url("create"), form_data(network, menu["course"]))
    assert response.status_code == 403
    assert not ServiceOrder.objects.exists()


def test_the_journey_through_the_order_page(client, network, staff, menu, local_storage):
    placed = order(staff, network, menu["course"], date=TODAY)
    client.force_login(staff["liling"])
    page = client.get(url("detail", placed.pk)).content.decode()
    assert "受理" in page and "拒绝" in page and "取消点单" not in page
    assert 'name="accept-teachers"' in page and "李老师" in page

    client.post(url("action", placed.pk, "decline"), {"decline-reason": ""})
    assert ServiceOrder.objects.get(pk=placed.pk).status == S.ORDERED
    client.post(url("action", placed.pk, "accept"), {"accept-teachers": [menu["li"].pk]})
    client.post(url("action", placed.pk, "schedule"), {"schedule-start_time": "14:30"})
    placed.refresh_from_db()
    assert (placed.status, placed.start_time) == (S.SCHEDULED, time(14, 30))

    client.force_login(staff["pukou"])
    page = client.get(url("detail", placed.pk)).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="deliver-photos"' in page
    assert url("action", placed.pk, "cancel") in page
    assert url("action", placed.pk, "accept") not in page
    response = client.post(url("action", placed.pk, "deliver"), {"deliver-attendance": ""})
    assert [str(m) for m in response.wsgi_request._messages][-1] == "请填写实到人数。"
    assert ServiceOrder.objects.get(pk=placed.pk).status == S.SCHEDULED
    photo = make_image(network["pukou"].collection, "样图").file.open("rb").read()
    client.post(
        url("action", placed.pk, "deliver"),
        {
            "deliver-attendance": "36",
            "deliver-photos": [SimpleUploadedFile("a.png", photo, "image/png")],
        },
    )
    assert 'name="rate-rating"' in client.get(url("detail", placed.pk)).content.decode()
    client.post(url("action", placed.pk, "rate"), {"rate-rating": "9"})
    assert ServiceOrder.objects.get(pk=placed.pk).status == S.DELIVERED
    client.post(url("action", placed.pk, "rate"), {"rate-rating": "4", "rate-comment": "满意"})
    placed.refresh_from_db()
    assert (placed.status, placed.attendance, placed.rating) == (S.RATED, 36, 4)
    assert placed.photos.count() == 1

    page = client.get(url("detail", placed.pk)).content.decode()
    for text in ("点单", "受理", "确认排期", "确认配送", "评价", "已评价", "满意", "36"):
        assert text in page
    assert staff["pukou"].get_username() in page and staff["liling"].get_username() in page
    assert not any(url("action", placed.pk, a) in page for a in services.TRANSITIONS)  # all done


def test_crafted_step_posts_are_forbidden(client, network, staff, menu):
    placed = order(staff, network, menu["course"])
    for who, action in [("pukou", "accept"), ("youxian", "accept"), ("liling", "cancel")]:
        client.force_login(staff[who])
        response = client.post(url("action", placed.pk, action), {"accept-teachers": []})
        assert response.status_code == 403
    assert ServiceOrder.objects.get(pk=placed.pk).status == S.ORDERED
    assert placed.events.count() == 1


def test_a_branch_sees_only_its_orders(client, network, staff, menu):
    mine = order(staff, network, menu["course"], note="浦口的单")
    other = order(staff, network, menu["youxian_course"], venue="huangfeng", note="皇图岭的单")
    client.force_login(staff["pukou"])
    listing = client.get(url("outgoing")).content.decode()
    assert url("detail", mine.pk) in listing and url("detail", other.pk) not in listing
    assert client.get(url("detail", other.pk)).status_code == 403
    assert url("detail", mine.pk) not in client.get(url("incoming")).content.decode()

    client.force_login(staff["liling"])
    incoming = client.get(url("incoming")).content.decode()
    assert url("detail", mine.pk) in incoming and url("detail", other.pk) not in incoming

    client.force_login(staff["admin"])
    everything = client.get(url("incoming")).content.decode()
    assert url("detail", mine.pk) in everything and url("detail", other.pk) in everything


def test_report_page_and_xlsx_are_the_hubs(client, network, staff, menu):
    placed = order(staff, network, menu["course"])
    services.decline(staff["liling"], placed, "档期已满")
    period = {"date_from": TODAY.isoformat(), "date_to": TODAY.isoformat()}

    client.force_login(staff["liling"])
    assert client.get(url("report"), period).status_code == 403

    client.force_login(staff["admin"])
    page = client.get(url("report"), period).content.decode()
    assert "醴陵市" in page and "合计" in page and "导出 Excel" in page
    bad = client.get(url("report"), {"date_from": day(1), "date_to": day(0)}).content.decode()
    assert "开始日期不能晚于结束日期" in bad

    response = client.get(url("report"), {**period, "export": "xlsx"})
    assert response.status_code == 200
    filename = f"点单配送统计_{TODAY.isoformat()}_{TODAY.isoformat()}.xlsx"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(filename)}"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    assert rows == [
        ["区县", "点单数", "已拒绝", "已取消", "已配送", "服务人次", "已评价", "平均评分"],
        ["醴陵市", 1, 1, 0, 0, 0, 0, None],
        ["合计", 1, 1, 0, 0, 0, 0, None],
    ]


@pytest.mark.parametrize("who", ["pukou", "liling"])
def test_report_is_forbidden_to_venue_staff(client, staff, who):
    client.force_login(staff[who])
    assert client.get(url("report")).status_code == 403
