"""A database that fails for a moment, under the sync loop and the journal: the adapter goes on,
shows degraded then running on the health board, and every question is answered exactly once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.exc import OperationalError

from bot.health import ComponentHealth, HealthBoard, State
from tests.matrix import conftest as matrix_fixtures
from tests.matrix.conftest import LotseAccount, MemoryState, NewMember, ScriptedConversation, StartLotse

lotse_account = matrix_fixtures.lotse_account
start_lotse = matrix_fixtures.start_lotse
new_member = matrix_fixtures.new_member


@dataclass
class FlakyState(MemoryState):
    """Platform state whose next `failures` writes fail as a lost PostgreSQL connection does."""

    failures: int = 0
    failed: int = field(default=0)

    async def put(self, key: str, value: str) -> None:
        if self.failures > 0:
            self.failures -= 1
            self.failed += 1
            raise OperationalError("UPDATE platform_state", {}, ConnectionError("server closed the connection"))
        await super().put(key, value)


async def test_a_passing_database_error_is_retried_and_shows_on_the_health_board(
    start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount
) -> None:
    board = HealthBoard(lambda: datetime.now(UTC))
    states: list[ComponentHealth] = []
    board.watch(states.append)
    state = FlakyState(values=lotse_account.state.values)
    conversation = ScriptedConversation()
    lotse = await start_lotse(conversation, state=state, health=board)
    anna = await new_member("anna")
    room = await anna.create_room([lotse_account.user.user_id], direct=True)
    await anna.wait_joined(room, lotse_account.user.user_id)
    await anna.say(room, "Vor der Störung")
    await anna.answer_from(lotse.user_id, room)

    state.failures = 4
    await anna.say(room, "Während der Störung")
    await anna.answer_from(lotse.user_id, room, after=1, within_s=60)
    await anna.say(room, "Nach der Störung")
    answer = await anna.answer_from(lotse.user_id, room, after=2, within_s=60)

    assert answer.body == "Echo: Nach der Störung"
    assert state.failed == 4
    assert [m.text for m in conversation.received].count("Während der Störung") >= 1
    assert [e.body for e in anna.from_user(lotse.user_id, room)].count("Echo: Während der Störung") == 1
    sync = [change.state for change in states if change.component == "matrix:sync"]
    assert State.DEGRADED in sync and sync[-1] is State.RUNNING
    assert sync.index(State.DEGRADED) < len(sync) - 1
