"""Ordering from the menu (点单配送): the journey, who orders from whom, the menu, the steps and
who may take them, double booking through loans, bad input, notifications and the hub's report.
Runs on SQLite and PostgreSQL. The admin pages are in test_orders_admin.py."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import ModelLogEntry

from resources import loan_services
from resources import order_services as services
from resources.loans import Loan, LoanStatus
from resources.models import ProgrammeDate
from resources.orders import OrderEvent, OrderStatus, ServiceOrder
from tests.factories import editor_of, make_image, make_user

from .factories import make_course, make_programme, make_teacher

TODAY = timezone.localdate()
S = OrderStatus


def day(n):
    return TODAY + timedelta(days=n)


@pytest.fixture
def staff(network):
    """An editor for each venue that takes part, and the hub administrator."""
    names = ("hub", "liling", "youxian", "pukou", "huangfeng", "shimen")
    return {
        **{name: editor_of(network[name]) for name in names},
        "admin": make_user("hub-admin", superuser=True),
    }


@pytest.fixture
def menu(network):
    """醴陵市文化馆's menu (two teachers, a course package, a programme), the hub's programme and
    entries that are not on any menu."""
    liling, hub = network["liling"], network["hub"]
    li = make_teacher(liling, name="李老师")
    wang = make_teacher(liling, name="王老师")
    return {
        "li": li,
        "wang": wang,
        "course": make_course(liling, title="花鼓戏入门", teachers=[li], status="open"),
        "programme": make_programme(liling, title="醴陵瓷韵"),
        "hub_programme": make_programme(hub, title="湘江放歌"),
        "draft": make_course(liling, title="筹备中的课", status="draft"),
        "secret": make_programme(liling, title="内部节目", visibility="owner"),
        "youxian_course": make_course(network["youxian"], title="攸县剪纸", status="open"),
        "hub_teacher": make_teacher(hub, name="中心馆赵老师"),
    }


def order(staff, network, item, venue="pukou", date=None, **fields):
    fields.setdefault("place", "浦口镇文化站多功能厅")
    fields.setdefault("audience_size", 40)
    return services.place_order(staff[venue], network[venue], item, date or day(5), **fields)


def delivered(staff, network, item, venue="pukou", teachers=(), date=None):
    """An order taken as far as 已配送, on its date."""
    placed = order(staff, network, item, venue, date=date or day(5))
    provider = "hub" if item.owner_id == network["hub"].pk else "liling"
    services.accept(staff[provider], placed, teachers)
    services.schedule(staff[provider], placed, time(14, 30))
    return services.confirm_delivery(staff[venue], placed, 35, today=placed.date)


def snapshot(placed):
    """Everything a refused step must leave as it was."""
    row = ServiceOrder.objects.get(pk=placed.pk)
    return (
        row.status,
        row.attendance,
        row.rating,
        row.decline_reason,
        row.start_time,
        OrderEvent.objects.filter(order=placed).count(),
        ModelLogEntry.objects.count(),
        Loan.objects.filter(status__in=("approved", "returned")).count(),
    )


# --- the journey -------------------------------------------------------------------------------


def test_ordering_journey_end_to_end(
    network, staff, menu, local_storage, django_capture_on_commit_callbacks
):
    liling_moderator = make_user("liling-mod", network["liling"].moderators_group)
    with django_capture_on_commit_callbacks(execute=True):
        placed = order(staff, network, menu["course"], note="请安排有经验的老师")
    assert (placed.status, placed.orderer, placed.provider) == (
        S.ORDERED,
        network["pukou"],
        network["liling"],
    )
    assert sorted(mail.outbox[-1].to) == sorted([staff["liling"].email, liling_moderator.email])
    assert mail.outbox[-1].subject == "【点单配送】点单：花鼓戏入门"

    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.accept(staff["liling"], placed, [menu["li"], menu["wang"]], "两位老师")
    assert accepted.status == S.ACCEPTED
    loans = list(accepted.loans.order_by("pk"))
    assert [(loan.item, loan.status, loan.borrower, loan.start_date) for loan in loans] == [
        (menu["li"], LoanStatus.APPROVED, network["pukou"], day(5)),
        (menu["wang"], LoanStatus.APPROVED, network["pukou"], day(5)),
    ]
    assert loans[0].decided_by == staff["liling"]
    assert mail.outbox[-1].to == [staff["pukou"].email]

    scheduled = services.schedule(staff["liling"], placed, time(14, 30), "浦口镇文化站大礼堂")
    assert (scheduled.status, scheduled.start_time, scheduled.place) == (
        S.SCHEDULED,
        time(14, 30),
        "浦口镇文化站大礼堂",
    )

    photo = make_image(network["pukou"].collection, "现场合影")
    upload = SimpleUploadedFile("scene.png", photo.file.open("rb").read(), "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        done = services.confirm_delivery(
            staff["pukou"], placed, "38", photos=[photo], uploads=[upload], today=day(5)
        )
    assert (done.status, done.attendance) == (S.DELIVERED, 38)
    assert done.photos.count() == 2
    stored = done.photos.exclude(pk=photo.pk).get()
    assert stored.collection == network["pukou"].collection and stored.file_hash
    assert set(Loan.objects.values_list("status", flat=True)) == {LoanStatus.RETURNED}
    assert "实到人数：38" in mail.outbox[-1].body

    rated = services.rate(staff["pukou"], placed, 5, "老师讲得很好")
    assert (rated.status, rated.rating, rated.rating_comment) == (S.RATED, 5, "老师讲得很好")

    events = list(OrderEvent.objects.filter(order=placed))
    assert [(e.action, e.from_status, e.to_status, e.actor) for e in events] == [
        ("create", "", S.ORDERED, staff["pukou"]),
        ("accept", S.ORDERED, S.ACCEPTED, staff["liling"]),
        ("schedule", S.ACCEPTED, S.SCHEDULED, staff["liling"]),
        ("deliver", S.SCHEDULED, S.DELIVERED, staff["pukou"]),
        ("rate", S.DELIVERED, S.RATED, staff["pukou"]),
    ]
    assert all(e.created_at for e in events)
    audit = ModelLogEntry.objects.for_instance(placed).order_by("timestamp", "pk")
    assert [(e.action, e.user) for e in audit] == [
        (f"resources.order.{e.action}", e.actor) for e in events
    ]
    loan_audit = ModelLogEntry.objects.for_instance(loans[0]).order_by("timestamp", "pk")
    assert [e.action for e in loan_audit] == ["resources.loan.approve", "resources.loan.return"]


def test_programme_order_books_the_programme_and_its_performers(network, staff, menu):
    placed = order(staff, network, menu["hub_programme"], venue="shimen", place="石门村礼堂")
    assert placed.provider == network["hub"]
    services.accept(staff["hub"], placed, [menu["hub_teacher"]])
    assert sorted(str(loan.item) for loan in placed.loans.all()) == ["中心馆赵老师", "湘江放歌"]
    # A programme needs no teacher of its own.
    other = order(staff, network, menu["programme"], date=day(6))
    assert services.accept(staff["liling"], other).loans.get().programme == menu["programme"]


# --- who orders from whom, and what ------------------------------------------------------------


def test_branches_and_points_order_from_the_hub_or_their_main_centre(network, staff, menu):
    assert services.providers_for(network["shimen"]) == [network["pukou"].parent, network["hub"]]
    assert order(staff, network, menu["course"]).provider == network["liling"]
    assert order(staff, network, menu["hub_programme"]).provider == network["hub"]
    assert order(staff, network, menu["course"], venue="shimen").provider == network["liling"]
    assert (
        order(staff, network, menu["youxian_course"], venue="huangfeng").provider
        == (network["youxian"])
    )


def test_another_countys_branch_cannot_order_from_this_main_centre(network, staff, menu):
    with pytest.raises(ValidationError, match="只能向中心馆或所属总馆点单，不能向醴陵市文化馆点单"):
        order(staff, network, menu["course"], venue="huangfeng")
    with pytest.raises(ValidationError, match="只有分馆和服务点可以点单"):
        order(staff, network, menu["youxian_course"], venue="liling")
    with pytest.raises(PermissionDenied):
        services.place_order(
            staff["huangfeng"], network["pukou"], menu["course"], day(5), "礼堂", 30
        )
    assert not ServiceOrder.objects.exists() and not OrderEvent.objects.exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [("draft", "“筹备中的课”不在醴陵市文化馆的配送菜单上"), ("secret", "“内部节目”不在")],
)
def test_only_menu_entries_can_be_ordered(network, staff, menu, entry, message):
    with pytest.raises(ValidationError, match=message):
        order(staff, network, menu[entry])
    assert not ServiceOrder.objects.exists()


def test_bad_order_input_is_refused(network, staff, menu):
    ProgrammeDate.objects.create(programme=menu["programme"], date=day(10))
    ProgrammeDate.objects.create(programme=menu["programme"], date=day(12))
    cases = [
        (dict(item=menu["course"], date=day(-1)), "配送日期不能早于今天"),
        (dict(item=menu["course"], date=None), "请选择配送日期"),
        (
            dict(item=menu["programme"], date=day(11)),
            f"“醴陵瓷韵”只在以下日期可配送：{day(10).isoformat()}、{day(12).isoformat()}",
        ),
        (dict(item=menu["course"], place="  "), "请填写配送地点"),
        (dict(item=menu["course"], audience_size=0), "预计人数须为正整数"),
        (dict(item=menu["course"], audience_size="三十"), "预计人数须为正整数"),
        (dict(item=None), "请选择要点的课程包或节目"),
    ]
    for fields, message in cases:
        item, date = fields.pop("item"), fields.pop("date", day(10))
        fields.setdefault("place", "礼堂")
        fields.setdefault("audience_size", 30)
        with pytest.raises(ValidationError, match=message):
            services.place_order(staff["pukou"], network["pukou"], item, date, **fields)
    assert not ServiceOrder.objects.exists() and not OrderEvent.objects.exists()
    assert order(staff, network, menu["programme"], date=day(12)).status == S.ORDERED


# --- the steps ---------------------------------------------------------------------------------


def test_steps_cannot_be_skipped(network, staff, menu):
    actors = {"provider": staff["liling"], "orderer": staff["pukou"]}
    steps = {
        "accept": lambda o: services.accept(staff["liling"], o, [menu["li"]]),
        "schedule": lambda o: services.schedule(staff["liling"], o, time(9)),
        "deliver": lambda o: services.confirm_delivery(staff["pukou"], o, 30, today=o.date),
        "rate": lambda o: services.rate(staff["pukou"], o, 4),
        "decline": lambda o: services.decline(staff["liling"], o, "理由"),
        "cancel": lambda o: services.cancel(staff["pukou"], o),
    }
    cases = [
        ([], "schedule", "已点单"),
        ([], "deliver", "已点单"),
        ([], "rate", "已点单"),
        (["accept"], "deliver", "已受理"),
        (["accept"], "accept", "已受理"),
        (["accept", "schedule"], "decline", "已排期"),
        (["accept", "schedule"], "rate", "已排期"),
        (["accept", "schedule", "deliver"], "cancel", "已配送"),
        (["decline"], "accept", "已拒绝"),
        (["cancel"], "schedule", "已取消"),
        (["accept", "schedule", "deliver", "rate"], "rate", "已评价"),
    ]
    assert set(actors) == {side for _s, _t, side in services.TRANSITIONS.values()}
    for n, (done, action, status) in enumerate(cases):
        placed = order(staff, network, menu["course"], date=day(1 + n))
        for step in done:
            steps[step](placed)
        before = snapshot(placed)
        with pytest.raises(ValidationError, match=f"当前状态为“{status}”，不能执行"):
            steps[action](placed)
        assert snapshot(placed) == before


def test_only_the_right_side_may_take_a_step(network, staff, menu):
    placed = order(staff, network, menu["course"])
    refused = [
        (staff["pukou"], lambda u: services.accept(u, placed, [menu["li"]])),
        (staff["youxian"], lambda u: services.accept(u, placed, [menu["li"]])),
        (staff["hub"], lambda u: services.decline(u, placed, "不是本馆的单")),
        (staff["liling"], lambda u: services.cancel(u, placed)),
        (staff["shimen"], lambda u: services.cancel(u, placed)),
    ]
    before = snapshot(placed)
    for user, step in refused:
        with pytest.raises(PermissionDenied):
            step(user)
    assert snapshot(placed) == before
    assert services.allowed_actions(staff["pukou"], placed) == ["cancel"]
    assert services.allowed_actions(staff["liling"], placed) == ["accept", "decline"]
    assert services.allowed_actions(staff["youxian"], placed) == []
    # The hub administrator may act for either side.
    assert services.accept(staff["admin"], placed, [menu["li"]]).status == S.ACCEPTED


def test_delivery_is_confirmed_on_or_after_the_date(network, staff, menu):
    placed = order(staff, network, menu["course"], date=day(3))
    services.accept(staff["liling"], placed, [menu["li"]])
    placed = services.schedule(staff["liling"], placed, time(9))
    assert "deliver" not in services.allowed_actions(staff["pukou"], placed, today=day(2))
    with pytest.raises(ValidationError, match=f"配送日期 {day(3).isoformat()} 未到"):
        services.confirm_delivery(staff["pukou"], placed, 30, today=day(2))
    assert services.allowed_actions(staff["pukou"], placed, today=day(3)) == ["deliver", "cancel"]


def test_accepting_needs_the_providers_own_teachers(network, staff, menu):
    placed = order(staff, network, menu["course"])
    before = snapshot(placed)
    with pytest.raises(ValidationError, match="请至少指派一名授课教师"):
        services.accept(staff["liling"], placed, [])
    with pytest.raises(ValidationError, match="只能指派醴陵市文化馆的师资，中心馆赵老师不属于该馆"):
        services.accept(staff["liling"], placed, [menu["li"], menu["hub_teacher"]])
    menu["wang"].lendable = False
    menu["wang"].save()
    with pytest.raises(ValidationError, match="“王老师”不可外借"):
        services.accept(staff["liling"], placed, [menu["li"], menu["wang"]])
    assert snapshot(placed) == before and not Loan.objects.exists()


def test_schedule_needs_a_time(network, staff, menu):
    placed = order(staff, network, menu["course"])
    services.accept(staff["liling"], placed, [menu["li"]])
    with pytest.raises(ValidationError, match="请确定开始时间"):
        services.schedule(staff["liling"], placed)
    timed = order(staff, network, menu["programme"], start_time=time(19, 30))
    services.accept(staff["liling"], timed)
    assert services.schedule(staff["liling"], timed).start_time == time(19, 30)


# --- no double booking -------------------------------------------------------------------------


def test_same_teacher_same_day_for_two_orders_is_refused(network, staff, menu):
    first = order(staff, network, menu["course"], venue="pukou")
    second = order(staff, network, menu["course"], venue="shimen", place="石门村礼堂")
    services.accept(staff["liling"], first, [menu["li"]])
    held = first.loans.get()

    before = snapshot(second)
    with pytest.raises(ValidationError) as refused:
        services.accept(staff["liling"], second, [menu["wang"], menu["li"]])
    assert refused.value.code == "double_booked"
    assert refused.value.messages == [
        f"“李老师”：该资源在 {held.booked_from.isoformat()} 至 {held.booked_until.isoformat()} "
        "期间已被借出（含准备与整理天数），请选择其他日期。"
    ]
    # Nothing of the refused step stays: not even 王老师's booking, made before 李老师's failed.
    assert snapshot(second) == before and not second.loans.exists()
    assert Loan.objects.count() == 1

    assert services.accept(staff["liling"], second, [menu["wang"]]).status == S.ACCEPTED
    # A plain loan request for 李老师 that day is refused too: orders and loans share the rule.
    with pytest.raises(ValidationError, match="已被借出"):
        loan_services.request_loan(
            staff["youxian"], menu["li"], network["youxian"], day(5), day(5), "培训"
        )


@pytest.mark.parametrize("release", ["decline", "cancel"])
def test_declining_or_cancelling_frees_the_teacher(network, staff, menu, release):
    first = order(staff, network, menu["course"])
    services.accept(staff["liling"], first, [menu["li"]])
    if release == "decline":
        with pytest.raises(ValidationError, match="拒绝点单时请填写理由"):
            services.decline(staff["liling"], first, " ")
        assert ServiceOrder.objects.get(pk=first.pk).status == S.ACCEPTED
        done = services.decline(staff["liling"], first, "老师临时外出演出")
        assert done.decline_reason == "老师临时外出演出"
    else:
        done = services.cancel(staff["pukou"], first, "活动改期")
    assert done.loans.get().status == LoanStatus.CANCELLED
    second = order(staff, network, menu["course"], venue="shimen", place="石门村礼堂")
    assert services.accept(staff["liling"], second, [menu["li"]]).status == S.ACCEPTED


# --- bad input at delivery and rating ----------------------------------------------------------


def test_delivery_without_attendance_is_refused(network, staff, menu, local_storage):
    placed = order(staff, network, menu["course"])
    services.accept(staff["liling"], placed, [menu["li"]])
    services.schedule(staff["liling"], placed, time(9))
    images = get_image_model().objects.count()
    before = snapshot(placed)
    not_an_image = SimpleUploadedFile("scene.png", b"not an image", "image/png")
    for attendance, uploads, message in [
        (None, [], "请填写实到人数"),
        ("", [], "请填写实到人数"),
        ("很多", [], "实到人数须为正整数"),
        (0, [], "实到人数须为正整数"),
        (30, [not_an_image], "请上传有效图片"),
    ]:
        with pytest.raises(ValidationError, match=message):
            services.confirm_delivery(
                staff["pukou"], placed, attendance, uploads=uploads, today=day(5)
            )
    assert snapshot(placed) == before
    assert get_image_model().objects.count() == images
    assert not list(local_storage.rglob("*.png"))


def test_upload_files_are_removed_when_the_step_fails(network, staff, menu, local_storage):
    placed = order(staff, network, menu["course"])
    services.accept(staff["liling"], placed, [menu["li"]])
    services.schedule(staff["liling"], placed, time(9))
    photo = make_image(network["pukou"].collection, "样图")
    existing = set(local_storage.rglob("*.png"))
    upload = SimpleUploadedFile("scene.png", photo.file.open("rb").read(), "image/png")
    # The unsaved "photo" fails when linked, after the upload was stored: both roll back.
    broken = get_image_model()(title="未保存")
    with pytest.raises(ValueError):
        services.confirm_delivery(
            staff["pukou"], placed, 30, photos=[broken], uploads=[upload], today=day(5)
        )
    assert set(local_storage.rglob("*.png")) == existing
    assert get_image_model().objects.count() == 1
    assert ServiceOrder.objects.get(pk=placed.pk).status == S.SCHEDULED


def test_rating_outside_one_to_five_is_refused(network, staff, menu):
    placed = delivered(staff, network, menu["course"], teachers=[menu["li"]])
    before = snapshot(placed)
    for rating in (0, 6, -1, None, "五", 4.5):
        with pytest.raises(ValidationError, match="评分须为 1 到 5 之间的整数"):
            services.rate(staff["pukou"], placed, rating)
    assert snapshot(placed) == before
    assert services.rate(staff["pukou"], placed, "1").rating == 1


def test_rating_range_is_also_a_database_constraint(network, staff, menu):
    from django.db import IntegrityError, transaction

    placed = order(staff, network, menu["course"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceOrder.objects.filter(pk=placed.pk).update(rating=6)


# --- notifications -----------------------------------------------------------------------------


def test_the_other_side_hears_of_each_step(
    network, staff, menu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        placed = order(staff, network, menu["course"])
        services.decline(staff["liling"], placed, "档期已满")
    assert [m.to for m in mail.outbox] == [[staff["liling"].email], [staff["pukou"].email]]
    assert mail.outbox[1].subject == "【点单配送】拒绝：花鼓戏入门"
    assert "拒绝理由：档期已满" in mail.outbox[1].body
    assert f"/admin/orders/{placed.pk}/" in mail.outbox[1].body


def test_no_mail_when_a_step_is_refused(network, staff, menu, django_capture_on_commit_callbacks):
    placed = order(staff, network, menu["course"])
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.decline(staff["liling"], placed, "")
    assert mail.outbox == []


# --- seeing orders -----------------------------------------------------------------------------


def test_each_venue_sees_only_its_orders(network, staff, menu):
    mine = order(staff, network, menu["course"])
    shimen = order(staff, network, menu["course"], venue="shimen")
    to_hub = order(staff, network, menu["hub_programme"])
    other_county = order(staff, network, menu["youxian_course"], venue="huangfeng")

    def seen(user, side=None):
        return set(services.orders_for(user, side))

    assert seen(staff["pukou"]) == {mine, to_hub}
    assert seen(staff["shimen"]) == {shimen}
    assert seen(staff["liling"], "provider") == {mine, shimen}
    assert seen(staff["liling"], "orderer") == set()
    assert seen(staff["hub"], "provider") == {to_hub}
    assert seen(staff["youxian"]) == {other_county}
    assert seen(staff["admin"]) == {mine, shimen, to_hub, other_county}
    assert services.pending_count(staff["liling"]) == 2
    assert not services.can_view(staff["huangfeng"], mine)


# --- the hub's report --------------------------------------------------------------------------


def _at(n, hour=10):
    """An aware moment n days from today at `hour`, local time."""
    return timezone.make_aware(datetime.combine(day(n), time(hour)))


def test_report_by_district_and_period(network, staff, menu):
    # 醴陵市: two delivered and rated (5 and 4 stars), one declined; 攸县: one delivered, unrated.
    a = delivered(staff, network, menu["course"], teachers=[menu["li"]], date=day(1))
    services.rate(staff["pukou"], a, 5)
    b = delivered(staff, network, menu["hub_programme"], venue="shimen", date=day(2))
    services.rate(staff["shimen"], b, 4)
    c = order(staff, network, menu["programme"])
    services.decline(staff["liling"], c, "档期已满")
    d = order(staff, network, menu["youxian_course"], venue="huangfeng", date=day(3))
    services.accept(staff["youxian"], d, [make_teacher(network["youxian"], name="攸县周老师")])
    services.schedule(staff["youxian"], d, time(9))
    services.confirm_delivery(staff["huangfeng"], d, 20, today=day(3))
    # An order placed outside the period counts nowhere.
    late = order(staff, network, menu["course"], venue="shimen", date=day(20))

    OrderEvent.objects.update(created_at=_at(2))
    OrderEvent.objects.filter(order=late).update(created_at=_at(11))
    # The deliveries fall on their dates; the end of the last day is inside the period.
    OrderEvent.objects.filter(order=a, action="deliver").update(created_at=_at(10, 23))

    rows = services.district_report(day(0), day(10))
    table = [
        (r.district, r.ordered, r.declined, r.cancelled, r.delivered, r.attendance, r.rated)
        for r in rows
    ]
    assert table == [
        ("攸县", 1, 0, 0, 1, 20, 0),
        ("醴陵市", 3, 1, 0, 2, 70, 2),
        ("合计", 4, 1, 0, 3, 90, 2),
    ]
    assert [r.average_rating for r in rows] == [None, 4.5, 4.5]

    only_day_ten = services.district_report(day(10), day(10))
    assert [(r.district, r.ordered, r.delivered, r.attendance) for r in only_day_ten] == [
        ("醴陵市", 0, 1, 35),
        ("合计", 0, 1, 35),
    ]
    assert [r.district for r in services.district_report(day(30), day(40))] == ["合计"]


def test_report_needs_an_ordered_period():
    with pytest.raises(ValidationError, match="开始日期不能晚于结束日期"):
        services.district_report(day(2), day(1))
    with pytest.raises(ValidationError, match="请选择统计的起止日期"):
        services.district_report(None, day(1))
