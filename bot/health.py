"""How Lotse's moving parts are doing: each adapter, outbox lane and job reports its state here.

A stopped adapter must not go unnoticed while the process runs on, so every change of state is
logged once (ERROR when a part stopped or failed) and the current states can be read at any time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

log = logging.getLogger(__name__)


class State(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    DEGRADED = "degraded"
    """Working, but not as it should: retrying a platform that does not answer, a database hiccup."""
    STOPPED = "stopped"
    """Stopped on purpose (a shutdown), or given up for a reason retrying cannot fix."""
    FAILED = "failed"
    """Stopped by an error; the process restarts it with backoff."""


@dataclass(frozen=True)
class ComponentHealth:
    """One part's state, since when, and why (`detail` is for operators, never for members)."""

    component: str
    state: State
    detail: str
    since: datetime


class HealthReporter(Protocol):
    """The port parts report through; `component` names the part (`telegram`, `outbox:matrix`)."""

    def report(self, component: str, state: State, detail: str = "") -> None: ...


_LOG_LEVELS = {State.STOPPED: logging.ERROR, State.FAILED: logging.ERROR, State.DEGRADED: logging.WARNING}


class HealthBoard:
    """Keeps every part's current state and logs each change of state once."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._states: dict[str, ComponentHealth] = {}

    def report(self, component: str, state: State, detail: str = "") -> None:
        current = self._states.get(component)
        if current is not None and current.state is state and current.detail == detail:
            return
        self._states[component] = ComponentHealth(component, state, detail, self._clock())
        if current is None or current.state is not state:
            level = _LOG_LEVELS.get(state, logging.INFO)
            log.log(level, "%s: %s%s", component, state.value, f" ({detail})" if detail else "")

    def current(self) -> list[ComponentHealth]:
        """Every part that reported, by name."""
        return [self._states[name] for name in sorted(self._states)]
