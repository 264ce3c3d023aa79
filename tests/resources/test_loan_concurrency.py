"""Double booking is impossible because the database refuses it, not only the Python checks:
20 venues racing for one teacher on PostgreSQL, and overlapping rows written past the service."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from network.models import Venue
from resources import loan_services as services
from resources.loans import Loan, LoanStatus
from resources.models import Teacher, TeachingAsset
from resources.vocab import TeachingAssetKind
from tests.factories import editor_of, make_network, make_user

TODAY = timezone.localdate()
RACERS = 20


def day(n):
    return TODAY + timedelta(days=n)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_venues_race_for_one_teacher():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite serialises every write on one database lock, so there is no real race to "
            "test; run with DATABASE_URL=postgres://… to exercise the exclusion constraint."
        )
    network = make_network()
    lender = network["liling"]
    lender_editor = editor_of(lender)
    teacher = Teacher.objects.create(owner=lender, name="赵老师", max_loan_days=30)
    # Branch venues without the page/group provisioning a real branch gets: a superuser acts
    # for them, and bulk_create sends no post_save. Only the borrower row matters here.
    branches = Venue.objects.bulk_create(
        Venue(
            code=f"race-{i:02d}",
            level="branch",
            parent=lender,
            place_name=f"赛{i}",
            name=f"醴陵市文化馆赛{i}分馆",
            district=lender.district,
        )
        for i in range(RACERS)
    )
    requester = make_user("race-admin", superuser=True)

    start = threading.Barrier(RACERS)
    outcomes, escaped = [], []

    def race(index):
        try:
            start.wait()
            try:
                loan = services.request_loan(
                    requester,
                    teacher,
                    branches[index],
                    day(10 + index % 3),  # every pair of these date ranges overlaps
                    day(14 + index % 3),
                    f"第{index}场培训",
                )
                services.approve(lender_editor, loan)
                outcomes.append(("approved", index))
            except ValidationError as error:
                outcomes.append(("refused", error.messages[0]))
        except BaseException as error:  # noqa: BLE001 - the test reports anything that escapes
            escaped.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert escaped == []
    assert len(outcomes) == RACERS
    approved = [o for o in outcomes if o[0] == "approved"]
    refused = [o[1] for o in outcomes if o[0] == "refused"]
    assert len(approved) == 1
    assert len(refused) == RACERS - 1
    assert all(message.startswith("该资源在 ") for message in refused)
    assert all("期间已被借出" in message for message in refused)
    holding = Loan.objects.holding().filter(teacher=teacher)
    assert holding.count() == 1
    assert holding.get().borrower == branches[approved[0][1]]


def _overlapping_pair(network, item):
    first = Loan(
        borrower=network["pukou"],
        start_date=day(5),
        end_date=day(8),
        purpose="直接写入",
        status=LoanStatus.APPROVED,
    )
    first.set_item(item)
    first.save()
    second = Loan(
        borrower=network["youxian"],
        start_date=day(8),
        end_date=day(9),
        purpose="绕过服务直接写入",
        status=LoanStatus.REQUESTED,
    )
    second.set_item(item)
    return first, second


@pytest.mark.django_db
def test_database_refuses_overlapping_rows_written_past_the_service():
    network = make_network()
    teacher = Teacher.objects.create(owner=network["liling"], name="钱老师")
    first, second = _overlapping_pair(network, teacher)

    # A pending request may overlap; the database refuses when it would hold the item.
    second.save()
    second.status = LoanStatus.APPROVED
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.filter(pk=second.pk).update(status=LoanStatus.LENT)

    third = Loan(
        borrower=network["huangfeng"],
        start_date=day(1),
        end_date=day(5),  # the shared end day counts: both ends are booked
        purpose="直接插入",
        status=LoanStatus.IN_USE,
    )
    third.set_item(teacher)
    with pytest.raises(IntegrityError), transaction.atomic():
        third.save()
    assert Loan.objects.holding().filter(teacher=teacher).count() == 1

    # Adjacent dates, another item, or a first loan no longer holding: all accepted.
    third.end_date = day(4)
    third.save()
    first.status = LoanStatus.RETURNED
    first.save()
    Loan.objects.filter(pk=second.pk).update(status=LoanStatus.LENT)
    assert Loan.objects.holding().filter(teacher=teacher).count() == 2


@pytest.mark.django_db
def test_database_allows_overlapping_digital_loans_but_not_physical_ones():
    network = make_network()
    digital = TeachingAsset.objects.create(
        owner=network["liling"],
        name="剪纸录播课",
        kind=TeachingAssetKind.COURSE_PACKAGE,
        is_digital=True,
    )
    physical = TeachingAsset.objects.create(
        owner=network["liling"], name="古筝", kind=TeachingAssetKind.INSTRUMENT
    )
    _first, second = _overlapping_pair(network, digital)
    second.status = LoanStatus.APPROVED
    second.save()
    assert Loan.objects.holding().filter(teaching_asset=digital).count() == 2

    _first, second = _overlapping_pair(network, physical)
    second.status = LoanStatus.APPROVED
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
