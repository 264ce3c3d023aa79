"""gunicorn settings for culturehall's app servers, every value from the environment.

    gunicorn -c deploy/gunicorn.conf.py

Each app server is stateless (sessions, cache and files live in PostgreSQL, Redis and S3), so
any number of them can sit behind nginx. gthread workers: keep-alive connections from nginx and
threads that wait on PostgreSQL, Redis or S3 without holding a whole process.
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
# Two processes per core is the usual start; threads cover time spent waiting on I/O. With the
# database pool on, DATABASE_POOL_MAX_SIZE should be at least the thread count.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Longest a request may run before its worker is restarted: an 8 MiB upload part over a slow
# link fits; nginx's proxy_read_timeout (deploy/nginx.conf) matches it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Longer than nginx keeps an idle upstream connection, so gunicorn never closes one under it.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# Recycling workers after N requests is off: a new worker pays its start-up (imports, first
# renders) again, which at a thousand cached pages a second means every few seconds. Set it
# (with jitter) only to contain a leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# Headers such as X-Forwarded-Proto are trusted from these addresses only (nginx).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files on tmpfs: a container's overlay filesystem can stall them under load.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")  # nosec B108: gunicorn's heartbeat files, not data; tmpfs as its docs advise
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No preload: each worker opens its own database pool and metrics writer thread after the fork.
preload_app = False


def post_worker_init(worker):
    """Load now what a visitor's first request would otherwise wait for: the URLconf with its
    views, and the search's Chinese word segmenter (jieba's dictionary, seconds per process)."""
    from django.urls import get_resolver

    from search import analysis

    get_resolver().url_patterns  # noqa: B018  (the import is the point)
    analysis.tokenizer()
