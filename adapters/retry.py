"""The retry policy every adapter shares: one vocabulary for failures, one backoff, one loop.

Each adapter classifies its platform's failures into `Transient` (try again after a backoff),
`RateLimited` (try again, not before `wait`) or `Permanent` (retrying cannot help; with
`stops_adapter` when the credentials were rejected). `retry` applies that: waiting out a rate
limit is never an attempt, a `patience_s` window bounds an outage instead of a count, and a
`RateGate` makes a 429 hold back every send of the account until its `retry_after` is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)

T = TypeVar("T")

SEND_PATIENCE_S = 15 * 60.0
"""How long an answer is retried through an outage before it is handed to the outbox."""


@dataclass(frozen=True)
class Transient:
    """Worth trying again after a backoff: the platform or the database is busy, down or unreachable."""

    reason: str


@dataclass(frozen=True)
class RateLimited:
    """Worth trying again, but not before `wait` seconds (0: the server did not say; use the backoff)."""

    wait: float
    reason: str = ""


@dataclass(frozen=True)
class Permanent:
    """Retrying cannot help; `stops_adapter` when it is the access token that was rejected."""

    reason: str
    stops_adapter: bool = False


Classification = Transient | RateLimited | Permanent
Classify = Callable[[BaseException], Classification]


class TokenRejected(Exception):
    """The platform rejected the access token (revoked, logged out, or never valid)."""


class RequestFailed(Exception):
    """A request failed in a way retrying cannot fix, or its retries ran out (`exhausted`)."""

    def __init__(self, message: str, *, exhausted: bool = False) -> None:
        super().__init__(message)
        self.exhausted = exhausted
        """True when it might still succeed later: worth handing to the outbox, not dropping."""


def classify_storage(error: BaseException) -> Transient | Permanent:
    """A failed read or write of Lotse's own state: a lost connection or a busy database passes."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | ConnectionError | TimeoutError | OSError):
        return Transient(f"{type(error).__name__}: {error}")
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return Transient(f"{type(error).__name__}: {error}")
    return Permanent(f"{type(error).__name__}: {error}")


class Backoff:
    """Capped exponential backoff with jitter, reset after a success."""

    def __init__(self, first: float = 0.25, cap: float = 30.0) -> None:
        self.first = first
        self.cap = cap
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.first * 2.0**self.failures)
        self.failures += 1
        return delay * random.uniform(0.8, 1.2)

    def reset(self) -> None:
        self.failures = 0

    def fresh(self) -> Backoff:
        """The same curve from its start, for another loop (a configured backoff is a template)."""
        return Backoff(self.first, self.cap)


class RateGate:
    """One gate for every send of an account: after a 429 no request goes out before `retry_after`.

    When the pause is over one request goes first; the others follow once it was answered without
    a 429, so a flood that is still on costs one early request, not one per waiting send.
    """

    PROBE_TIMEOUT_S = 30.0
    """After this long without word from the first request, another one may try."""

    def __init__(self) -> None:
        self._open_at = 0.0
        self._settled = asyncio.Event()
        self._settled.set()
        self._probe_since: float | None = None

    def close_for(self, seconds: float) -> None:
        self._open_at = max(self._open_at, time.monotonic() + seconds)
        self._settled.clear()
        self._probe_since = None

    def passed(self) -> None:
        """A request was answered without a 429: every send may go again."""
        self._settled.set()
        self._probe_since = None

    async def hold(self) -> None:
        """Wait out the pause alone, for a request about to leave that already passed `wait`."""
        # Not an Event: another 429 while waiting moves the opening later.
        while (remaining := self._open_at - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(remaining)

    async def wait(self) -> None:
        while True:
            await self.hold()
            if self._settled.is_set():
                return
            now = time.monotonic()
            if self._probe_since is None or now - self._probe_since > self.PROBE_TIMEOUT_S:
                self._probe_since = now
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._settled.wait(), self._probe_since + self.PROBE_TIMEOUT_S - now)


async def retry(
    request: Callable[[], Awaitable[T]],
    classify: Classify,
    *,
    what: str,
    max_attempts: int | None = 8,
    backoff: Backoff | None = None,
    patience_s: float | None = None,
    gate: RateGate | None = None,
    on_failure: Callable[[str], None] | None = None,
) -> T:
    """Run `request` until it succeeds, following `classify`.

    Rate-limit waits do not count as attempts: the server said when to come back. With
    `patience_s` transient failures are retried until that much time has passed (attempts do not
    count then); with a `gate` every attempt waits for it and a rate limit closes it for all its
    users; `on_failure` hears the reason of every failure that is retried (a health report).
    Raises `TokenRejected`, `RequestFailed(exhausted=True)` when time or attempts ran out,
    and a permanent failure's own exception, so callers can still tell one from another.
    """
    backoff = backoff or Backoff()
    attempts = 0
    give_up_at = None if patience_s is None else time.monotonic() + patience_s
    while True:
        if gate is not None:
            await gate.wait()
        try:
            result = await request()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            verdict = classify(error)
            if gate is not None and not isinstance(verdict, RateLimited):
                gate.passed()
            if isinstance(verdict, Permanent):
                if verdict.stops_adapter:
                    raise TokenRejected(verdict.reason) from error
                raise
            if isinstance(verdict, RateLimited):
                delay = verdict.wait or backoff.next_delay()
                if gate is not None:
                    gate.close_for(delay)
            else:
                attempts += 1
                if give_up_at is not None:
                    if time.monotonic() >= give_up_at:
                        raise RequestFailed(
                            f"{what}: gave up after {patience_s:.0f} s ({verdict.reason})", exhausted=True
                        ) from error
                elif max_attempts is not None and attempts >= max_attempts:
                    raise RequestFailed(
                        f"{what}: gave up after {attempts} attempts ({verdict.reason})", exhausted=True
                    ) from error
                delay = backoff.next_delay()
            log.warning("%s failed (%s); retrying in %.2f s", what, verdict.reason, delay)
            if on_failure is not None:
                on_failure(verdict.reason)
            await asyncio.sleep(delay)
        else:
            if gate is not None:
                gate.passed()
            backoff.reset()
            return result
