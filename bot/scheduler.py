"""Periodic jobs (digests, match rounds, feed polls, reminders), run by exactly one instance.

On PostgreSQL the instance holding an advisory lock is the leader; the lock is held on a
connection of its own and passes to another instance when that connection goes away. With
SQLite there is only one instance, so it always leads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.health import HealthReporter, State
from bot.storage.database import Database

log = logging.getLogger(__name__)

LEADER_LOCK = 0x4C6F747365  # "Lotse"


class Job(Protocol):
    """A periodic job. `run_due` is called every tick and does whatever has become due by `now`;
    it must be idempotent, because after a crash the next leader calls it again."""

    name: str

    async def run_due(self, now: datetime) -> None: ...


class Leadership:
    """Whether this instance is the one that runs the jobs."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: AsyncConnection | None = None

    async def acquire(self) -> bool:
        """True while this instance leads; tries to take the lead when nobody has it."""
        if self._database.is_sqlite:
            return True
        if self._connection is not None:
            try:
                await self._connection.execute(text("SELECT 1"))
                return True
            except Exception:
                log.warning("lost the scheduler lock's connection; trying to lead again")
                await self.release()
        connection = await self._database.engine.connect()
        try:
            held = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": LEADER_LOCK})
            await connection.commit()
        except BaseException:
            await connection.close()
            raise
        if not held:
            await connection.close()
            return False
        self._connection = connection
        log.info("this instance now runs the scheduled jobs")
        return True

    async def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LEADER_LOCK})
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None


class Scheduler:
    """Calls every job's `run_due` each tick while this instance leads."""

    def __init__(
        self, database: Database, jobs: Sequence[Job], clock: Callable[[], datetime], tick: float = 30.0,
        health: HealthReporter | None = None,
    ) -> None:
        self._leadership = Leadership(database)
        self._health = health
        self._jobs = list(jobs)
        self._clock = clock
        self._tick = tick
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._leadership.release()
        self._report(State.STOPPED)

    async def tick(self) -> bool:
        """Run what is due if this instance leads; returns whether it did."""
        if not await self._leadership.acquire():
            self._report(State.STANDBY, "another instance runs the scheduled jobs")
            return False
        now = self._clock()
        failed = []
        for job in self._jobs:
            try:
                await job.run_due(now)
            except Exception:
                failed.append(job.name)
                log.exception("scheduled job %s failed; it will be tried again next tick", job.name)
        if failed:
            self._report(State.DEGRADED, f"failed this tick: {', '.join(failed)}")
        else:
            self._report(State.RUNNING, "runs the scheduled jobs")
        return True

    async def _loop(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception as error:
                self._report(State.DEGRADED, f"tick failed: {error!r}")
                log.exception("scheduler tick failed")
            await asyncio.sleep(self._tick)

    def _report(self, state: State, detail: str = "") -> None:
        if self._health is not None:
            self._health.report("scheduler", state, detail)
