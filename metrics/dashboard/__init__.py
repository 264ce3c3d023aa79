"""The dashboards (admin home panel, dashboard page, large screen): see registry.py."""

from . import network_charts, usage_charts  # noqa: F401  (they register the charts)
from .registry import CHARTS, chart  # noqa: F401
