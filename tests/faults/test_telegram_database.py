"""A database that fails for a moment under the Telegram poller (holding updates, marking them
done): the adapter goes on, shows degraded then running on the health board, and every question
is answered exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError

from bot.health import ComponentHealth, HealthBoard, State
from tests.support.telegram_api import (
    ANNA,
    FakeBotApi,
    MemoryState,
    ScriptedConversation,
    running_platform,
    settings_for,
)
from tests.telegram import conftest as telegram_fixtures
from tests.telegram.conftest import FAST

api = telegram_fixtures.api
_timedelta_periods = telegram_fixtures._timedelta_periods


class FlakyState(MemoryState):
    """Platform state whose next `failures` writes fail as a lost PostgreSQL connection does."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0
        self.failed = 0

    async def put(self, key: str, value: str) -> None:
        if self.failures > 0:
            self.failures -= 1
            self.failed += 1
            raise OperationalError("UPDATE platform_state", {}, ConnectionError("server closed the connection"))
        await super().put(key, value)


async def test_a_passing_database_error_is_retried_and_shows_on_the_health_board(api: FakeBotApi) -> None:
    board = HealthBoard(lambda: datetime.now(UTC))
    states: list[ComponentHealth] = []
    board.watch(states.append)
    state, conversation = FlakyState(), ScriptedConversation()
    async with running_platform(settings_for(api), state, conversation, backoff=FAST, health=board):
        before = await api.user_says("Vor der Störung")
        await api.wait_handled(before)
        state.failures = 6
        during = await api.user_says("Während der Störung")
        await api.wait_handled(during, within=20)
        after = await api.user_says("Nach der Störung")
        await api.wait_handled(after)

    assert state.failed == 6
    texts = Counter(call.params["text"] for call in api.sent(ANNA["id"]))
    assert texts == Counter({f"Dazu weiß ich noch nichts: {q}": 1
                             for q in ("Vor der Störung", "Während der Störung", "Nach der Störung")})
    polling = [change.state for change in states if change.component == "telegram:polling"]
    assert State.DEGRADED in polling and polling[-1] is State.RUNNING
    assert polling.index(State.DEGRADED) < len(polling) - 1
