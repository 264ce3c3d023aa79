"""PostgreSQL's connections killed (pg_terminate_backend) while residents enrol through the API of
a real gunicorn server with persistent connections: the requests after a kill succeed (Django's
connection health checks replace a dead connection before the request uses it), only requests
caught mid-query fail, and every enrolment the server confirmed is in the database."""

import json
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection

from tests.resources.factories import make_two_venues
from tests.training.courses import offering_of, open_course
from tests.training.factories import make_resident
from training.accounts import issue_token
from training.models import ACTIVE, Enrolment

from . import processes

pytestmark = [
    pytest.mark.postgres,
    # Committed data (the server reads it); what migrations created is put back afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

RESIDENTS = 48
CLIENTS = 6  # concurrent clients
SERVER = ["--workers", "2", "--threads", "3"]  # 6 threads, each with its own connection
KILLS = 4
KILL_EVERY = 0.5  # seconds


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _kill_connections():
    """Every other connection to the test database, as an operator or a failover would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, token=None):
        """(status, body); status 0 when no HTTP answer came at all."""
        request = urllib.request.Request(f"{self.base}{path}", method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except OSError as error:
            return 0, repr(error).encode()

    def wait_until_up(self, server, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert server.poll() is None, "gunicorn exited"
            if self.call("GET", "/api/v1/courses")[0] == 200:
                return
            time.sleep(0.2)
        raise AssertionError("gunicorn did not answer")


@pytest.fixture
def server(postgres_only, tmp_path):
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    command = ["gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", *SERVER]
    process = processes.start(
        [processes.python(), "-m", *command],
        settings_module="portal.settings.test",
        # Persistent connections, as README's DATABASE_CONN_MAX_AGE sets them: a killed one is
        # met again by the thread's next request.
        env={"DATABASE_CONN_MAX_AGE": "600", "DATABASE_POOL": "0"},
        log=log,
    )
    api = Api(f"http://127.0.0.1:{port}")
    try:
        api.wait_until_up(process)
        yield api
    finally:
        process.terminate()
        process.wait(20)
        log.close()


def test_killed_connections_cost_only_the_requests_they_interrupt(server):
    offering = offering_of(open_course(make_two_venues()["a"], capacity=RESIDENTS))
    path = f"/api/v1/courses/{offering.course_id}/enrolments"
    people = [(resident, issue_token(resident.user)[0]) for resident in _residents()]
    waiting = list(people)
    lock = threading.Lock()
    answers, confirmed = [], []

    kills_done = threading.Event()

    def client():
        # Enrols the residents left, and keeps reading until the last kill (so every kill meets
        # requests in flight).
        while True:
            with lock:
                resident, token = waiting.pop() if waiting else (None, None)
            if resident is None:
                if kills_done.is_set():
                    return
                answers.append(server.call("GET", "/api/v1/courses")[0])
                time.sleep(0.02)
                continue
            status, body = server.call("POST", path, token)
            answers.append(status)
            if status == 201:
                confirmed.append(resident.pk)
            elif status == 409 and json.loads(body).get("code") == "duplicate":
                confirmed.append(resident.pk)  # a retry of one that got through
            else:
                with lock:
                    waiting.insert(0, (resident, token))  # retried, as an app would
            answers.append(server.call("GET", "/api/v1/courses")[0])  # reads between writes
            time.sleep(0.02)

    # Every server thread holds a connection before the first kill.
    for _ in range(CLIENTS * 2):
        assert server.call("GET", "/api/v1/courses")[0] == 200
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    killed = 0
    for _ in range(KILLS):
        time.sleep(KILL_EVERY)
        killed += _kill_connections()
    kills_done.set()
    for thread in threads:
        thread.join(120)
    assert killed >= KILLS  # the kills met connections

    failures = [status for status in answers if status not in (200, 201, 409)]
    # Only a request using its connection at the moment of a kill fails, and it gets a clean
    # HTTP error; the rest of the server's connections are replaced unnoticed.
    assert all(status in (500, 503) for status in failures), failures
    assert len(failures) <= KILLS * CLIENTS, failures
    # No enrolment lost: every resident confirmed exactly once, each in the database.
    assert sorted(confirmed) == sorted(resident.pk for resident, _token in people)
    enrolled = Enrolment.objects.filter(offering=offering, status__in=ACTIVE)
    assert sorted(enrolled.values_list("resident_id", flat=True)) == sorted(confirmed)

    # Right after a kill every server thread's connection is dead: none of it shows.
    for _ in range(CLIENTS * 2):
        assert server.call("GET", "/api/v1/courses")[0] == 200
    assert _kill_connections() >= 1
    statuses = [server.call("GET", "/api/v1/courses")[0] for _ in range(CLIENTS * 3)]
    assert statuses == [200] * len(statuses)


def _residents():
    return [make_resident(real_name=f"居民{number}") for number in range(RESIDENTS)]
