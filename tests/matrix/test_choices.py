"""Did-you-mean choices (by number and by keycap reaction) and 👍/👎 feedback reactions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.messages import ChatId, Choice, Reply
from tests.matrix.conftest import Dm


async def test_choices_are_a_numbered_list_answered_by_number(dm: Dm) -> None:
    await dm.member.say(dm.room, "Passwort?")
    prompt = await dm.member.answer_from(dm.lotse_id, dm.room)
    await dm.member.say(dm.room, "2")

    answer = await dm.member.answer_from(dm.lotse_id, dm.room, after=1)

    assert "1️⃣ Passwortmanager auswählen\n2️⃣ Passwort vergessen" in prompt.body
    assert "2️⃣ Passwort vergessen" in prompt.source["content"]["formatted_body"]
    assert dm.conversation.received[-1].text == "2"
    assert answer.body.startswith("Antwort zu reset")


async def test_a_keycap_reaction_picks_the_choice(dm: Dm) -> None:
    await dm.member.say(dm.room, "Passwort?")
    prompt = await dm.member.answer_from(dm.lotse_id, dm.room)
    await dm.member.react(dm.room, prompt.event_id, "1️⃣")

    answer = await dm.member.answer_from(dm.lotse_id, dm.room, after=1)

    assert dm.conversation.received[-1].action == "pick:manager"
    assert answer.body.startswith("Antwort zu manager")
    assert answer.source["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == prompt.event_id


async def test_lotse_offers_its_choices_and_feedback_as_reactions(dm: Dm) -> None:
    await dm.member.say(dm.room, "Passwort?")
    prompt = await dm.member.answer_from(dm.lotse_id, dm.room)

    def keycap(key: str) -> Callable[[str, Any], bool]:
        return lambda rid, e: getattr(e, "reacts_to", None) == prompt.event_id and e.key == key

    for key in ("1️⃣", "2️⃣"):
        await dm.member.wait_for(keycap(key))


async def test_feedback_reactions_count_once_per_person_and_answer(dm: Dm) -> None:
    await dm.member.say(dm.room, "Wie sicher ist Nextcloud?")
    answer = await dm.member.answer_from(dm.lotse_id, dm.room)
    await dm.member.react(dm.room, answer.event_id, "👍")
    await dm.member.react(dm.room, answer.event_id, "👍🏽")
    await dm.member.react(dm.room, answer.event_id, "👎")
    await dm.member.say(dm.room, "Danke")

    await dm.member.answer_from(dm.lotse_id, dm.room, after=2)

    actions = [message.action for message in dm.conversation.received if message.action]
    assert actions == ["fb:up"]
    thanks = dm.member.from_user(dm.lotse_id, dm.room)[1]
    assert thanks.body == "Danke für die Rückmeldung."


async def test_choices_lotse_sends_on_its_own_are_picked_by_reaction(dm: Dm) -> None:
    request = Reply("Möchten Sie Anna kennenlernen?", choices=(Choice("Ja", "pick:yes"), Choice("Nein", "pick:no")))
    await dm.platform.send(ChatId(f"matrix:{dm.room}"), request, key="introduction:1")
    prompt = await dm.member.answer_from(dm.lotse_id, dm.room)
    await dm.member.react(dm.room, prompt.event_id, "1️⃣")

    answer = await dm.member.answer_from(dm.lotse_id, dm.room, after=1)

    assert dm.conversation.received[-1].action == "pick:yes"
    assert answer.body.startswith("Antwort zu yes")
