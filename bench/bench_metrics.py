"""Benchmark: page views of a cached venue page under 50 concurrent clients, usage metrics off
vs on, on the same gunicorn server in one run; then no event lost.

    .venv/bin/python bench/bench_metrics.py      # PostgreSQL at PG_URL (bench_enrolment.py)

A throw-away database holds one venue (its page provisioned as in production). gunicorn
(gthread: 2 workers × 8 threads, settings bench/metrics_site.py: Django's per-site cache in
front of the Wagtail page, the metrics writer thread every second, gunicorn's worker_exit hook
from metrics.gunicorn_hooks) serves GET <venue page> to 50 keep-alive clients (asyncio, in this
process), each request with a browser's User-Agent. Rounds: off, on, off, on, off; recording is
switched by a file the server checks per request (metrics_site.SwitchFile).

Goals: throughput on / off >= 0.9 (the on rounds against the mean of the off rounds), and
after a clean stop (SIGTERM) the raw page-view events equal the requests made in the on rounds.
"""

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_enrolment import CLIENTS, PG_URL, THREADS, WORKERS, free_port, percentile  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "6000"))  # per round
GOAL = 0.9
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


def start_gunicorn(database_name, port, switch):
    env = dict(os.environ)
    env["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + database_name
    env["DJANGO_SETTINGS_MODULE"] = "metrics_site"
    env["BENCH_METRICS_SWITCH"] = switch
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "bench")])
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
    command += ["-c", "python:metrics.gunicorn_hooks"]
    command += ["--bind", f"127.0.0.1:{port}", "--worker-class", "gthread"]
    command += ["--workers", WORKERS, "--threads", THREADS, "--keep-alive", "30"]
    command += ["--graceful-timeout", "30", "--log-level", "error"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    import socket

    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


async def client(port, path, jobs, latencies, answers):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {USER_AGENT}\r\n\r\n"
    try:
        while jobs:
            jobs.pop()
            started = time.perf_counter()
            writer.write(request.encode())
            await writer.drain()
            status_line = await reader.readline()
            headers = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                headers[name.strip().lower()] = value.strip()
            await reader.readexactly(int(headers.get("content-length", 0)))
            latencies.append(time.perf_counter() - started)
            answers.append((int(status_line.split()[1]), headers.get("cache-control", "")))
    finally:
        writer.close()


async def load(port, path, count):
    latencies, answers, jobs = [], [], list(range(count))
    started = time.perf_counter()
    await asyncio.gather(*(client(port, path, jobs, latencies, answers) for _ in range(CLIENTS)))
    return len(latencies) / (time.perf_counter() - started), latencies, answers


def run_round(port, path, label):
    rate, latencies, answers = asyncio.run(load(port, path, REQUESTS))
    wrong = [answer for answer in answers if answer[0] != 200]
    if wrong:
        raise SystemExit(f"{label}: {len(wrong)} answers not 200, e.g. {wrong[:3]}")
    p95 = percentile(latencies, 95) * 1000
    print(f"  {label:<12} {rate:8.1f} req/s   p95 {p95:6.1f} ms")
    return rate, answers


def main():
    from bench_import import make_network, setup_django

    connection, old_name = setup_django(Path("/tmp"))
    if connection.vendor != "postgresql":
        raise SystemExit("bench_metrics needs PostgreSQL (DATABASE_URL / PG_URL)")
    from metrics.models import Event

    server = None
    switch = Path(tempfile.mkdtemp()) / "metrics-on"
    rates = {"off": [], "on": []}
    try:
        venue = make_network()
        path = venue.page.url
        port = free_port()
        server = start_gunicorn(connection.settings_dict["NAME"], port, str(switch))
        print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs; {CLIENTS} clients")
        print(f"== GET {path} (cached venue page), {REQUESTS} requests a round ==")
        _, answers = asyncio.run(load(port, path, 400))[1:]  # warm: every worker caches the page
        if "max-age" not in answers[-1][1]:
            raise SystemExit(f"the page is not cached: Cache-Control {answers[-1][1]!r}")
        for state in ("off", "on", "off", "on", "off"):
            switch.touch() if state == "on" else switch.unlink(missing_ok=True)
            rate, _ = run_round(port, path, f"metrics {state}")
            rates[state].append(rate)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)  # a clean stop: workers write their buffers
            server.wait(timeout=60)
        recorded = Event.objects.filter(event_type="page_view").count()
        wrong_venue = Event.objects.exclude(venue=venue).count() if server else 0
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        switch.unlink(missing_ok=True)
    made = REQUESTS * len(rates["on"])
    off = sum(rates["off"]) / len(rates["off"])
    on = sum(rates["on"]) / len(rates["on"])
    ratio = on / off
    print(f"  throughput ratio on/off {ratio:.3f} (goal >= {GOAL})")
    print(
        f"  requests with metrics on {made}; raw page-view events {recorded}; other venue {wrong_venue}"
    )
    lost = made - recorded
    ok = ratio >= GOAL and lost == 0 and wrong_venue == 0
    print(("PASS" if ok else "MISS") + f": ratio {ratio:.3f}, events lost {lost}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
