"""Benchmark: enrolment throughput and p95 latency under 50 concurrent clients, against gunicorn
on PostgreSQL, as a ratio to a trivial authenticated JSON view on the same server in one run.

    .venv/bin/python bench/bench_enrolment.py      # PostgreSQL at PG_URL (default below)

A throw-away database (Django's test database machinery, all migrations) holds a small network,
20 open courses of 150 places (so both enrolments and waiting-list entries happen), and one
resident with a bearer token (Wagtail's APIToken through POST /api/v1/auth/token's service) per
request. gunicorn (gthread: 2 workers × 8 threads on this 2-CPU machine, settings
bench/enrolment_site.py: production-like, DEBUG off, the database task backend) serves:

  baseline  GET /bench/ping, a JSON view behind the same bearer authentication
  enrol     POST /api/v1/courses/{id}/enrolments, each request a different resident

50 clients on keep-alive connections (asyncio, in this process) send REQUESTS requests each
round; order baseline, enrol, baseline; the ratio compares enrolment throughput with the mean
baseline. Goal: throughput ratio >= 0.5. Every enrolment must answer 201, and the database must
hold exactly one active enrolment per request with no course over its places.
"""

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/culturehall")
os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or PG_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

CLIENTS = 50
REQUESTS = 3000  # per round
COURSES = 20
PLACES = 150
GOAL = 0.5
WORKERS = os.environ.get("BENCH_WORKERS", "2")
THREADS = os.environ.get("BENCH_THREADS", "8")


# --- data ----------------------------------------------------------------------------------


def make_data():
    """Courses open for enrolment and one resident + token per enrolment request."""
    from bench_import import make_network
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from resources.models import ArtForm, Course
    from training.accounts import issue_token
    from training.models import Resident

    hub = make_network()
    art_form = ArtForm.objects.first()
    courses = [
        Course.objects.create(
            owner=hub,
            title=f"基准课程{i:02d}",
            art_form=art_form,
            capacity=PLACES,
            status="open",
            start_date=timezone.localdate() + timezone.timedelta(days=30),
        )
        for i in range(COURSES)
    ]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"139{i:08d}", password=make_password(None))
        for i in range(REQUESTS + 1)
    )
    now = timezone.now()
    Resident.objects.bulk_create(
        Resident(user=user, phone=user.username, real_name=f"居民{i}", consented_at=now)
        for i, user in enumerate(users)
    )
    tokens = [issue_token(user)[0] for user in users]
    return [course.pk for course in courses], tokens


# --- server --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_name, port):
    env = dict(os.environ)
    env["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + database_name
    env["DJANGO_SETTINGS_MODULE"] = "enrolment_site"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "bench")])
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"]
    command += ["--workers", WORKERS, "--threads", THREADS, "--keep-alive", "30"]
    command += ["--log-level", "error"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


# --- load ----------------------------------------------------------------------------------


async def client(port, jobs, latencies, statuses):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while jobs:
            method, path, token = jobs.pop()
            request = (
                f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                "Content-Length: 2\r\n\r\n{}"
            )
            started = time.perf_counter()
            writer.write(request.encode())
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            statuses.append((int(status_line.split()[1]), body))
    finally:
        writer.close()


async def load(port, jobs):
    latencies, statuses = [], []
    jobs = list(reversed(jobs))  # pop() from the end keeps the given order
    started = time.perf_counter()
    await asyncio.gather(*(client(port, jobs, latencies, statuses) for _ in range(CLIENTS)))
    seconds = time.perf_counter() - started
    return len(latencies) / seconds, percentile(latencies, 95) * 1000, statuses


def percentile(values, pct):
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def run_round(port, jobs, label, expected):
    rate, p95, statuses = asyncio.run(load(port, jobs))
    wrong = [(code, body[:200]) for code, body in statuses if code != expected]
    if wrong:
        raise SystemExit(f"{label}: {len(wrong)} unexpected answers, e.g. {wrong[:3]}")
    print(f"  {label:<9} {rate:8.1f} req/s   p95 {p95:7.1f} ms")
    return rate, p95


def check_database(course_ids):
    from training.models import Enrolment, EnrolmentStatus, Offering

    active = Enrolment.objects.filter(
        status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED]
    )
    assert active.count() == REQUESTS, active.count()
    for offering in Offering.objects.filter(course_id__in=course_ids):
        enrolled = offering.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()
        assert enrolled == offering.enrolled <= offering.capacity, offering
    print(f"  database: {REQUESTS} active enrolments, no course over its {PLACES} places")


def main():
    from bench_import import setup_django

    connection, old_name = setup_django(Path("/tmp"))
    if connection.vendor != "postgresql":
        raise SystemExit("bench_enrolment needs PostgreSQL (DATABASE_URL / PG_URL)")
    server = None
    try:
        course_ids, tokens = make_data()
        ping_token = tokens.pop()
        port = free_port()
        server = start_gunicorn(connection.settings_dict["NAME"], port)
        print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs; {CLIENTS} clients")
        print(f"== enrolment vs a trivial authenticated JSON view, {REQUESTS} requests a round ==")
        ping = [("GET", "/bench/ping", ping_token)] * REQUESTS
        warm = [("GET", "/bench/ping", ping_token)] * 200
        asyncio.run(load(port, warm))
        first, first_p95 = run_round(port, ping, "baseline", 200)
        enrol_jobs = [
            ("POST", f"/api/v1/courses/{course_ids[i % COURSES]}/enrolments", token)
            for i, token in enumerate(tokens)
        ]
        enrol, enrol_p95 = run_round(port, enrol_jobs, "enrol", 201)
        second, second_p95 = run_round(port, ping, "baseline", 200)
        check_database(course_ids)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    baseline = (first + second) / 2
    ratio = enrol / baseline
    p95_ratio = enrol_p95 / ((first_p95 + second_p95) / 2)
    print(
        f"  throughput ratio enrol/baseline {ratio:.3f} (goal >= {GOAL}); p95 ratio {p95_ratio:.2f}"
    )
    print(("PASS" if ratio >= GOAL else "MISS") + f": enrolment throughput ratio {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
