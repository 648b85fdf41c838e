"""The retry policy: which failures are retried, how long to wait, and when to stop."""

from __future__ import annotations

import aiohttp
import pytest
from nio import ErrorResponse, SyncError, WhoamiResponse

from adapters.matrix.retry import (
    Backoff,
    Kind,
    RequestFailed,
    TokenRejected,
    call_with_retries,
    classify,
)


def test_classification() -> None:
    assert classify(SyncError("gone", "M_UNKNOWN_TOKEN")).kind is Kind.STOP
    limited = classify(ErrorResponse("slow down", "M_LIMIT_EXCEEDED", retry_after_ms=1500))
    assert (limited.kind, limited.delay, limited.rate_limited) == (Kind.RETRY, 1.5, True)
    assert classify(SyncError("unknown error")).kind is Kind.RETRY
    assert classify(aiohttp.ClientConnectionError("refused")).kind is Kind.RETRY
    assert classify(TimeoutError()).kind is Kind.RETRY
    assert classify(ErrorResponse("no", "M_FORBIDDEN")).kind is Kind.GIVE_UP


def test_backoff_is_exponential_and_capped() -> None:
    backoff = Backoff(first=1.0, cap=8.0)

    delays = [backoff.next_delay() for _ in range(6)]

    assert [round(d) for d in delays[:3]] in ([1, 2, 4], [1, 2, 3], [1, 2, 5])
    assert all(d <= 8.0 * 1.2 for d in delays)
    assert delays[-1] >= 8.0 * 0.8


async def test_retries_until_success_and_stops_on_a_rejected_token(monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []

    async def no_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("adapters.matrix.retry.asyncio.sleep", no_sleep)
    answers: list[object] = [
        aiohttp.ClientConnectionError("down"),
        ErrorResponse("slow down", "M_LIMIT_EXCEEDED", retry_after_ms=250),
        WhoamiResponse("@lotse:x", "DEV", False),
    ]

    async def request() -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    result = await call_with_retries(request, what="test")  # type: ignore[arg-type]

    assert isinstance(result, WhoamiResponse)
    assert slept[1] == 0.25

    async def revoked() -> ErrorResponse:
        return SyncError("revoked", "M_UNKNOWN_TOKEN")

    with pytest.raises(TokenRejected):
        await call_with_retries(revoked, what="sync", max_attempts=None)
    calls = 0

    async def forbidden() -> ErrorResponse:
        nonlocal calls
        calls += 1
        return ErrorResponse("no", "M_FORBIDDEN")

    with pytest.raises(RequestFailed):
        await call_with_retries(forbidden, what="send")
    assert calls == 1
