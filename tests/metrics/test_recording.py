import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from metrics.buffer import buffer
from metrics.models import Event
from metrics.services import record


@pytest.mark.django_db
def test_record_buffers_and_flush_writes_every_event_in_batches(settings, network):
    settings.METRICS_BATCH_SIZE = 500
    for n in range(1234):
        assert record("page_view", venue=network["pukou"], visitor=f"v{n % 7}", object_key="page:1")
    assert Event.objects.count() == 0  # nothing written yet: recording is an append
    assert len(buffer) == 1234

    with CaptureQueriesContext(connection) as queries:
        assert buffer.flush() == 1234
    inserts = [q for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) <= 10  # bulk inserts (SQLite caps the parameters of one statement)
    assert len(buffer) == 0
    assert Event.objects.filter(event_type="page_view", venue=network["pukou"]).count() == 1234
    assert set(Event.objects.values_list("visitor", flat=True)) == {f"v{n}" for n in range(7)}


@pytest.mark.django_db
def test_recorded_fields(network):
    record("search", detail="花鼓戏" * 100, value=3)
    buffer.flush()
    event = Event.objects.get()
    assert (event.venue_id, event.detail, event.value) == (None, ("花鼓戏" * 100)[:200], Decimal(3))
    assert event.at is not None


def test_unknown_event_type_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown usage event type"):
        record("page_veiw")


def test_nothing_is_recorded_when_metrics_are_off(settings):
    settings.METRICS_ENABLED = False
    assert record("page_view") is False
    assert len(buffer) == 0


@pytest.mark.django_db
def test_a_full_buffer_is_written_at_request_end_without_a_writer_thread(settings, network, client):
    settings.METRICS_BATCH_SIZE = 3
    record("page_view", venue=network["hub"])
    record("page_view", venue=network["hub"])
    client.get("/search/")  # request_finished
    assert Event.objects.count() == 0  # below a batch: stays buffered
    record("page_view", venue=network["hub"])
    client.get("/search/")
    assert Event.objects.count() == 3
    assert len(buffer) == 0


@pytest.mark.django_db
def test_on_commit_events_follow_the_transaction(network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                record("loan", venue=network["liling"], on_commit=True)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        with transaction.atomic():
            record("loan", venue=network["youxian"], on_commit=True)
        assert len(buffer) == 0  # not before the commit
    assert len(buffer) == 1
    buffer.flush()
    assert list(Event.objects.values_list("venue__code", flat=True)) == ["youxian-main"]


# serialized_rollback: the flush after this test must not strip what later live-server and
# race tests restore (content types, the root page).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writer_thread_writes_by_time_and_when_a_batch_is_full(settings):
    settings.METRICS_FLUSH_SECONDS = 0.2
    settings.METRICS_BATCH_SIZE = 50
    record("search", detail="剪纸")
    writer = buffer._writer
    assert writer is not None and writer.is_alive() and writer is not threading.current_thread()
    _wait_for(lambda: Event.objects.count() == 1)

    settings.METRICS_FLUSH_SECONDS = 60  # the running writer keeps its period; a batch wakes it
    for _ in range(120):
        record("search", detail="剪纸")
    _wait_for(lambda: Event.objects.count() >= 101)
    buffer.stop_writer()  # writes the rest on its way out
    assert Event.objects.count() == 121
    assert len(buffer) == 0


def _wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the writer thread did not write in time"
        time.sleep(0.05)
