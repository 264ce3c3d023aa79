"""Load benchmark: gunicorn (deploy/gunicorn.conf.py, production settings) serving the demo network
on PostgreSQL, driven by wrk; every figure also as a ratio to a trivial view in the same run.

    .venv/bin/python bench/load/bench_load.py     # PostgreSQL at PG_URL; needs Debian's wrk

A throw-away database (Django's test database machinery, all migrations) gets the Zhuzhou demo
network (`load_demo_data`), open courses and residents with bearer tokens (as
bench_enrolment.py). gunicorn runs with the production settings and deploy/gunicorn.conf.py
(BENCH_WORKERS × BENCH_THREADS, defaults from that file), the database pool on, and Redis as the
shared cache when 127.0.0.1:6379 answers (else the in-process default). Scenarios, BENCH_SECONDS
each, BENCH_CONNECTIONS keep-alive connections on 2 wrk threads:

  trivial    GET /healthz: no database, no cache (run first and last; the baseline is the mean)
  cached     GET a main centre's venue page, anonymous: answered by the whole-page cache
  uncached   GET a news article with a session cookie: the whole-page cache is bypassed, and the
             fragment cache is switched off for the run, so Django renders all of it each time
  search     GET /api/v1/search?q=书法 (the search result cache of SEARCH_RESULT_CACHE_SECONDS on)
  enrol      POST /api/v1/courses/{id}/enrolments, each request a different resident

Goals (2-core machine): cached >= 1000 req/s with p99 < 100 ms, uncached >= 50 req/s,
cached/trivial >= 0.8. Other processes on the machine lower every figure: the load average is
printed first.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_URL = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/culturehall")
os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or PG_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WRK_THREADS = 2
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "4000"))  # more than enrol can use up
WARM_UP_RESIDENTS = 500
# Before each measurement: every worker process has served the scenario's view (imports,
# templates, jieba's dictionary for search), so the figures show the steady state.
WARM_UP_SECONDS = 3
COURSES, PLACES = 20, 150
REDIS_URL = "redis://127.0.0.1:6379/12"
GOAL_CACHED_RATE, GOAL_CACHED_P99_MS, GOAL_UNCACHED_RATE, GOAL_RATIO = 1000, 100, 50, 0.8


# --- data ----------------------------------------------------------------------------------


def make_data(workdir):
    """The demo network, plus courses and residents for enrolment; returns the URLs to load."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from network.models import Venue
    from portal.models import ArticlePage, VenuePage
    from resources.models import ArtForm, Course
    from training.accounts import issue_token
    from training.models import Resident

    call_command("load_demo_data", stdout=open(os.devnull, "w"))  # noqa: SIM115
    hub = Venue.objects.get(level="hub")
    venue_page = VenuePage.objects.filter(venue__level="main").order_by("path").first()
    article = ArticlePage.objects.live().public().order_by("path").first()
    art_form = ArtForm.objects.first()
    start = timezone.localdate() + timezone.timedelta(days=30)
    course_ids = [
        Course.objects.create(
            owner=hub,
            title=f"压测课程{i:02d}",
            art_form=art_form,
            capacity=PLACES,
            status="open",
            start_date=start,
        ).pk
        for i in range(COURSES)
    ]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"138{i:08d}", password=make_password(None))
        for i in range(RESIDENTS)
    )
    now = timezone.now()
    Resident.objects.bulk_create(
        Resident(user=user, phone=user.username, real_name=f"居民{i}", consented_at=now)
        for i, user in enumerate(users)
    )
    tokens = [issue_token(user)[0] + "\n" for user in users]
    (workdir / "warm-up-tokens.txt").write_text("".join(tokens[:WARM_UP_RESIDENTS]))
    (workdir / "tokens.txt").write_text("".join(tokens[WARM_UP_RESIDENTS:]))
    return {
        "venue": venue_page.get_url(),
        "article": article.get_url(),
        "courses": course_ids,
        "tokens": workdir / "tokens.txt",
        "warm_up_tokens": workdir / "warm-up-tokens.txt",
    }


# --- server --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def server_environment(database_name, port, static_root, cache_prefix):
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=PG_URL.rsplit("/", 1)[0] + "/" + database_name,
        DATABASE_POOL="1",
        # The data was written with the bench process's keys (tokens, personal data).
        SECRET_KEY=settings.SECRET_KEY,
        PERSONAL_DATA_ENCRYPTION_KEYS=",".join(settings.PERSONAL_DATA_ENCRYPTION_KEYS),
        PERSONAL_DATA_HASH_KEY=settings.PERSONAL_DATA_HASH_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP here; nginx terminates TLS in production
        STATIC_ROOT=str(static_root),
        PAGE_FRAGMENT_CACHE_SECONDS="0",  # "uncached" means rendered in full
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        LOG_LEVEL="WARNING",
        CACHE_KEY_PREFIX=cache_prefix,
    )
    if redis_answers():
        env["REDIS_URL"] = REDIS_URL
    else:
        env.pop("REDIS_URL", None)
    for name, variable in (
        ("BENCH_WORKERS", "GUNICORN_WORKERS"),
        ("BENCH_THREADS", "GUNICORN_THREADS"),
    ):
        if os.environ.get(name):
            env[variable] = os.environ[name]
    return env


def forget_cached_pages(prefix):
    if redis_answers():
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def start_gunicorn(env, port):
    # The production settings need collected static files (their manifest) to render pages.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGKILL)
    raise RuntimeError("gunicorn 未能启动")


def check_page(port, path, headers, expected_cache_header):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200, (path, response.status)
        got = response.headers.get("X-Page-Cache")
        assert got == expected_cache_header, (path, got)


# --- load ----------------------------------------------------------------------------------


def wrk(port, path, script="report.lua", headers=(), script_args=(), seconds=SECONDS):
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", script]
    command += ["--timeout", "10s"]  # a slow answer counts in p99, not as an error
    for header in headers:
        command += ["-H", header]
    command.append(f"http://127.0.0.1:{port}{path}")
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(
        command, cwd=HERE, capture_output=True, text=True, check=True, timeout=SECONDS + 60
    ).stdout
    match = re.search(r"WRK_RESULT (.*)", output)
    if match is None:
        raise RuntimeError(f"wrk 输出无法解析：{output}")
    figures = {k: int(v) for k, v in (item.split("=") for item in match.group(1).split())}
    return {
        "rate": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": figures["status_errors"] + figures["socket_errors"],
    }


def warm_up(port, scenario):
    """Until a short run answers steadily (every worker has loaded what the view needs; on a
    busy machine that can take many seconds), at most a minute."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        figures = wrk(port, **scenario, seconds=WARM_UP_SECONDS)
        if figures["rate"] > 0 and figures["p99"] < 2000:
            return


def run_scenarios(port, data, session_cookie):
    uncached_headers = [f"Cookie: {session_cookie}=load-bench-no-such-session"]
    check_page(port, data["venue"], {}, "miss")  # warms the whole-page cache
    check_page(port, data["venue"], {}, "hit")
    check_page(port, data["article"], {"Cookie": uncached_headers[0][8:]}, None)
    search = "/api/v1/search?q=%E4%B9%A6%E6%B3%95"
    courses = ",".join(map(str, data["courses"]))
    scenarios = {
        "trivial": {"path": "/healthz"},
        "cached": {"path": data["venue"]},
        "uncached": {"path": data["article"], "headers": uncached_headers},
        "search": {"path": search},
        "enrol": {"path": "/", "script": "enrol.lua"},
    }
    results = {}
    for name, scenario in scenarios.items():
        if name == "enrol":
            warm_up_args = (str(data["warm_up_tokens"]), courses, str(WRK_THREADS))
            wrk(port, **scenario, script_args=warm_up_args, seconds=WARM_UP_SECONDS)
            scenario["script_args"] = (str(data["tokens"]), courses, str(WRK_THREADS))
        else:
            warm_up(port, scenario)
        results[name] = wrk(port, **scenario)
    second = wrk(port, "/healthz")
    first = results["trivial"]
    results["trivial"] = {
        key: (first[key] + second[key]) / 2 for key in ("rate", "p50", "p99", "errors")
    }
    return results


def report(results, cache_backend):
    baseline = results["trivial"]["rate"]
    print(f"== {SECONDS} s each, {CONNECTIONS} connections, cache: {cache_backend} ==")
    print(f"  {'scenario':<9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'errors':>7}")
    for name, figures in results.items():
        print(
            f"  {name:<9} {figures['rate']:9.1f} {figures['p50']:8.1f} {figures['p99']:8.1f}"
            f" {figures['rate'] / baseline:7.3f} {figures['errors']:7.0f}"
        )
    cached, uncached = results["cached"], results["uncached"]
    goals = [
        (
            f"cached {cached['rate']:.0f} req/s >= {GOAL_CACHED_RATE}",
            cached["rate"] >= GOAL_CACHED_RATE,
        ),
        (
            f"cached p99 {cached['p99']:.1f} ms < {GOAL_CACHED_P99_MS}",
            cached["p99"] < GOAL_CACHED_P99_MS,
        ),
        (
            f"uncached {uncached['rate']:.0f} req/s >= {GOAL_UNCACHED_RATE}",
            uncached["rate"] >= GOAL_UNCACHED_RATE,
        ),
        (
            f"cached/trivial {cached['rate'] / baseline:.3f} >= {GOAL_RATIO}",
            cached["rate"] / baseline >= GOAL_RATIO,
        ),
    ]
    for text, met in goals:
        print(("PASS" if met else "MISS") + f": {text}")


def main():
    from bench_import import setup_django

    if shutil.which("wrk") is None:
        raise SystemExit("需要 wrk：apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    connection, old_name = setup_django(workdir)
    if connection.vendor != "postgresql":
        raise SystemExit("bench_load 需要 PostgreSQL（DATABASE_URL / PG_URL）")
    from django.conf import settings

    server = None
    try:
        print("loading the demo network …", flush=True)
        data = make_data(workdir)
        port = free_port()
        env = server_environment(
            connection.settings_dict["NAME"], port, workdir / "static", f"bench-load-{os.getpid()}"
        )
        server = start_gunicorn(env, port)
        cache_backend = "Redis" if "REDIS_URL" in env else "in-process (LocMem)"
        print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs", flush=True)
        results = run_scenarios(port, data, settings.SESSION_COOKIE_NAME)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(workdir, ignore_errors=True)
        forget_cached_pages(f"bench-load-{os.getpid()}")
    report(results, cache_backend)
    print(f"load average afterwards {os.getloadavg()[0]:.1f} (other processes lower every figure)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
