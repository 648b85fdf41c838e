"""The web console for moderators and operators, with health and metrics: aiohttp and Jinja2."""

from adapters.web.errors import RecentErrors
from adapters.web.metrics import PrometheusMetrics
from adapters.web.server import WebConsole

__all__ = ["PrometheusMetrics", "RecentErrors", "WebConsole"]
