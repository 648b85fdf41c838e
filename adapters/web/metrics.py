"""The metrics port implemented with prometheus_client, on a registry the composition root hands in.

Names follow Prometheus conventions: `lotse_` prefix, `_total` for counters, base units (seconds).
Outbox figures are read from the database when scraped, so every instance reports the shared outbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Enum, Gauge, Histogram, generate_latest

from bot.metrics import ADAPTER_STATES, AdapterState
from bot.outbox import Backlog

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds from a question's arrival in the FAQ to its answer being ready."""


class PrometheusMetrics:
    """Implements `bot.metrics.Metrics`; `exposition` renders everything for `/metrics`."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self._questions = Counter("lotse_questions", "Members' questions by outcome (answer, choices, unknown).",
                                  ["outcome"], registry=registry)
        self._latency = Histogram("lotse_answer_latency_seconds", "Time to find the answer to a member's question.",
                                  buckets=LATENCY_BUCKETS, registry=registry)
        self._sends = Counter("lotse_platform_sends", "Messages delivered to a chat platform.", ["platform"],
                              registry=registry)
        self._limited = Counter("lotse_platform_rate_limited", "Requests a chat platform refused for now (429).",
                                ["platform"], registry=registry)
        self._adapter = Enum("lotse_adapter_state", "The state of each chat adapter.", ["platform"],
                             states=list(ADAPTER_STATES), registry=registry)
        self._outbox_depth = Gauge("lotse_outbox_depth", "Deliveries waiting in the outbox.", registry=registry)
        self._outbox_age = Gauge("lotse_outbox_oldest_age_seconds", "Age of the oldest waiting delivery.",
                                 registry=registry)
        self._outbox_given_up = Gauge("lotse_outbox_given_up", "Deliveries given up after every retry.",
                                      registry=registry)
        self._states: dict[str, AdapterState] = {}

    def question_answered(self, outcome: str, seconds: float) -> None:
        self._questions.labels(outcome=outcome).inc()
        self._latency.observe(max(seconds, 0.0))

    def message_sent(self, platform: str) -> None:
        self._sends.labels(platform=platform).inc()

    def rate_limited(self, platform: str) -> None:
        self._limited.labels(platform=platform).inc()

    def adapter_state(self, platform: str, state: AdapterState) -> None:
        self._states[platform] = state
        self._adapter.labels(platform=platform).state(state)

    def adapter_states(self) -> Mapping[str, AdapterState]:
        """The last state each adapter reported, for readiness and the operators' page."""
        return dict(self._states)

    def outbox(self, backlog: Backlog, now: datetime) -> None:
        """Record the outbox as it is now (called when scraped)."""
        self._outbox_depth.set(backlog.waiting)
        self._outbox_age.set((now - backlog.oldest).total_seconds() if backlog.oldest is not None else 0.0)
        self._outbox_given_up.set(backlog.given_up)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
