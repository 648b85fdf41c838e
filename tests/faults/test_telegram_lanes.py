"""Per-chat lanes: a chat whose answer takes long does not hold up another chat's, and one chat's
updates are still answered in the order they came."""

from __future__ import annotations

import time

from adapters.telegram.platform import TelegramPlatform
from tests.support.telegram_api import ANNA, JOHN, FakeBotApi, ScriptedConversation
from tests.telegram import conftest as telegram_fixtures

api = telegram_fixtures.api
conversation = telegram_fixtures.conversation
state = telegram_fixtures.state
lotse = telegram_fixtures.lotse
_timedelta_periods = telegram_fixtures._timedelta_periods


async def test_a_slow_chat_does_not_stall_another_chat(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.user_says("slow:3", user=ANNA)
    await api.wait_until(lambda: True if conversation.handled else None, 5, "Anna's question in hand")
    asked = time.monotonic()
    await api.user_says("/start", user=JOHN)
    [welcome] = await api.wait_for("sendMessage", within=2.5)

    assert welcome.params["chat_id"] == JOHN["id"]
    assert time.monotonic() - asked < 2.0
    [_, pondered] = await api.wait_for("sendMessage", count=2, within=5)
    assert pondered.params["chat_id"] == ANNA["id"]


async def test_one_chats_updates_are_answered_in_order(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    await api.user_says("slow:0.5", user=ANNA)
    await api.wait_until(lambda: True if conversation.handled else None, 5, "the first question in hand")
    await api.user_says("/start", user=ANNA)
    await api.user_says("slow:0.1", user=ANNA)
    await api.user_says("/help", user=ANNA)
    sent = await api.wait_for("sendMessage", count=4, within=5)

    assert [call.params["text"] for call in sent] == [
        "Nach 0.5 s bedacht.", "Willkommen bei <b>Lotse</b>!", "Nach 0.1 s bedacht.",
        "Ich beantworte <i>Fragen</i> aus der Wissensbasis.",
    ]
