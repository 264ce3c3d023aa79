"""Borrowing between venues (借用): the state machine, the owner's rules, double booking, rights,
notifications and the admin pages. Runs on SQLite and PostgreSQL."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from resources import loan_services as services
from resources.loans import HOLDING_STATUSES, Loan, LoanStatus
from resources.models import Programme, Teacher, TeachingAsset
from resources.vocab import ProgrammeKind, TeachingAssetKind, Visibility
from tests.factories import editor_of, make_user, moderator_of

TODAY = timezone.localdate()


def day(n):
    return TODAY + timedelta(days=n)


@pytest.fixture
def staff(network):
    """An editor for each venue that takes part, and a hub administrator."""
    return {
        "liling": editor_of(network["liling"]),
        "pukou": editor_of(network["pukou"]),
        "youxian": editor_of(network["youxian"]),
        "huangfeng": editor_of(network["huangfeng"]),
        "admin": make_user("hub-admin", superuser=True),
    }


@pytest.fixture
def teacher(network):
    return Teacher.objects.create(
        owner=network["liling"], name="李老师", max_loan_days=10, phone="13812341234"
    )


@pytest.fixture
def costume(network):
    return TeachingAsset.objects.create(
        owner=network["liling"],
        name="花鼓戏服装",
        kind=TeachingAssetKind.COSTUME,
        buffer_days_before=2,
        buffer_days_after=3,
    )


@pytest.fixture
def package(network):
    return TeachingAsset.objects.create(
        owner=network["liling"],
        name="书法录播课程包",
        kind=TeachingAssetKind.COURSE_PACKAGE,
        is_digital=True,
    )


def borrow(staff, network, item, venue, start, end, purpose="周末培训"):
    return services.request_loan(staff[venue], item, network[venue], start, end, purpose)


# --- the state machine -----------------------------------------------------------------------


def test_full_cycle_records_who_and_when(network, staff, teacher):
    loan = borrow(staff, network, teacher, "pukou", day(5), day(7))
    assert (loan.status, loan.lender, loan.borrower) == (
        LoanStatus.REQUESTED,
        network["liling"],
        network["pukou"],
    )
    assert loan.resource_key == f"teacher:{teacher.pk}" and loan.exclusive

    loan = services.approve(staff["liling"], loan, "同意，请按时归还")
    assert loan.status == LoanStatus.APPROVED
    assert loan.decided_by == staff["liling"] and loan.decided_at is not None
    assert loan.decision_reason == "同意，请按时归还"
    assert services.lend(staff["liling"], loan).status == LoanStatus.LENT
    assert services.start_use(staff["pukou"], loan).status == LoanStatus.IN_USE
    assert services.mark_returned(staff["liling"], loan).status == LoanStatus.RETURNED

    entries = ModelLogEntry.objects.for_instance(loan).order_by("timestamp", "pk")
    assert [(e.action, e.user) for e in entries] == [
        ("resources.loan.request", staff["pukou"]),
        ("resources.loan.approve", staff["liling"]),
        ("resources.loan.lend", staff["liling"]),
        ("resources.loan.start_use", staff["pukou"]),
        ("resources.loan.return", staff["liling"]),
    ]
    assert entries[1].data["reason"] == "同意，请按时归还"
    assert entries[1].data["previous_status"] == LoanStatus.REQUESTED
    assert all(e.timestamp for e in entries)


def test_overdue_when_past_end_and_not_returned(network, staff, teacher):
    loan = borrow(staff, network, teacher, "pukou", day(1), day(3))
    services.approve(staff["liling"], loan)
    services.lend(staff["liling"], loan)
    with pytest.raises(ValidationError, match="尚未超过归还日期"):
        services.mark_overdue(staff["liling"], loan, today=day(3))
    assert services.mark_overdue(staff["liling"], loan, today=day(4)).status == LoanStatus.OVERDUE
    assert services.mark_returned(staff["liling"], loan).status == LoanStatus.RETURNED


def test_daily_job_flags_overdue_loans(network, staff, teacher, costume):
    late = borrow(staff, network, teacher, "pukou", day(1), day(2))
    services.approve(staff["liling"], late)
    services.lend(staff["liling"], late)
    services.start_use(staff["pukou"], late)
    on_time = borrow(staff, network, costume, "pukou", day(1), day(9))
    services.approve(staff["liling"], on_time)
    services.lend(staff["liling"], on_time)

    flagged = services.flag_overdue_loans(today=day(5))

    assert [loan.pk for loan in flagged] == [late.pk]
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.status, on_time.status) == (LoanStatus.OVERDUE, LoanStatus.LENT)
    entry = ModelLogEntry.objects.for_instance(late).get(action="resources.loan.mark_overdue")
    assert entry.user is None


DISALLOWED = [
    (["decline"], "return", "已拒绝"),
    (["decline"], "approve", "已拒绝"),
    (["cancel"], "lend", "已取消"),
    ([], "lend", "待审批"),
    ([], "return", "待审批"),
    (["approve"], "start_use", "已批准"),
    (["approve", "lend", "start_use", "return"], "lend", "已归还"),
    (["approve", "lend"], "cancel", "已借出"),
]


def test_disallowed_transitions_are_refused(network, staff, teacher):
    actors = {"lender": staff["liling"], "borrower": staff["pukou"]}
    for n, (steps, action, expected) in enumerate(DISALLOWED):
        # A window of its own per case, so earlier approvals do not collide.
        loan = borrow(staff, network, teacher, "pukou", day(1 + 5 * n), day(3 + 5 * n))
        for step in steps:
            services.transition(actors[services.TRANSITIONS[step][2]], loan, step, "理由")
        before = Loan.objects.get(pk=loan.pk).status
        with pytest.raises(ValidationError, match=f"当前状态为“{expected}”"):
            services.transition(actors[services.TRANSITIONS[action][2]], loan, action, "理由")
        assert Loan.objects.get(pk=loan.pk).status == before


def test_decline_needs_a_reason_and_keeps_it(network, staff, teacher):
    loan = borrow(staff, network, teacher, "pukou", day(5), day(7))
    with pytest.raises(ValidationError, match="请填写理由"):
        services.decline(staff["liling"], loan, "  ")
    loan = services.decline(staff["liling"], loan, "该时段老师有演出任务")
    assert loan.status == LoanStatus.DECLINED
    assert loan.decision_reason == "该时段老师有演出任务"


def test_borrower_cancels_request_or_approved_loan(network, staff, teacher, costume):
    loan = borrow(staff, network, teacher, "pukou", day(5), day(7))
    assert services.cancel(staff["pukou"], loan).status == LoanStatus.CANCELLED
    loan = borrow(staff, network, costume, "pukou", day(5), day(7))
    services.approve(staff["liling"], loan)
    assert services.cancel(staff["pukou"], loan, "活动取消").status == LoanStatus.CANCELLED
    # A cancelled loan no longer books the item.
    other = borrow(staff, network, costume, "huangfeng", day(5), day(7))
    assert services.approve(staff["liling"], other).status == LoanStatus.APPROVED


# --- the owner's rules -------------------------------------------------------------------------


def test_longer_than_max_loan_days_refused(network, staff, teacher):
    with pytest.raises(ValidationError, match="借用时长 11 天，超过“李老师”允许的最长 10 天"):
        borrow(staff, network, teacher, "pukou", day(1), day(11))
    assert borrow(staff, network, teacher, "pukou", day(1), day(10)).days == 10


def test_not_lendable_refused(network, staff, teacher):
    teacher.lendable = False
    teacher.save()
    with pytest.raises(ValidationError, match="“李老师”不可外借"):
        borrow(staff, network, teacher, "pukou", day(1), day(2))
    assert not Loan.objects.exists()


def test_end_before_start_and_past_dates_refused(network, staff, teacher):
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        borrow(staff, network, teacher, "pukou", day(5), day(4))
    with pytest.raises(ValidationError, match="开始日期不能早于今天"):
        borrow(staff, network, teacher, "pukou", day(-1), day(2))
    with pytest.raises(ValidationError, match="请填写借用用途"):
        borrow(staff, network, teacher, "pukou", day(1), day(2), purpose=" ")
    assert not Loan.objects.exists()


def test_borrowing_from_own_venue_refused(network, staff, teacher):
    with pytest.raises(ValidationError, match="不能向本馆借用"):
        borrow(staff, network, teacher, "liling", day(1), day(2))


def test_buffers_are_booked_and_cause_conflicts(network, staff, costume):
    first = borrow(staff, network, costume, "pukou", day(10), day(12))
    assert (first.booked_from, first.booked_until) == (day(8), day(15))
    services.approve(staff["liling"], first)

    # Days 13-15 are free for the borrower's purposes but taken by the 3 days of tidying up;
    # a start on day 17 needs 2 days of preparation, reaching back into day 15.
    for start, end in [(day(13), day(14)), (day(17), day(18)), (day(5), day(6))]:
        with pytest.raises(ValidationError, match="该资源在 .* 期间已被借出"):
            borrow(staff, network, costume, "youxian", start, end)
    later = borrow(staff, network, costume, "youxian", day(18), day(19))
    assert services.approve(staff["liling"], later).status == LoanStatus.APPROVED
    earlier = borrow(staff, network, costume, "youxian", day(2), day(4))  # booked until day 7
    assert services.approve(staff["liling"], earlier).status == LoanStatus.APPROVED


def test_rule_changes_do_not_move_existing_bookings(network, staff, costume):
    loan = borrow(staff, network, costume, "pukou", day(10), day(12))
    costume.buffer_days_after = 10
    costume.save()
    loan = services.approve(staff["liling"], loan)
    assert loan.booked_until == day(15)


# --- no double booking -------------------------------------------------------------------------


@pytest.mark.parametrize("item_fixture", ["teacher", "costume"])
def test_overlapping_approval_refused(request, network, staff, item_fixture):
    item = request.getfixturevalue(item_fixture)
    first = borrow(staff, network, item, "pukou", day(10), day(12))
    second = borrow(staff, network, item, "youxian", day(12), day(14))  # both still pending
    services.approve(staff["liling"], first)

    with pytest.raises(ValidationError) as refused:
        services.approve(staff["liling"], second)
    assert refused.value.code == "double_booked"
    assert refused.value.messages[0].startswith(
        f"该资源在 {first.booked_from.isoformat()} 至 {first.booked_until.isoformat()} 期间已被借出"
    )
    second.refresh_from_db()
    assert second.status == LoanStatus.REQUESTED
    # The transaction stays usable after the database refused: the lender can decline instead.
    assert services.decline(staff["liling"], second, "时间冲突").status == LoanStatus.DECLINED
    assert Loan.objects.holding().filter(resource_key=first.resource_key).count() == 1


def test_same_dates_of_a_different_item_are_fine(network, staff, teacher):
    other = Teacher.objects.create(owner=network["liling"], name="王老师")
    programme = Programme.objects.create(
        owner=network["liling"], title="醴陵瓷韵", kind=ProgrammeKind.PERFORMANCE
    )
    for item, venue in [(teacher, "pukou"), (other, "youxian"), (programme, "huangfeng")]:
        loan = borrow(staff, network, item, venue, day(3), day(4))
        assert services.approve(staff["liling"], loan).status == LoanStatus.APPROVED


def test_returned_loan_frees_the_dates(network, staff, teacher):
    first = borrow(staff, network, teacher, "pukou", day(3), day(4))
    for action in ("approve", "lend"):
        services.transition(staff["liling"], first, action)
    services.mark_returned(staff["liling"], first)
    again = borrow(staff, network, teacher, "youxian", day(3), day(4))
    assert services.approve(staff["liling"], again).status == LoanStatus.APPROVED


def test_digital_asset_lends_to_many_at_once(network, staff, package):
    loans = [borrow(staff, network, package, v, day(1), day(5)) for v in ("pukou", "youxian")]
    loans.append(
        services.request_loan(
            staff["admin"], package, network["huangfeng"], day(2), day(3), "送教下乡"
        )
    )
    for loan in loans:
        assert not loan.exclusive
        for action in ("approve", "lend"):
            services.transition(staff["liling"], loan, action)
    assert (
        Loan.objects.filter(resource_key=f"asset:{package.pk}", status=LoanStatus.LENT).count() == 3
    )


def test_exactly_one_item_enforced_by_the_database(network, teacher, costume):
    from django.db import IntegrityError, transaction

    loan = Loan(borrower=network["pukou"], start_date=day(1), end_date=day(2), purpose="x")
    loan.teacher = teacher
    loan.teaching_asset = costume
    with pytest.raises(IntegrityError), transaction.atomic():
        loan.save()


# --- rights ------------------------------------------------------------------------------------


def test_only_the_right_side_may_act(network, staff, teacher):
    loan = borrow(staff, network, teacher, "pukou", day(5), day(7))
    for user, action in [
        (staff["pukou"], "approve"),  # the borrower cannot approve its own request
        (staff["youxian"], "approve"),  # nor can a venue that is no party
        (staff["liling"], "cancel"),  # the lender declines, it does not cancel
        (staff["huangfeng"], "decline"),
    ]:
        with pytest.raises(PermissionDenied):
            services.transition(user, loan, action, "理由")
    with pytest.raises(PermissionDenied):
        services.request_loan(staff["pukou"], teacher, network["youxian"], day(1), day(2), "x")
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.REQUESTED
    # The hub administrator may do anything.
    assert services.approve(staff["admin"], loan).status == LoanStatus.APPROVED


def test_moderators_act_for_their_venue_too(network, staff, teacher):
    moderator = moderator_of(network["liling"])
    loan = borrow(staff, network, teacher, "pukou", day(5), day(7))
    assert services.approve(moderator, loan).decided_by == moderator


def test_owner_only_items_cannot_be_found_by_other_venues(network, staff, teacher):
    teacher.visibility = Visibility.OWNER
    teacher.save()
    key = f"teacher:{teacher.pk}"
    assert services.find_item(key, staff["pukou"]) is None
    assert services.find_item(key, staff["liling"]) == teacher
    client_post = {
        "borrower": network["pukou"].pk,
        "resource": key,
        "start_date": day(1).isoformat(),
        "end_date": day(2).isoformat(),
        "purpose": "培训",
    }
    from django.test import Client

    client = Client()
    client.force_login(staff["pukou"])
    response = client.post(reverse("resources_loans:create"), client_post)
    assert response.status_code == 200
    assert not Loan.objects.exists()


@pytest.fixture
def pending(network, staff, teacher):
    return borrow(staff, network, teacher, "pukou", day(5), day(7))


def test_crafted_action_posts_are_forbidden(client, staff, pending):
    for who, action in [("pukou", "approve"), ("youxian", "approve"), ("liling", "cancel")]:
        client.force_login(staff[who])
        url = reverse("resources_loans:action", args=[pending.pk, action])
        assert client.post(url, {"reason": "x"}).status_code == 403
    client.logout()
    response = client.post(url, {"reason": "x"})
    assert response.status_code == 302 and "login" in response.url
    pending.refresh_from_db()
    assert pending.status == LoanStatus.REQUESTED
    assert (
        not ModelLogEntry.objects.for_instance(pending)
        .exclude(action="resources.loan.request")
        .exists()
    )


def test_crafted_request_for_another_venue_is_forbidden(client, network, staff, teacher):
    client.force_login(staff["youxian"])
    response = client.post(
        reverse("resources_loans:create"),
        {
            "borrower": network["pukou"].pk,
            "resource": f"teacher:{teacher.pk}",
            "start_date": day(1).isoformat(),
            "end_date": day(2).isoformat(),
            "purpose": "培训",
        },
    )
    assert response.status_code == 403
    assert not Loan.objects.exists()


def test_third_venue_cannot_see_a_loan(client, staff, pending):
    client.force_login(staff["huangfeng"])
    assert client.get(reverse("resources_loans:detail", args=[pending.pk])).status_code == 403
    response = client.get(reverse("resources_loans:incoming"))
    assert pending.purpose not in response.content.decode()


def test_both_parties_see_the_loan_in_their_box_and_act_on_its_page(client, staff, pending):
    # The lender finds it in 收到的借用申请, filtered by status, and approves it on its page.
    client.force_login(staff["liling"])
    incoming = reverse("resources_loans:incoming")
    assert str(pending.item) in client.get(incoming, {"status": "requested"}).content.decode()
    assert str(pending.item) not in client.get(incoming, {"status": "approved"}).content.decode()
    detail = client.get(reverse("resources_loans:detail", args=[pending.pk])).content.decode()
    assert "收到的借用申请" in detail and "批准" in detail and pending.purpose in detail
    response = client.post(
        reverse("resources_loans:action", args=[pending.pk, "approve"]), follow=True
    )
    assert "已批准。" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == LoanStatus.APPROVED
    # The borrower's page leads back to 发出的借用申请.
    client.force_login(staff["pukou"])
    detail = client.get(reverse("resources_loans:detail", args=[pending.pk])).content.decode()
    assert "发出的借用申请" in detail


# --- notifications -----------------------------------------------------------------------------


def test_both_sides_are_emailed(network, staff, teacher, django_capture_on_commit_callbacks):
    lender_moderator = moderator_of(network["liling"])
    with django_capture_on_commit_callbacks(execute=True):
        loan = borrow(staff, network, teacher, "pukou", day(5), day(7))
    assert len(mail.outbox) == 1
    request_mail = mail.outbox[0]
    assert sorted(request_mail.to) == sorted([staff["liling"].email, lender_moderator.email])
    assert "申请借用" in request_mail.subject and "李老师" in request_mail.subject
    assert "醴陵市文化馆浦口分馆" in request_mail.body
    assert f"/admin/loans/{loan.pk}/" in request_mail.body

    with django_capture_on_commit_callbacks(execute=True):
        services.decline(staff["liling"], loan, "老师外出演出")
    decision = mail.outbox[1]
    assert decision.to == [staff["pukou"].email]
    assert "拒绝" in decision.subject and "老师外出演出" in decision.body


def test_no_mail_when_nothing_commits(network, staff, teacher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        borrow(staff, network, teacher, "pukou", day(1), day(20))
    assert mail.outbox == []


def test_members_without_email_are_skipped(network, staff, teacher):
    silent = moderator_of(network["liling"])
    silent.email = ""
    silent.save()
    assert services.venue_recipients(network["liling"]) == [staff["liling"].email]


# --- admin pages -------------------------------------------------------------------------------


def test_request_through_the_admin_then_approve(
    client, network, staff, teacher, django_capture_on_commit_callbacks
):
    client.force_login(staff["pukou"])
    form = client.get(reverse("resources_loans:create") + f"?resource=teacher:{teacher.pk}")
    assert form.status_code == 200
    assert "李老师（醴陵市文化馆）" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("resources_loans:create"),
            {
                "borrower": network["pukou"].pk,
                "resource": f"teacher:{teacher.pk}",
                "start_date": day(3).isoformat(),
                "end_date": day(20).isoformat(),
                "purpose": "暑期声乐班",
            },
        )
    assert response.status_code == 200
    assert "超过“李老师”允许的最长 10 天" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("resources_loans:create"),
            {
                "borrower": network["pukou"].pk,
                "resource": f"teacher:{teacher.pk}",
                "start_date": day(3).isoformat(),
                "end_date": day(5).isoformat(),
                "purpose": "暑期声乐班",
            },
        )
    loan = Loan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("resources_loans:detail", args=[loan.pk])
    assert len(mail.outbox) == 1

    client.force_login(staff["liling"])
    incoming = client.get(reverse("resources_loans:incoming")).content.decode()
    assert "李老师" in incoming and "醴陵市文化馆浦口分馆" in incoming
    response = client.post(
        reverse("resources_loans:action", args=[loan.pk, "decline"]), {"reason": ""}
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REQUESTED  # refused: no reason given
    client.post(reverse("resources_loans:action", args=[loan.pk, "approve"]), {"reason": "同意"})
    loan.refresh_from_db()
    assert loan.status == LoanStatus.APPROVED

    page = client.get(reverse("resources_loans:detail", args=[loan.pk])).content.decode()
    assert "历史记录" in page
    assert "申请借用" in page and "批准：同意" in page
    assert staff["pukou"].get_username() in page and staff["liling"].get_username() in page
    assert "确认借出" in page  # the next step offered to the lender


def test_dashboard_and_menu_show_pending_counts(client, network, staff, teacher, costume):
    borrow(staff, network, teacher, "pukou", day(5), day(7))
    borrow(staff, network, costume, "pukou", day(5), day(7))
    client.force_login(staff["liling"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "借用申请" in home
    assert "<span>2</span> 条收到的申请待审批" in home
    # The sidebar menu travels as JSON (non-ASCII escaped); its labels carry the counts.
    assert json.dumps("收到的申请（2）")[1:-1] in home
    assert json.dumps("借用（2）")[1:-1] in home
    client.force_login(staff["pukou"])
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "<span>2</span> 条发出的申请等待对方审批" in home
    assert json.dumps("发出的申请（2）")[1:-1] in home
    assert json.dumps("收到的申请（")[1:-1] not in home
    assert services.pending_counts(staff["pukou"]) == (0, 2)
    assert services.pending_counts(staff["youxian"]) == (0, 0)


def test_migration_freezes_the_holding_statuses():
    import importlib

    migration = importlib.import_module("resources.migrations.0003_loans")
    assert set(migration.HOLDING) == {str(s) for s in HOLDING_STATUSES}
