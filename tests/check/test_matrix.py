"""The check in Matrix against a real Synapse: numbered choices answered by number, through the real core."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.composition import Lotse, assemble
from bot.messages import PersonId
from tests.matrix.conftest import LotseAccount, NewMember, StartLotse, lotse_account, new_member, start_lotse
from tests.support.core import sample_settings

__all__ = ["lotse_account", "new_member", "start_lotse"]
"""The Matrix fixtures, used here as they are in tests/matrix."""


@pytest.fixture
async def core(tmp_path: Path) -> AsyncIterator[Lotse]:
    lotse = await assemble(sample_settings(f"sqlite+aiosqlite:///{tmp_path}/lotse.db"))
    yield lotse
    await lotse.close()


async def test_a_pilot_completes_the_check_in_matrix_by_numbers(
        core: Lotse, start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount) -> None:
    platform = await start_lotse(core.conversation, state=core.platform_state("matrix"))
    anna = await new_member("anna")
    room = await anna.create_room([platform.user_id], direct=True)
    await anna.wait_joined(room, platform.user_id)
    seen = 0

    async def exchange(text: str, replies: int = 1) -> str:
        nonlocal seen
        await anna.say(room, text)
        last = await anna.answer_from(platform.user_id, room, after=seen + replies - 1, within_s=30)
        seen += replies
        return str(last.body)

    assert "Was für eine Organisation" in await exchange("/check")
    assert "Region" in await exchange("1")
    assert "Systeme" in await exchange("Sachsen")
    assert "Aussage 1 von 29" in await exchange("1, Fachverfahren")
    assert "Wie wichtig" in await exchange("1")
    assert "Aussage 2 von 29" in await exchange("3")
    for number in range(2, 29):
        assert f"Aussage {number + 1} von 29" in await exchange("3")
    assert "Strategie und Führungsauftrag" in await exchange("3", replies=2)
    finished = await exchange("Die Leitung muss den Auftrag schriftlich geben", replies=2)
    assert "Maßnahmen vorgeschlagen" in finished
    check = await core.check.store.of(PersonId(f"matrix:{anna.user_id}"))
    assert check is not None and check.step == "done" and check.answers["strategy/mandate"]["importance"] == 3
