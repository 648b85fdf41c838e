"""The process keeps every chat account's adapter running, on one instance at a time."""

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

import pytest

from bot.composition import Lotse
from bot.health import HealthBoard, State
from bot.leases import ChatAccountLeases
from bot.messages import ChatId, Conversation, PersonId, PlatformStopped, Reply
from bot.supervisor import Backoff, ChatAccount, PlatformSupervisor
from tests.support.core import FakeClock, eventually

QUICK = Backoff(first=0.01, longest=0.05, healthy=60)


class Adapter:
    """An adapter whose life the test ends: with an error, for good, or not at all."""

    def __init__(self, lives: list["Adapter"]) -> None:
        lives.append(self)
        self.ended: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.name = "telegram"
        self.started = asyncio.Event()
        self.shut_down = False

    async def initialize(self) -> None:
        pass

    async def start(self, conversation: Conversation) -> None:
        self.started.set()

    async def send(self, to: ChatId | PersonId, reply: Reply, key: str | None = None,
                   invite: Sequence[PersonId] = ()) -> None:
        pass

    async def wait_stopped(self) -> None:
        await self.ended

    async def stop(self) -> None:
        if not self.ended.done():
            self.ended.set_result(None)

    async def shutdown(self) -> None:
        self.shut_down = True


def supervisor_for(lives: list[Adapter], board: HealthBoard, leases: ChatAccountLeases | None = None,
                   holder: str = "a") -> PlatformSupervisor:
    account = ChatAccount("telegram", "123456", lambda: Adapter(lives))  # type: ignore[arg-type,return-value]
    return PlatformSupervisor(account, conversation=None, health=board, leases=leases,  # type: ignore[arg-type]
                              holder=holder, backoff=QUICK)


async def test_an_adapter_that_failed_is_started_again_and_its_states_are_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    lives: list[Adapter] = []
    board = HealthBoard(FakeClock())
    supervisor = supervisor_for(lives, board)
    with caplog.at_level(logging.INFO, logger="bot.health"):
        task = asyncio.create_task(supervisor.run())
        await eventually(lambda: lives and lives[0].started.is_set(), "the first start")
        lives[0].ended.set_exception(ConnectionError("database is locked"))
        await eventually(lambda: len(lives) == 2 and lives[1].started.is_set(), "the restart")
        await supervisor.stop()
        await task
    assert lives[0].shut_down
    states = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ("ERROR", "telegram: failed (database is locked)") in states
    assert [message for _, message in states].count("telegram: running") == 2
    [health] = board.current()
    assert (health.state, health.last_error) == (State.STOPPED, "database is locked")


async def test_an_adapter_that_gave_up_for_good_stays_stopped() -> None:
    lives: list[Adapter] = []
    board = HealthBoard(FakeClock())
    task = asyncio.create_task(supervisor_for(lives, board).run())
    await eventually(lambda: lives and lives[0].started.is_set(), "the start")
    lives[0].ended.set_exception(PlatformStopped("Telegram rejected the token"))
    with pytest.raises(PlatformStopped):
        await task
    assert len(lives) == 1
    [health] = board.current()
    assert (health.state, health.detail) == (State.STOPPED, "Telegram rejected the token")


async def test_a_second_instance_stands_by_and_takes_over_when_the_first_stops(lotse: Lotse) -> None:
    leases = ChatAccountLeases(lotse.database, lotse.clock, timedelta(seconds=0.3))
    first_lives: list[Adapter] = []
    second_lives: list[Adapter] = []
    first_board, second_board = HealthBoard(lotse.clock), HealthBoard(lotse.clock)
    first = supervisor_for(first_lives, first_board, leases, holder="host-a:1")
    second = supervisor_for(second_lives, second_board, leases, holder="host-b:2")
    first_task = asyncio.create_task(first.run())
    await eventually(lambda: first_lives and first_lives[0].started.is_set(), "the first instance's start")
    second_task = asyncio.create_task(second.run())
    await eventually(lambda: second_board.current() and second_board.current()[0].state is State.STANDBY, "standby")
    assert "served by host-a:1" in second_board.current()[0].detail
    assert second_lives == []
    await first.stop()
    await first_task
    await eventually(lambda: second_lives and second_lives[0].started.is_set(), "the take-over")
    await second.stop()
    await second_task


async def test_an_instance_that_stopped_renewing_loses_the_account_when_the_lease_expires(
    lotse: Lotse, clock: FakeClock
) -> None:
    leases = ChatAccountLeases(lotse.database, clock, timedelta(seconds=60))
    assert (await leases.acquire("telegram", "123456", "crashed:1")).held
    lives: list[Adapter] = []
    board = HealthBoard(clock)
    supervisor = supervisor_for(lives, board, ChatAccountLeases(lotse.database, clock, timedelta(seconds=0.3)),
                                holder="host-b:2")
    task = asyncio.create_task(supervisor.run())
    await eventually(lambda: board.current() and board.current()[0].state is State.STANDBY, "standby")
    clock.advance(seconds=61)
    await eventually(lambda: lives and lives[0].started.is_set(), "the take-over")
    assert (await leases.acquire("telegram", "123456", "crashed:1")).holder == "host-b:2"
    await supervisor.stop()
    await task
