"""The retry policy: which failures are retried, how long to wait, and when to stop."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
from nio import ErrorResponse, SyncError, WhoamiResponse
from sqlalchemy.exc import IntegrityError, OperationalError

from adapters.matrix.retry import (
    Backoff,
    Kind,
    Permanent,
    RateGate,
    RateLimited,
    RequestFailed,
    TokenRejected,
    Transient,
    call_with_retries,
    classification,
    classify,
    classify_storage,
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

    monkeypatch.setattr("adapters.retry.asyncio.sleep", no_sleep)
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

    result: WhoamiResponse = await call_with_retries(request, what="test")

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


def test_failures_are_classified_in_the_shared_vocabulary() -> None:
    limited = classification(ErrorResponse("slow down", "M_LIMIT_EXCEEDED", retry_after_ms=1500))
    forbidden = classification(ErrorResponse("no", "M_FORBIDDEN"))
    revoked = classification(SyncError("gone", "M_UNKNOWN_TOKEN"))

    assert isinstance(limited, RateLimited) and limited.wait == 1.5
    assert isinstance(classification(aiohttp.ClientConnectionError("refused")), Transient)
    assert isinstance(forbidden, Permanent) and not forbidden.stops_adapter
    assert isinstance(revoked, Permanent) and revoked.stops_adapter


def test_a_lost_database_connection_is_transient_and_a_broken_row_is_not() -> None:
    lost = OperationalError("UPDATE platform_state", {}, ConnectionError("server closed the connection"))
    broken = IntegrityError("INSERT", {}, ValueError("duplicate key"))

    assert isinstance(classify_storage(lost), Transient)
    assert isinstance(classify_storage(broken), Permanent)
    assert isinstance(classify_storage(KeyError("event_id")), Permanent)


async def test_a_rate_limit_closes_the_gate_for_every_sender() -> None:
    gate = RateGate()
    calls: list[tuple[str, float]] = []

    async def limited() -> WhoamiResponse | ErrorResponse:
        calls.append(("limited", time.monotonic()))
        if len(calls) == 1:
            return ErrorResponse("slow down", "M_LIMIT_EXCEEDED", retry_after_ms=200)
        return WhoamiResponse("@lotse:example.org", "DEVICE", False)

    async def other() -> WhoamiResponse | ErrorResponse:
        calls.append(("other", time.monotonic()))
        return WhoamiResponse("@lotse:example.org", "DEVICE", False)

    first: asyncio.Task[WhoamiResponse] = asyncio.create_task(call_with_retries(limited, what="first", gate=gate))
    await asyncio.sleep(0.05)
    await call_with_retries(other, what="second", gate=gate)
    await first

    refused_at = calls[0][1]
    assert sorted(name for name, _ in calls) == ["limited", "limited", "other"]
    assert all(at >= refused_at + 0.2 for _, at in calls[1:])
