"""The adapter with the real core: the starter knowledge base answers members in a direct chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.composition import Lotse, assemble
from bot.config import Settings
from tests.matrix.conftest import LotseAccount, NewMember, StartLotse
from tests.matrix.members import Member


@pytest.fixture
async def core(tmp_path: Path) -> AsyncIterator[Lotse]:
    lotse = await assemble(Settings.model_validate({
        "database": {"url": f"sqlite+aiosqlite:///{tmp_path}/lotse.db"},
        "privacy": {"key_file": str(tmp_path / "pseudonym.key")},
        "throttle": {"enabled": False},
    }))
    yield lotse
    await lotse.close()


@pytest.fixture
async def chat(
    core: Lotse, start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount
) -> tuple[Member, str, str]:
    platform = await start_lotse(core.conversation, state=core.platform_state("matrix"))
    anna = await new_member("anna")
    room = await anna.create_room([platform.user_id], direct=True)
    await anna.wait_joined(room, platform.user_id)
    return anna, room, platform.user_id


async def test_a_question_is_answered_from_the_starter_knowledge_base(chat: tuple[Member, str, str]) -> None:
    anna, room, lotse_id = chat
    await anna.say(room, "Was ist die BundID?")

    answer = await anna.answer_from(lotse_id, room)

    assert "BundID" in answer.body
    assert "<strong>BundID</strong>" in answer.source["content"]["formatted_body"]
    await anna.wait_for(lambda rid, e: getattr(e, "reacts_to", None) == answer.event_id and e.key == "👍")


async def test_did_you_mean_is_answered_by_number_and_by_keycap(chat: tuple[Member, str, str]) -> None:
    anna, room, lotse_id = chat
    await anna.say(room, "Barrierefreiheit")
    prompt = await anna.answer_from(lotse_id, room)
    lines = [line for line in prompt.body.splitlines() if line.startswith(("1️⃣", "2️⃣"))]
    await anna.say(room, "2")
    by_number = await anna.answer_from(lotse_id, room, after=1)

    await anna.say(room, "Barrierefreiheit")
    second_prompt = await anna.answer_from(lotse_id, room, after=2)
    await anna.react(room, second_prompt.event_id, "1️⃣")
    by_reaction = await anna.answer_from(lotse_id, room, after=3)

    assert len(lines) == 2
    assert lines[1].removeprefix("2️⃣ ")[:20] in by_number.body
    assert lines[0].removeprefix("1️⃣ ")[:20] in by_reaction.body
