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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import aiohttp
from nio import ErrorResponse, Response
from nio.exceptions import LocalProtocolError, SendRetryError

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


class TokenRejected(Exception):
    """The homeserver rejected the access token (revoked, logged out, or never valid)."""


class RequestFailed(Exception):
    """A request failed in a way retrying cannot fix, or its retries ran out."""


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
) -> R:
    """Run `request` until it succeeds, following `classify`.

    Rate-limit waits do not count as attempts: the homeserver said when to come back, and every
    answer must still be delivered. Raises `TokenRejected` or `RequestFailed`.
    """
    backoff = backoff or Backoff()
    attempts = 0
    while True:
        failure: ErrorResponse | BaseException
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
        else:
            attempts += 1
            if max_attempts is not None and attempts >= max_attempts:
                raise RequestFailed(f"{what}: gave up after {attempts} attempts ({verdict.reason})")
            delay = backoff.next_delay()
        log.warning("%s failed (%s); retrying in %.2f s", what, verdict.reason, delay)
        await asyncio.sleep(delay)
