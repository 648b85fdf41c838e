"""Poison updates from the fake Bot API: each is answered once or logged and skipped once with a
reason, the question after them is still answered, and a restart does not meet them again."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest

from tests.support.strict import StrictStorage
from tests.support.telegram_api import (
    ANNA,
    FakeBotApi,
    MemoryState,
    private_chat,
    running_platform,
    settings_for,
)
from tests.telegram import conftest as telegram_fixtures
from tests.telegram.conftest import FAST

api = telegram_fixtures.api
_timedelta_periods = telegram_fixtures._timedelta_periods

CHAT = private_chat(ANNA)


def message(**fields: Any) -> dict[str, Any]:
    return {"message_id": 7, "from": ANNA, "chat": CHAT, "date": int(time.time()), "text": "Hallo", **fields}


POISON: dict[str, dict[str, Any]] = {
    "message not an object": {"message": "Hallo"},
    "message a list": {"message": [1, 2]},
    "no chat": {"message": {k: v for k, v in message().items() if k != "chat"}},
    "chat id of wrong type": {"message": message(chat={"id": "eins", "type": "private"})},
    "sender not an object": {"message": message(**{"from": 1001})},
    "text a number": {"message": message(text=42)},
    "date a text": {"message": message(date="gestern")},
    "entities not a list": {"message": message(entities="bot_command")},
    "entity without offset": {"message": message(text="/start", entities=[{"type": "bot_command", "length": 6}])},
    "reply to a number": {"message": message(reply_to_message=5)},
    "unknown update type": {"edited_message": message()},
    "no content at all": {},
    "callback query message a number": {"callback_query": {"id": "q1", "from": ANNA, "data": "x", "message": 3}},
    "callback data a number": {"callback_query": {"id": "q2", "from": ANNA, "data": 3}},
    "member update without status": {"my_chat_member": {"chat": CHAT, "from": ANNA, "date": 1,
                                                        "old_chat_member": {"user": ANNA},
                                                        "new_chat_member": {"user": ANNA}}},
    "huge text": {"message": message(text="Wort " * 12_000)},
    "lone surrogate": {"message": message(text="halb \ud800 Zeichen")},
    "lone surrogate in a name": {"message": message(**{"from": {**ANNA, "first_name": "An\udc00na"}})},
    "nul bytes": {"message": message(text="Null\x00Byte")},
}


async def test_each_poison_update_is_answered_or_skipped_once_and_the_next_question_is_answered(
    api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    state, conversation = MemoryState(), StrictStorage()
    sent: dict[str, int] = {}
    for number, (name, update) in enumerate(POISON.items()):
        payload = update.get("message")
        if isinstance(payload, dict):
            update = {"message": {**payload, "message_id": 100 + number}}
        sent[name] = (await api.inject(dict(update)))["update_id"]
    question = await api.user_says("Und jetzt eine echte Frage")

    with caplog.at_level(logging.INFO, logger="adapters.telegram"):
        async with running_platform(settings_for(api), state, conversation, backoff=FAST):
            await api.wait_handled(question, within=10)

    answered = [m.message_id for m in conversation.received]
    skipped = [record.getMessage() for record in caplog.records if "skipped" in record.getMessage()]
    for number, (name, update_id) in enumerate(sent.items()):
        times_skipped = sum(f"update {update_id}:" in line for line in skipped)
        times_answered = answered.count(str(100 + number))
        assert (times_answered, times_skipped) in {(1, 0), (0, 1)}, name
    assert [m.text for m in conversation.received][-1] == "Und jetzt eine echte Frage"
    assert len(answered) == len(api.sent(ANNA["id"]))


async def test_after_a_restart_the_poison_is_not_met_again(api: FakeBotApi, caplog: pytest.LogCaptureFixture) -> None:
    state, conversation = MemoryState(), StrictStorage()
    poison = await api.inject({"message": "Hallo"})
    first = await api.user_says("Erste Frage")
    async with running_platform(settings_for(api), state, conversation, backoff=FAST):
        await api.wait_handled(first)
    caplog.clear()

    with caplog.at_level(logging.INFO, logger="adapters.telegram"):
        async with running_platform(settings_for(api), state, conversation, backoff=FAST):
            second = await api.user_says("Zweite Frage")
            await api.wait_handled(second)

    assert [m.text for m in conversation.received] == ["Erste Frage", "Zweite Frage"]
    assert not any(str(poison["update_id"]) in record.getMessage() for record in caplog.records)
