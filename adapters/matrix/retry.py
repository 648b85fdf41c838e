"""The one place that decides how a failed homeserver request is retried.

matrix-nio returns most failures as `ErrorResponse` values (a `SyncError` rather than an
exception) and raises others (connection refused, timeouts). `classify` turns both into a
`Verdict`; `call_with_retries` applies it: honour `M_LIMIT_EXCEEDED`'s `retry_after_ms`, back off
exponentially with a cap on network errors and 5xx, stop at once on a rejected token, and give up
on other client errors (retrying a 403 cannot help). The client is configured with nio's own
retries switched off, so there is no second, hidden retry loop.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import aiohttp
from nio import ErrorResponse, Response
from nio.exceptions import LocalProtocolError, SendRetryError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)

R = TypeVar("R", bound=Response)

TOKEN_ERRORS = frozenset({"M_UNKNOWN_TOKEN", "M_MISSING_TOKEN"})


class Kind(enum.Enum):
    RETRY = "retry"
    """Transient: the homeserver is busy, down or unreachable; try again after `delay`."""
    GIVE_UP = "give up"
    """This request cannot succeed (forbidden, unknown room); retrying would only add load."""
    STOP = "stop"
    """The access token is no longer valid: the adapter has to stop."""


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    reason: str
    delay: float = 0.0
    """Seconds the homeserver asked for (rate limit); 0 means "use the backoff"."""
    rate_limited: bool = False


@dataclass(frozen=True)
class Transient:
    """Worth trying again after a backoff: the homeserver or the database is busy, down or unreachable."""

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
"""The vocabulary of the shared retry policy (adapters/retry.py, coming); `Verdict` maps onto it."""


def classification(failure: ErrorResponse | BaseException) -> Classification:
    """`classify` in the shared vocabulary."""
    verdict = classify(failure)
    if verdict.kind is Kind.STOP:
        return Permanent(verdict.reason, stops_adapter=True)
    if verdict.kind is Kind.GIVE_UP:
        return Permanent(verdict.reason)
    return RateLimited(verdict.delay, verdict.reason) if verdict.rate_limited else Transient(verdict.reason)


def classify_storage(error: BaseException) -> Transient | Permanent:
    """A failed read or write of Lotse's own state: a lost connection or a busy database passes."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | ConnectionError | TimeoutError | OSError):
        return Transient(f"{type(error).__name__}: {error}")
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return Transient(f"{type(error).__name__}: {error}")
    return Permanent(f"{type(error).__name__}: {error}")


class RateGate:
    """One gate for every send of an account: after a 429 no request goes out before `retry_after`."""

    def __init__(self) -> None:
        self._open_at = 0.0

    def close_for(self, seconds: float) -> None:
        self._open_at = max(self._open_at, time.monotonic() + seconds)

    async def wait(self) -> None:
        # Not an Event: another 429 while waiting moves the opening later.
        while (remaining := self._open_at - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(remaining)


class TokenRejected(Exception):
    """The homeserver rejected the access token (revoked, logged out, or never valid)."""


class RequestFailed(Exception):
    """A request failed in a way retrying cannot fix, or its retries ran out (`exhausted`)."""

    def __init__(self, message: str, *, exhausted: bool = False) -> None:
        super().__init__(message)
        self.exhausted = exhausted
        """True when it might still succeed later: worth handing to the outbox, not dropping."""


def classify(failure: ErrorResponse | BaseException) -> Verdict:
    """What to do about one failed request."""
    if isinstance(failure, ErrorResponse):
        code = failure.status_code
        status = failure.transport_response.status if failure.transport_response is not None else 0
        if code in TOKEN_ERRORS or (status == 401 and not failure.soft_logout):
            return Verdict(Kind.STOP, f"the homeserver rejected the access token ({failure})")
        if code == "M_LIMIT_EXCEEDED" or status == 429:
            return Verdict(Kind.RETRY, str(failure), (failure.retry_after_ms or 0) / 1000, rate_limited=True)
        if status >= 500 or code is None:
            # No errcode: an unparsable body, as a proxy in front of a restarting homeserver sends.
            return Verdict(Kind.RETRY, str(failure))
        return Verdict(Kind.GIVE_UP, str(failure))
    if isinstance(failure, aiohttp.ClientError | TimeoutError | ConnectionError | SendRetryError):
        return Verdict(Kind.RETRY, f"{type(failure).__name__}: {failure}")
    if isinstance(failure, LocalProtocolError):
        return Verdict(Kind.GIVE_UP, str(failure))
    return Verdict(Kind.GIVE_UP, f"{type(failure).__name__}: {failure}")


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


async def call_with_retries(
    request: Callable[[], Awaitable[R | ErrorResponse]],
    *,
    what: str,
    max_attempts: int | None = 8,
    backoff: Backoff | None = None,
    patience_s: float | None = None,
    gate: RateGate | None = None,
) -> R:
    """Run `request` until it succeeds, following `classify`.

    Rate-limit waits do not count as attempts: the homeserver said when to come back, and every
    answer must still be delivered. With `patience_s` transient failures are retried until that
    much time has passed (attempts do not count then); with a `gate` every attempt waits for it and
    a rate limit closes it for all its users. Raises `TokenRejected` or `RequestFailed`.
    """
    backoff = backoff or Backoff()
    attempts = 0
    give_up_at = None if patience_s is None else time.monotonic() + patience_s
    while True:
        failure: ErrorResponse | BaseException
        if gate is not None:
            await gate.wait()
        try:
            response = await request()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            failure = error
        else:
            if not isinstance(response, ErrorResponse):
                backoff.reset()
                return cast(R, response)
            failure = response
        verdict = classify(failure)
        if verdict.kind is Kind.STOP:
            raise TokenRejected(verdict.reason)
        if verdict.kind is Kind.GIVE_UP:
            raise RequestFailed(f"{what}: {verdict.reason}")
        if verdict.rate_limited:
            delay = verdict.delay or backoff.next_delay()
            if gate is not None:
                gate.close_for(delay)
        else:
            attempts += 1
            if give_up_at is not None:
                if time.monotonic() >= give_up_at:
                    raise RequestFailed(f"{what}: gave up after {patience_s:.0f} s ({verdict.reason})", exhausted=True)
            elif max_attempts is not None and attempts >= max_attempts:
                raise RequestFailed(f"{what}: gave up after {attempts} attempts ({verdict.reason})", exhausted=True)
            delay = backoff.next_delay()
        log.warning("%s failed (%s); retrying in %.2f s", what, verdict.reason, delay)
        await asyncio.sleep(delay)
