"""Restarts of Lotse: the first start skips history, later starts resume without doubles or gaps."""

from __future__ import annotations

import asyncio

from nio import AsyncClient

from tests.matrix.conftest import Dm, LotseAccount, NewMember, ScriptedConversation, StartLotse
from tests.support.synapse import SynapseServer

QUIET_S = 1.5
"""How long to watch for an answer that must not come (a double)."""


async def test_a_restart_neither_answers_twice_nor_misses_a_message(dm: Dm, start_lotse: StartLotse) -> None:
    await dm.member.say(dm.room, "Erste Frage")
    await dm.member.answer_from(dm.lotse_id, dm.room)
    device = dm.platform.client.device_id
    await dm.platform.shutdown()

    await dm.member.say(dm.room, "Frage während Lotse schläft")
    again = ScriptedConversation()
    restarted = await start_lotse(again)
    second = await dm.member.answer_from(dm.lotse_id, dm.room, after=1)
    await asyncio.sleep(QUIET_S)

    assert second.body == "Echo: Frage während Lotse schläft"
    assert [m.text for m in again.received] == ["Frage während Lotse schläft"]
    assert len(dm.member.from_user(dm.lotse_id, dm.room)) == 2
    assert restarted.client.device_id == device


async def test_more_messages_than_one_sync_holds_are_all_answered_in_order_after_a_restart(
    dm: Dm, start_lotse: StartLotse
) -> None:
    await dm.member.say(dm.room, "Erste Frage")
    await dm.member.answer_from(dm.lotse_id, dm.room)
    await dm.platform.shutdown()

    asked = [f"Frage {number} während Lotse schläft" for number in range(1, 8)]
    for text in asked:
        await dm.member.say(dm.room, text)
    again = ScriptedConversation()
    await start_lotse(again, timeline_limit=3)
    await dm.member.answer_from(dm.lotse_id, dm.room, after=len(asked))
    await asyncio.sleep(QUIET_S)

    assert [m.text for m in again.received] == asked
    assert len(dm.member.from_user(dm.lotse_id, dm.room)) == 1 + len(asked)


async def test_a_batch_delivered_again_after_a_crash_is_not_answered_twice(
    dm: Dm, start_lotse: StartLotse, lotse_account: LotseAccount
) -> None:
    # A crash after the answer but before the sync token was stored: the homeserver sends the
    # same batch again, which the journal of handled events absorbs.
    token_before = lotse_account.state.values["next_batch"]
    await dm.member.say(dm.room, "Frage vor dem Absturz")
    await dm.member.answer_from(dm.lotse_id, dm.room)
    await dm.platform.shutdown()
    lotse_account.state.values["next_batch"] = token_before

    again = ScriptedConversation()
    await start_lotse(again)
    await dm.member.say(dm.room, "Frage danach")
    await dm.member.answer_from(dm.lotse_id, dm.room, after=1)
    await asyncio.sleep(QUIET_S)

    assert [m.text for m in again.received] == ["Frage danach"]
    assert len(dm.member.from_user(dm.lotse_id, dm.room)) == 2


async def test_the_first_start_skips_history(
    synapse: SynapseServer, start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount
) -> None:
    anna = await new_member("anna")
    lotse_id = lotse_account.user.user_id
    room = await anna.create_room([lotse_id], direct=True)
    bare = AsyncClient(synapse.url, lotse_id)
    bare.restore_login(lotse_id, lotse_account.user.device_id, lotse_account.user.access_token)
    try:
        await bare.join(room)
    finally:
        await bare.close()
    await anna.say(room, "Alte Frage")

    conversation = ScriptedConversation()
    await start_lotse(conversation)
    await anna.say(room, "Neue Frage")
    await anna.answer_from(lotse_id, room)
    await asyncio.sleep(QUIET_S)

    assert [m.text for m in conversation.received] == ["Neue Frage"]


async def test_a_keycap_reaction_after_a_restart_still_picks_the_choice(dm: Dm, start_lotse: StartLotse) -> None:
    await dm.member.say(dm.room, "Passwort?")
    prompt = await dm.member.answer_from(dm.lotse_id, dm.room)
    await dm.platform.shutdown()

    again = ScriptedConversation()
    await start_lotse(again)
    await dm.member.react(dm.room, prompt.event_id, "2️⃣")
    await dm.member.answer_from(dm.lotse_id, dm.room, after=1)

    assert [m.action for m in again.received] == ["pick:reset"]
