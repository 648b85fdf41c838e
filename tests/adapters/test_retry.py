"""The retry policy every adapter shares: rate limits are no attempts, one request probes a pause."""

from __future__ import annotations

import asyncio
import time

import pytest

from adapters.retry import Classification, RateGate, RateLimited, RequestFailed, Transient, retry


class Limited(Exception):
    """A 429 in a test."""


class Down(Exception):
    """A 502 in a test."""


def classify(error: BaseException) -> Classification:
    return RateLimited(0.01, "429") if isinstance(error, Limited) else Transient("502")


async def test_waiting_out_rate_limits_is_not_an_attempt() -> None:
    answers: list[Exception | str] = [Limited(), Limited(), Limited(), Limited(), Down(), "sent"]

    async def request() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert await retry(request, classify, what="send", max_attempts=2) == "sent"


async def test_patience_ends_an_outage_with_a_failure_worth_handing_on() -> None:
    async def request() -> str:
        raise Down()

    with pytest.raises(RequestFailed) as failure:
        await retry(request, classify, what="send", max_attempts=None, patience_s=0.05)
    assert failure.value.exhausted


async def test_after_a_pause_one_request_goes_first_and_the_others_wait_for_its_answer() -> None:
    gate = RateGate()
    gate.close_for(0.1)
    released: list[float] = []

    async def sender() -> int:
        ticket = await gate.wait()
        released.append(time.monotonic())
        return ticket

    senders = [asyncio.create_task(sender()) for _ in range(5)]
    await asyncio.sleep(0.2)
    assert len(released) == 1
    gate.passed(await next(task for task in senders if task.done()))
    await asyncio.wait_for(asyncio.gather(*senders), 1)
    assert len(released) == 5


async def test_a_request_that_left_before_the_429_does_not_reopen_the_gate() -> None:
    gate = RateGate()
    in_flight = await gate.wait()
    gate.close_for(0.05)
    gate.passed(in_flight)
    first = await asyncio.wait_for(gate.wait(), 1)
    second = asyncio.create_task(gate.wait())
    await asyncio.sleep(0.05)
    assert not second.done()
    gate.passed(first)
    await asyncio.wait_for(second, 1)
