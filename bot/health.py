"""How Lotse's moving parts are doing: each adapter, outbox lane and job reports its state here.

A stopped adapter must not go unnoticed while the process runs on, so every change of state is
logged once (ERROR when a part stopped or failed) and the current states can be read at any time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database

log = logging.getLogger(__name__)


class State(StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    DEGRADED = "degraded"
    """Working, but not as it should: retrying a platform that does not answer, a database hiccup."""
    STANDBY = "standby"
    """Ready, but another instance does the work (it holds the chat account or runs the jobs)."""
    STOPPED = "stopped"
    """Given up for a reason retrying cannot fix (the detail says which); without a detail,
    shut down on purpose, which is no trouble."""
    FAILED = "failed"
    """Stopped by an error; the process restarts it with backoff."""


_TROUBLE = frozenset({State.DEGRADED, State.STOPPED, State.FAILED})


@dataclass(frozen=True)
class ComponentHealth:
    """One part's state, since when, and why (`detail` is for operators, never for members).

    `last_error` is the detail of the part's latest trouble (degraded, failed or stopped), kept
    after it recovered, with when it was reported.
    """

    component: str
    state: State
    detail: str
    since: datetime
    last_error: str = ""
    last_error_at: datetime | None = None


class HealthReporter(Protocol):
    """The port parts report through; `component` names the part (`telegram`, `outbox:matrix`)."""

    def report(self, component: str, state: State, detail: str = "") -> None: ...


_LOG_LEVELS = {State.STOPPED: logging.ERROR, State.FAILED: logging.ERROR, State.DEGRADED: logging.WARNING}


class HealthBoard:
    """Keeps every part's current state and logs each change of state once."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._states: dict[str, ComponentHealth] = {}
        self.changed = asyncio.Event()
        """Set on every change, so the recorder writes it down at once."""
        self._watchers: list[Callable[[ComponentHealth], None]] = []

    def watch(self, watcher: Callable[[ComponentHealth], None]) -> None:
        """Call `watcher` with every new state (the web console's metrics follow the adapters)."""
        self._watchers.append(watcher)

    def report(self, component: str, state: State, detail: str = "") -> None:
        current = self._states.get(component)
        if current is not None and current.state is state and current.detail == detail:
            return
        now = self._clock()
        error, error_at = (current.last_error, current.last_error_at) if current is not None else ("", None)
        troubled = state in _TROUBLE and bool(detail)
        if troubled:
            error, error_at = detail, now
        since = current.since if current is not None and current.state is state else now
        self._states[component] = ComponentHealth(component, state, detail, since, error, error_at)
        self.changed.set()
        for watcher in self._watchers:
            watcher(self._states[component])
        if current is None or current.state is not state:
            level = _LOG_LEVELS.get(state, logging.INFO) if troubled or state is not State.STOPPED else logging.INFO
            log.log(level, "%s: %s%s", component, state.value, f" ({detail})" if detail else "")

    def current(self) -> list[ComponentHealth]:
        """Every part that reported, by name."""
        return [self._states[name] for name in sorted(self._states)]


class ComponentStateRow(Base):
    """What each running instance last recorded about its parts, for `lotse status`."""

    __tablename__ = "component_health"

    instance: Mapped[str] = mapped_column(String(64), primary_key=True)
    component: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_error_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    """When the instance last recorded its states: long ago means it is no longer running."""


@dataclass(frozen=True)
class InstanceComponent:
    """A part of one instance as the database knows it; `live` is False once the instance stopped
    recording (it ended or crashed), so its last states are history."""

    instance: str
    health: ComponentHealth
    seen_at: datetime
    live: bool


RECORD_EVERY = timedelta(seconds=10)
"""How often an instance records its parts' states; three missed records make it count as gone."""
FORGOTTEN_AFTER = timedelta(days=7)
"""Records of instances not seen for this long are deleted."""


class HealthRecords:
    """The component states of every instance sharing the database: written by each instance's
    recorder, read by `lotse status` and the web console."""

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._clock = clock

    async def record(self, instance: str, states: Sequence[ComponentHealth]) -> None:
        """This instance's current states; also its sign of life."""
        now = self._clock()
        async with self._database.transaction() as session:
            for health in states:
                row = await session.get(ComponentStateRow, (instance, health.component))
                if row is None:
                    row = ComponentStateRow(instance=instance, component=health.component)
                    session.add(row)
                row.state, row.detail, row.since = health.state.value, health.detail[:2000], health.since
                row.last_error = health.last_error[:2000] or None
                row.last_error_at = health.last_error_at
                row.seen_at = now
            await session.execute(delete(ComponentStateRow).where(ComponentStateRow.seen_at < now - FORGOTTEN_AFTER))

    async def current(self) -> list[InstanceComponent]:
        """Every recorded part, live instances first, then by component and instance."""
        now = self._clock()
        async with self._database.reading() as session:
            rows = list(await session.scalars(select(ComponentStateRow)))
        found = [
            InstanceComponent(
                row.instance,
                ComponentHealth(row.component, State(row.state), row.detail, row.since, row.last_error or "",
                                row.last_error_at),
                row.seen_at,
                live=now - row.seen_at <= 3 * RECORD_EVERY,
            )
            for row in rows
        ]
        return sorted(found, key=lambda part: (not part.live, part.health.component, part.instance))


class HealthRecorder:
    """Writes the board to the database at each change, every `RECORD_EVERY` and once more when stopped.

    A database hiccup only delays the record; the board keeps the states meanwhile.
    """

    def __init__(self, board: HealthBoard, records: HealthRecords, instance: str,
                 every: timedelta = RECORD_EVERY) -> None:
        self._board = board
        self._records = records
        self._instance = instance
        self._every = every
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="health-recorder")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.flush()

    async def flush(self) -> None:
        try:
            await self._records.record(self._instance, self._board.current())
        except Exception as error:
            log.warning("could not record the component states: %r", error)

    async def _loop(self) -> None:
        while True:
            self._board.changed.clear()
            await self.flush()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._board.changed.wait(), self._every.total_seconds())
            await asyncio.sleep(0.1)  # a burst of changes makes one record
