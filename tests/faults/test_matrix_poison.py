"""Poison events sent by a real member through Synapse: each is answered once or logged and skipped
once with a reason, and the question after them is still answered."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.matrix import conftest as matrix_fixtures
from tests.matrix.conftest import LotseAccount, NewMember, StartLotse
from tests.support.strict import StrictStorage

lotse_account = matrix_fixtures.lotse_account
start_lotse = matrix_fixtures.start_lotse
new_member = matrix_fixtures.new_member

POISON: dict[str, dict[str, Any]] = {
    "thread without event id": {"msgtype": "m.text", "body": "im Faden", "m.relates_to": {"rel_type": "m.thread"}},
    "thread id of wrong type": {"msgtype": "m.text", "body": "Faden", "m.relates_to": {"rel_type": "m.thread",
                                                                                     "event_id": 7}},
    "reply without event id": {"msgtype": "m.text", "body": "Antwort", "m.relates_to": {"m.in_reply_to": {}}},
    "relation of wrong type": {"msgtype": "m.text", "body": "Bezug", "m.relates_to": ["kaputt"]},
    "mentions of wrong type": {"msgtype": "m.text", "body": "Hallo", "m.mentions": {"user_ids": "kein Liste"}},
    "body of wrong type": {"msgtype": "m.text", "body": 42},
    "missing body": {"msgtype": "m.text"},
    "formatted body of wrong type": {"msgtype": "m.text", "body": "fett", "format": "org.matrix.custom.html",
                                     "formatted_body": ["<b>"]},
    "nul bytes": {"msgtype": "m.text", "body": "Null\x00Byte"},
    "lone surrogate": {"msgtype": "m.text", "body": "halb \ud800 Zeichen"},
    "huge body": {"msgtype": "m.text", "body": "Wort " * 12_000},
}


async def test_each_poison_event_is_answered_or_skipped_once_and_the_next_question_is_answered(
    start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount, caplog: pytest.LogCaptureFixture
) -> None:
    conversation = StrictStorage()
    lotse = await start_lotse(conversation)
    anna = await new_member("anna")
    room = await anna.create_room([lotse_account.user.user_id], direct=True)
    await anna.wait_joined(room, lotse_account.user.user_id)

    with caplog.at_level(logging.WARNING, logger="adapters.matrix"):
        sent: dict[str, str | None] = {}
        for name, content in POISON.items():
            response = await anna.client.room_send(room, "m.room.message", content)
            sent[name] = getattr(response, "event_id", None)
        question = await anna.say(room, "Und jetzt eine echte Frage")
        await anna.wait_for(lambda rid, event: rid == room and event.sender == lotse.user_id
                            and any(m.message_id == question for m in conversation.received)
                            and getattr(event, "body", "") == f"Antwort {len(conversation.received)}", within_s=60)

    answered = [message.message_id for message in conversation.received]
    skipped = [record.getMessage() for record in caplog.records if "skipped" in record.getMessage()]
    for name, event_id in sent.items():
        if event_id is None:
            continue  # Synapse refused it: nothing reached Lotse.
        times_answered = answered.count(event_id)
        times_skipped = sum(event_id in line for line in skipped)
        assert (times_answered, times_skipped) in {(1, 0), (0, 1)}, name
    assert answered.count(question) == 1
    replies = [event.body for event in anna.from_user(lotse.user_id, room)]
    assert len(replies) == len(conversation.received)
