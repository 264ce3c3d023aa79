"""The in-process event buffer: recording is an append; a writer thread inserts in batches.

- record() appends a dict to a deque (thread-safe, no lock): a few microseconds.
- A daemon writer thread wakes every METRICS_FLUSH_SECONDS, or at once when a batch is full,
  and writes with bulk_create, METRICS_BATCH_SIZE rows per INSERT, on its own connection.
- Without the thread (METRICS_FLUSH_SECONDS = 0, as in tests) a full buffer is written at
  request_finished, after the response has gone out.
- Shutdown: atexit and gunicorn's worker_exit hook (metrics.gunicorn) write what is left.
  What a crash (SIGKILL, OOM, power) catches in memory — at most a few seconds — is lost;
  docs/metrics.md weighs this against the database task backend.
- If the database is down, the batch goes back in front and is retried; past
  METRICS_BUFFER_MAX events the oldest are dropped, with an error in the log.
"""

import atexit
import logging
import os
import threading
from collections import deque

from django.conf import settings
from django.db import DatabaseError, close_old_connections

logger = logging.getLogger(__name__)


class EventBuffer:
    def __init__(self):
        self._reset()

    def _reset(self):
        self._events = deque()
        self._flush_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._writer = None

    def __len__(self):
        return len(self._events)

    def add(self, fields):
        self._events.append(fields)
        size = len(self._events)
        if self._writer is None:
            self._start_writer()
        if size >= settings.METRICS_BATCH_SIZE:
            self._wake.set()
        if size > settings.METRICS_BUFFER_MAX:
            self._events.popleft()
            logger.error("metrics buffer full (%s events): oldest event dropped", size)

    def clear(self):
        self._events.clear()

    def flush(self):
        """Write every buffered event; returns how many. Safe from any thread."""
        from .models import Event

        written = 0
        with self._flush_lock:
            while self._events:
                batch = []
                while len(batch) < settings.METRICS_BATCH_SIZE:
                    try:
                        batch.append(self._events.popleft())
                    except IndexError:
                        break
                try:
                    Event.objects.bulk_create([Event(**fields) for fields in batch])
                except DatabaseError:
                    self._events.extendleft(reversed(batch))  # keep their order; retry later
                    raise
                written += len(batch)
        return written

    def _start_writer(self):
        seconds = settings.METRICS_FLUSH_SECONDS
        if seconds <= 0:
            return
        with self._start_lock:
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_loop, args=(seconds,), name="metrics-writer", daemon=True
                )
                self._writer.start()

    def stop_writer(self):
        """Stop the writer thread (after its current batch); events stay buffered."""
        writer = self._writer
        if writer is not None:
            self._stopping.set()
            self._wake.set()
            writer.join(timeout=30)
            self._writer = None
            self._stopping.clear()

    def _write_loop(self, seconds):
        while not self._stopping.is_set():
            self._wake.wait(seconds)
            self._wake.clear()
            try:
                self.flush()
            except Exception:
                logger.exception("metrics: writing events failed; will retry")
            finally:
                close_old_connections()  # a broken or expired connection is reopened next time

    def flush_at_exit(self):
        if not self._events:
            return
        try:
            count = self.flush()
            logger.info("metrics: %s buffered events written at exit", count)
        except Exception:
            logger.exception("metrics: %s events lost at exit", len(self._events))


buffer = EventBuffer()
atexit.register(buffer.flush_at_exit)
# A forked child (gunicorn worker) starts empty: no copy of the parent's events, no dead thread.
os.register_at_fork(after_in_child=buffer._reset)


def flush_if_full(**kwargs):
    """request_finished: without a writer thread, a full buffer is written here."""
    if buffer._writer is None and len(buffer) >= settings.METRICS_BATCH_SIZE:
        buffer.flush()
