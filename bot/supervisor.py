"""Keeps each chat account's adapter running: takes the account's lease, restarts what failed.

An adapter that stops because of an error is started again with capped backoff, so a database
hiccup or a platform outage cannot stop it for good while the process runs on. One that gives up
for a reason retrying cannot fix (`PlatformStopped`: a revoked token) stays stopped. While another
instance holds the account's lease, this one stands by and takes over when the lease expires.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from bot.health import HealthReporter, State
from bot.leases import ChatAccountLeases
from bot.messages import ChatPlatform, Conversation, PlatformStopped

log = logging.getLogger(__name__)

COMPONENT_OUTBOX = "outbox"


class Worker(Protocol):
    """What `Deliveries` needs of the outbox worker."""

    def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass(frozen=True)
class ChatAccount:
    """One account Lotse serves on a platform, and how to build a fresh adapter for it.

    `account` is the account's id on its platform (a Telegram bot id, a Matrix user id); empty
    where no other instance can serve the same account (the terminal chat), so no lease is taken.
    """

    platform: str
    account: str
    build: Callable[[], ChatPlatform]


@dataclass(frozen=True)
class Backoff:
    """Seconds between restarts: doubling from `first` up to `longest`; reset after `healthy` s running."""

    first: float = 1.0
    longest: float = 300.0
    healthy: float = 600.0


class PlatformSupervisor:
    """Runs one chat account's adapter until stopped; `running` is the adapter while it runs."""

    def __init__(
        self,
        account: ChatAccount,
        conversation: Conversation,
        health: HealthReporter,
        leases: ChatAccountLeases | None,
        holder: str,
        on_change: Callable[[], None] = lambda: None,
        backoff: Backoff = Backoff(),
    ) -> None:
        self.account = account
        self._conversation = conversation
        self._health = health
        self._leases = leases if account.account else None
        self._holder = holder
        self._on_change = on_change
        self._backoff = backoff
        self._stopping = asyncio.Event()
        self.running: ChatPlatform | None = None

    @property
    def component(self) -> str:
        return self.account.platform

    async def run(self) -> None:
        """Serve the account until `stop`; returns when the adapter ended on its own (the terminal
        chat at the end of its input); raises `PlatformStopped` when it gave up for good."""
        delay = self._backoff.first
        while not self._stopping.is_set():
            if not await self._take_lease():
                continue
            started = time.monotonic()
            try:
                ended = await self._serve()
            except PlatformStopped as error:
                self._health.report(self.component, State.STOPPED, str(error))
                await self._release()
                raise
            except Exception as error:
                if self._stopping.is_set():
                    break
                self._health.report(self.component, State.FAILED, _describe(error))
                await self._release()
            else:
                if ended:
                    self._health.report(self.component, State.STOPPED)
                    await self._release()
                    return
                continue
            if time.monotonic() - started >= self._backoff.healthy:
                delay = self._backoff.first
            log.info("%s: restarting in %.0f s", self.component, delay)
            await self._pause(delay)
            delay = min(delay * 2, self._backoff.longest)
        self._health.report(self.component, State.STOPPED)
        await self._release()

    async def stop(self) -> None:
        self._stopping.set()

    async def _take_lease(self) -> bool:
        """True once this instance holds the account; stands by (and waits a while) otherwise."""
        if self._leases is None:
            return True
        try:
            lease = await self._leases.acquire(self.account.platform, self.account.account, self._holder)
        except Exception as error:
            self._health.report(self.component, State.DEGRADED, f"cannot read the account's lease: {_describe(error)}")
            await self._pause(self._renew_every)
            return False
        if lease.held:
            return True
        self._health.report(
            self.component, State.STANDBY,
            f"{self.account.platform} account {self.account.account} is served by {lease.holder or 'another instance'}"
            f" (lease until {lease.expires_at:%Y-%m-%d %H:%M:%S} UTC); taking over when it expires",
        )
        await self._pause(self._renew_every)
        return False

    async def _serve(self) -> bool:
        """One life of the adapter; True when it ended on its own, False when the lease was lost."""
        self._health.report(self.component, State.STARTING)
        platform = self.account.build()
        try:
            await platform.initialize()
            await platform.start(self._conversation)
            self.running = platform
            self._health.report(self.component, State.RUNNING)
            self._on_change()
            return await self._watch(platform)
        finally:
            self.running = None
            self._on_change()
            await _quietly(platform.stop(), f"{self.component}: stopping")
            await _quietly(platform.shutdown(), f"{self.component}: shutting down")

    async def _watch(self, platform: ChatPlatform) -> bool:
        """Wait for the adapter to end, a stop, or the loss of the lease, renewing it meanwhile."""
        ended = asyncio.ensure_future(platform.wait_stopped())
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            renewed = time.monotonic()
            while True:
                await asyncio.wait({ended, stopping}, timeout=self._renew_every, return_when=asyncio.FIRST_COMPLETED)
                if ended.done():
                    ended.result()
                    return True
                if stopping.done():
                    return False
                if self._leases is None:
                    continue
                if await self._renew():
                    renewed = time.monotonic()
                elif time.monotonic() - renewed >= self._leases.duration.total_seconds() * 2 / 3:
                    log.error("%s: lost the account's lease; stopping so that only one instance serves it",
                              self.component)
                    return False
        finally:
            stopping.cancel()
            if not ended.done():
                ended.cancel()
            with contextlib.suppress(BaseException):
                await ended

    async def _renew(self) -> bool:
        assert self._leases is not None
        try:
            lease = await self._leases.acquire(self.account.platform, self.account.account, self._holder)
        except Exception as error:
            log.warning("%s: could not renew the account's lease: %r", self.component, error)
            return False
        return lease.held

    async def _release(self) -> None:
        if self._leases is not None:
            await _quietly(self._leases.release(self.account.platform, self.account.account, self._holder),
                           f"{self.component}: giving back the lease")

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    @property
    def _renew_every(self) -> float:
        return self._leases.duration.total_seconds() / 3 if self._leases is not None else 60.0


def _describe(error: BaseException) -> str:
    return str(error) or type(error).__name__


async def _quietly(step: Awaitable[object], what: str) -> None:
    """Await a clean-up step; its failure is logged, never raised over the reason it ran."""
    try:
        await step
    except Exception:
        log.exception("%s failed", what)


class Deliveries:
    """The outbox worker over whichever platforms this instance runs at the moment.

    Rebuilt when an adapter starts or stops, so a standby instance never claims (and fails) the
    messages of an account another instance serves, and a restarted adapter is used at once.
    """

    def __init__(self, build: Callable[[Mapping[str, ChatPlatform]], Worker], health: HealthReporter,
                 running: Callable[[], Mapping[str, ChatPlatform]]) -> None:
        self._build = build
        self._health = health
        self._running = running
        self._changed = asyncio.Event()
        self._serving: dict[str, ChatPlatform] = {}
        self._worker: Worker | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    def changed(self) -> None:
        self._changed.set()

    def start(self) -> None:
        self._health.report(COMPONENT_OUTBOX, State.STANDBY, "no platform runs on this instance yet")
        self._task = asyncio.create_task(self._loop(), name="deliveries")

    async def stop(self) -> None:
        # Not by cancelling: the worker's own stop swallows a cancellation that arrives meanwhile.
        self._closing = True
        self._changed.set()
        if self._task is not None:
            await self._task
        if self._worker is not None:
            await self._worker.stop()
            self._worker = None
        self._health.report(COMPONENT_OUTBOX, State.STOPPED)

    async def _loop(self) -> None:
        while True:
            await self._changed.wait()
            self._changed.clear()
            if self._closing:
                return
            running = dict(self._running())
            if running.keys() == self._serving.keys() and all(
                running[name] is self._serving[name] for name in running
            ):
                continue
            if self._worker is not None:
                await self._worker.stop()
                self._worker = None
            self._serving = running
            if not running:
                self._health.report(COMPONENT_OUTBOX, State.STANDBY, "no platform runs on this instance")
                continue
            self._worker = self._build(running)
            self._worker.start()
            self._health.report(COMPONENT_OUTBOX, State.RUNNING, f"delivering for {', '.join(sorted(running))}")
