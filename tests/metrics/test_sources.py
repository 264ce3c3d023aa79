"""Events from the other apps: asset plays and downloads, searches, loans, delivered orders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from metrics.buffer import buffer
from metrics.models import Event
from resources.serving import send_usage
from tests.resources.factories import make_asset

from .conftest import BROWSER


@pytest.mark.django_db
def test_asset_served_signal_records_plays_and_downloads(network):
    asset = make_asset(network["youxian"])
    request = RequestFactory().get("/", HTTP_USER_AGENT=BROWSER)
    send_usage(request, asset, "play")
    send_usage(request, asset, "download")
    bot = RequestFactory().get("/", HTTP_USER_AGENT="Googlebot/2.1")
    send_usage(bot, asset, "download")
    buffer.flush()
    rows = list(
        Event.objects.order_by("pk").values_list("event_type", "venue_id", "object_key", "visitor")
    )
    assert [row[:3] for row in rows] == [
        ("asset_play", network["youxian"].pk, f"asset:{asset.pk}"),
        ("asset_download", network["youxian"].pk, f"asset:{asset.pk}"),
    ]
    assert rows[0][3] == rows[1][3] != ""  # the same anonymous session


@pytest.mark.django_db
def test_a_public_search_is_recorded_with_its_query_and_result_count(client, network):
    response = client.get("/search/", {"q": "醴陵"}, HTTP_USER_AGENT=BROWSER)
    client.get("/search/", HTTP_USER_AGENT=BROWSER)  # the empty page: no search
    buffer.flush()
    event = Event.objects.get()
    assert (event.event_type, event.detail, event.venue_id) == ("search", "醴陵", None)
    assert event.value == Decimal(response.context["result_page"].count)


@pytest.mark.django_db
def test_a_loan_counts_for_the_lender_when_lent(network, django_capture_on_commit_callbacks):
    from resources import loan_services
    from resources.models import Teacher
    from tests.factories import editor_of

    lender, borrower = editor_of(network["liling"]), editor_of(network["pukou"])
    teacher = Teacher.objects.create(owner=network["liling"], name="李老师", max_loan_days=10)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        loan = loan_services.request_loan(
            borrower, teacher, network["pukou"], today + timedelta(5), today + timedelta(6), "培训"
        )
        loan_services.approve(lender, loan)
        assert len(buffer) == 0  # requested and approved: nothing provided yet
        loan_services.lend(lender, loan)
    buffer.flush()
    event = Event.objects.get()
    assert (event.event_type, event.venue_id, event.object_key) == (
        "loan",
        network["liling"].pk,
        f"teacher:{teacher.pk}",
    )
