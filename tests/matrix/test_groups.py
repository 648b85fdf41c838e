"""Group rooms: Lotse answers mentions, replies to it and prefixed commands, and ignores the rest."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from adapters.matrix.platform import MatrixPlatform
from tests.matrix.conftest import LotseAccount, NewMember, ScriptedConversation, StartLotse
from tests.matrix.members import Member


@dataclass
class Group:
    platform: MatrixPlatform
    anna: Member
    bob: Member
    room: str
    conversation: ScriptedConversation

    @property
    def lotse_id(self) -> str:
        return self.platform.user_id

    def texts(self) -> list[str]:
        return [message.text for message in self.conversation.received]


@pytest.fixture
async def group(start_lotse: StartLotse, new_member: NewMember, lotse_account: LotseAccount) -> Group:
    conversation = ScriptedConversation()
    platform = await start_lotse(conversation)
    anna = await new_member("anna")
    bob = await new_member("bob")
    lotse_id = lotse_account.user.user_id
    room = await anna.create_room([lotse_id, bob.user_id], name="Digitallotsen")
    await bob.client.join(room)
    await anna.wait_joined(room, lotse_id)
    await anna.wait_joined(room, bob.user_id)
    return Group(platform, anna, bob, room, conversation)


async def test_a_pill_mention_is_answered_without_the_mention(group: Group) -> None:
    pill = f'<a href="https://matrix.to/#/{group.lotse_id}">Lotse</a>: Wie geht Barrierefreiheit?'
    await group.anna.say(
        group.room,
        "Lotse: Wie geht Barrierefreiheit?",
        format="org.matrix.custom.html",
        formatted_body=pill,
        **{"m.mentions": {"user_ids": [group.lotse_id]}},
    )

    answer = await group.anna.answer_from(group.lotse_id, group.room)

    assert group.texts() == ["Wie geht Barrierefreiheit?"]
    assert answer.source["content"]["m.mentions"] == {"user_ids": [group.anna.user_id]}


async def test_a_mention_by_user_id_is_answered(group: Group) -> None:
    await group.anna.say(group.room, f"{group.lotse_id} was ist BITV?")

    await group.anna.answer_from(group.lotse_id, group.room)

    assert group.texts() == ["was ist BITV?"]


async def test_chatter_notices_and_own_messages_are_ignored(group: Group) -> None:
    await group.anna.say(group.room, "Hallo Bob, wie war die Konferenz?")
    await group.bob.say(group.room, f"{group.lotse_id} bin ein Bot", msgtype="m.notice")
    await group.anna.say(group.room, "!lotse lang en")

    await group.anna.answer_from(group.lotse_id, group.room)

    assert group.texts() == ["/lang en"]


async def test_a_reply_to_lotses_message_is_answered(group: Group) -> None:
    await group.anna.say(group.room, "!lotse Was ist die BundID?")
    first = await group.anna.answer_from(group.lotse_id, group.room)

    await group.bob.say(
        group.room, "und für Vereine?", **{"m.relates_to": {"m.in_reply_to": {"event_id": first.event_id}}}
    )
    await group.anna.answer_from(group.lotse_id, group.room, after=1)

    assert group.texts() == ["Was ist die BundID?", "und für Vereine?"]


async def test_a_question_in_a_thread_is_answered_in_the_thread(group: Group) -> None:
    root = await group.anna.say(group.room, "Thema: Förderung")
    await group.bob.say(
        group.room,
        "!lotse Gibt es Förderprogramme?",
        **{
            "m.relates_to": {
                "rel_type": "m.thread",
                "event_id": root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": root},
            }
        },
    )

    answer = await group.anna.answer_from(group.lotse_id, group.room)

    relation = answer.source["content"]["m.relates_to"]
    assert relation["rel_type"] == "m.thread"
    assert relation["event_id"] == root
    assert relation["is_falling_back"] is True
    assert group.conversation.received[0].chat.thread == root
    assert group.conversation.received[0].chat.is_direct is False


async def test_a_number_from_the_asker_picks_a_choice_in_a_group(group: Group) -> None:
    await group.anna.say(group.room, "!lotse Passwort")
    await group.anna.answer_from(group.lotse_id, group.room)
    await group.bob.say(group.room, "2")
    await group.anna.say(group.room, "2")

    answer = await group.anna.answer_from(group.lotse_id, group.room, after=1)

    assert answer.body.startswith("Antwort zu reset")
    assert group.texts() == ["Passwort", "2"]
