"""gunicorn server hooks: `gunicorn -c python:metrics.gunicorn_hooks …`, or import them into your own
gunicorn config. A worker stopped cleanly (SIGTERM, SIGHUP reload, max_requests) writes its
buffered events before it exits; atexit does the same, this makes it explicit and logged."""


def worker_exit(server, worker):
    from metrics.buffer import buffer

    buffer.flush_at_exit()
