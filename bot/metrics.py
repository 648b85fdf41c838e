"""The metrics port: what the core and the adapters count, for operators to scrape.

The core reports through this neutral `Protocol` and never imports a metrics library; the web
adapter implements it with prometheus_client on a registry the composition root creates. Without
the web console every report goes to `NO_METRICS`, which drops it.
"""

from __future__ import annotations

from typing import Protocol

from bot.health import State

AdapterState = State
"""An adapter's state is the one its supervisor reports on the health board."""
ADAPTER_STATES: tuple[str, ...] = tuple(state.value for state in State)


class Metrics(Protocol):
    """Counts and timings; every method returns at once and never raises."""

    def question_answered(self, outcome: str, seconds: float) -> None:
        """A member's question got its outcome (`answer`, `choices`, `unknown`) after `seconds`."""
        ...

    def message_sent(self, platform: str) -> None:
        """An adapter delivered one message to its platform."""
        ...

    def rate_limited(self, platform: str) -> None:
        """The platform refused a request for now (HTTP 429, M_LIMIT_EXCEEDED)."""
        ...

    def adapter_state(self, platform: str, state: AdapterState) -> None:
        """An adapter changed its state (starting, running, degraded, standby, stopped, failed)."""
        ...


class NoMetrics:
    """The default when nobody scrapes: every report is dropped."""

    def question_answered(self, outcome: str, seconds: float) -> None:
        pass

    def message_sent(self, platform: str) -> None:
        pass

    def rate_limited(self, platform: str) -> None:
        pass

    def adapter_state(self, platform: str, state: AdapterState) -> None:
        pass


NO_METRICS: Metrics = NoMetrics()
