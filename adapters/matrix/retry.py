"""The one place that decides how a failed homeserver request is retried.

matrix-nio returns most failures as `ErrorResponse` values (a `SyncError` rather than an
exception) and raises others (connection refused, timeouts). `classify` turns both into a
`Verdict`; `call_with_retries` applies it: honour `M_LIMIT_EXCEEDED`'s `retry_after_ms`, back off
exponentially with a cap on network errors and 5xx, stop at once on a rejected token, and give up
on other client errors (retrying a 403 cannot help). The loop, backoff and rate gate are the ones
every adapter shares (`adapters.retry`). The client is configured with nio's own retries switched
off, so there is no second, hidden retry loop.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar, cast

import aiohttp
from nio import ErrorResponse, Response
from nio.exceptions import LocalProtocolError, SendRetryError

from adapters.retry import (
    Backoff,
    Classification,
    Permanent,
    RateGate,
    RateLimited,
    RequestFailed,
    TokenRejected,
    Transient,
    classify_storage,
    retry,
)

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


def classification(failure: ErrorResponse | BaseException) -> Classification:
    """`classify` in the shared vocabulary (`adapters.retry`)."""
    if isinstance(failure, Refused):
        failure = failure.response
    verdict = classify(failure)
    if verdict.kind is Kind.STOP:
        return Permanent(verdict.reason, stops_adapter=True)
    if verdict.kind is Kind.GIVE_UP:
        return Permanent(verdict.reason)
    return RateLimited(verdict.delay, verdict.reason) if verdict.rate_limited else Transient(verdict.reason)


class Refused(Exception):
    """An `ErrorResponse` nio returned, raised so the shared retry loop sees every failure alike."""

    def __init__(self, response: ErrorResponse) -> None:
        super().__init__(str(response))
        self.response = response


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


async def call_with_retries(
    request: Callable[[], Awaitable[R | ErrorResponse]],
    *,
    what: str,
    max_attempts: int | None = 8,
    backoff: Backoff | None = None,
    patience_s: float | None = None,
    gate: RateGate | None = None,
) -> R:
    """Run `request` until it succeeds, following `classify`, through the shared `retry` loop.

    Rate-limit waits do not count as attempts: the homeserver said when to come back, and every
    answer must still be delivered. With `patience_s` transient failures are retried until that
    much time has passed (attempts do not count then); with a `gate` every attempt waits for it and
    a rate limit closes it for all its users. Raises `TokenRejected` or `RequestFailed`.
    """

    async def attempt() -> R:
        response = await request()
        if isinstance(response, ErrorResponse):
            raise Refused(response)
        return cast(R, response)

    try:
        return await retry(attempt, classification, what=what, max_attempts=max_attempts, backoff=backoff,
                           patience_s=patience_s, gate=gate)
    except (TokenRejected, RequestFailed):
        raise
    except Exception as error:
        raise RequestFailed(f"{what}: {classification(error).reason}") from error


__all__ = [
    "Backoff", "Classification", "Kind", "Permanent", "RateGate", "RateLimited", "Refused", "RequestFailed",
    "TokenRejected", "Transient", "Verdict", "call_with_retries", "classification", "classify", "classify_storage",
]
