import pytest

from metrics.buffer import buffer


@pytest.fixture(autouse=True)
def metrics_on(settings):
    """Recording on, no writer thread (tests flush when they mean to), an empty buffer."""
    settings.METRICS_ENABLED = True
    settings.METRICS_FLUSH_SECONDS = 0
    settings.METRICS_BATCH_SIZE = 500
    buffer.clear()
    yield
    buffer.stop_writer()
    buffer.clear()


BROWSER = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47"
)
