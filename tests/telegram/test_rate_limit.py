"""The send-side limiter: windows hold, and messages Lotse sends on its own share the overall limit."""

from __future__ import annotations

import asyncio
import time

from adapters.telegram.platform import TelegramPlatform
from adapters.telegram.rate_limit import SlidingWindow
from bot.cli import run_event_loop
from bot.messages import PersonId, Reply
from tests.support.telegram_api import FakeBotApi


async def test_a_window_lets_through_its_limit_and_then_waits_for_the_period() -> None:
    window = SlidingWindow(3, 0.3)
    loop = asyncio.get_running_loop()
    started = loop.time()
    finished: list[float] = []

    async def one() -> None:
        async with window.slot():
            finished.append(loop.time() - started)

    await asyncio.wait_for(asyncio.gather(*(one() for _ in range(7))), 5)
    assert max(finished[:3]) < 0.1
    assert 0.3 <= min(finished[3:6]) and max(finished[3:6]) < 0.45
    assert finished[6] >= 0.6


async def test_requests_in_flight_count_against_the_window() -> None:
    window = SlidingWindow(1, 0.05)
    release = asyncio.Event()
    order: list[str] = []

    async def slow() -> None:
        async with window.slot():
            order.append("slow")
            await release.wait()

    async def quick() -> None:
        async with window.slot():
            order.append("quick")

    slow_task = asyncio.create_task(slow())
    await asyncio.sleep(0.01)
    quick_task = asyncio.create_task(quick())
    await asyncio.sleep(0.1)
    assert order == ["slow"]
    release.set()
    await asyncio.wait_for(asyncio.gather(slow_task, quick_task), 5)
    assert order == ["slow", "quick"]


def test_a_window_holds_on_a_fine_clock_under_the_event_loop_lotse_runs_on() -> None:
    """uvloop's clock ticks in milliseconds; the server's arrival stamps do not."""
    limit, period = 10, 0.05
    window = SlidingWindow(limit, period)
    arrivals: list[float] = []

    async def one() -> None:
        async with window.slot():
            arrivals.append(time.monotonic())
            await asyncio.sleep(0)

    async def burst() -> None:
        await asyncio.wait_for(asyncio.gather(*(one() for _ in range(200))), 10)

    run_event_loop(burst())
    crowded = [at for at in arrivals if sum(at - period < other <= at for other in arrivals) > limit]
    assert crowded == []


async def test_concurrent_sends_wait_out_a_429_together_and_only_one_goes_first_after_it(
    api: FakeBotApi, lotse: TelegramPlatform
) -> None:
    """One gate for all sends: none leaves inside retry_after, and while the flood lasts each pause
    costs one refused request, not one per waiting send."""
    api.storm(seconds=2.5, retry_after=1)
    members = [PersonId(f"telegram:{5000 + n}") for n in range(32)]
    await asyncio.wait_for(asyncio.gather(*(lotse.send(member, Reply("Neue Termine")) for member in members)), 20)

    assert sorted(call.params["chat_id"] for call in api.sent()) == [5000 + n for n in range(32)]
    assert [send for send in api.early if send.late_by > 0.05] == []
    refused_after_the_first_pause = [
        call for call in api.called("sendMessage")[32:] if call.status == 429
    ]
    assert len(refused_after_the_first_pause) <= 3
