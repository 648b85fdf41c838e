"""`/mydata` shows everything stored about a member; `/forget` erases it after a confirmation."""

import json
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.composition import Lotse
from bot.features.faq import QuestionRow
from bot.features.personal_data import split_lines
from tests.matching.steps import ANNA, BERND, Inboxes, action_of, fill_in_profile, run_matching_job, say, tap
from tests.support.core import FakeClock, message_from
from tests.support.core import mydata_document as document

CARLA = "console:carla"


@pytest.mark.parametrize("person", [ANNA, BERND, "console:carla"])
async def test_mydata_sends_everything_stored_as_json_on_every_platform(lotse: Lotse, person: str) -> None:
    await say(lotse, person, "/lang en")
    await fill_in_profile(lotse, person, challenges="KI", language="en")
    await say(lotse, person, "Wie funktioniert eigentlich das Wetter?", "en")
    replies = await say(lotse, person, "/mydata", "en")
    assert replies[0].text.startswith("Attached is everything" if person != "console:carla" else
                                      "This is everything Lotse stores about you (1 of")
    data = document(replies)
    assert data["person"] == person
    assert data["member"] == {"language": "en", "language_chosen_at": "2026-11-23T09:00:00+00:00"}
    matching = data["matching"]
    assert isinstance(matching, dict)
    assert matching["profile"]["challenges"] == ["ai"]
    assert matching["consents"] == [{"given": True, "at": "2026-11-23T09:00:00+00:00"}]
    faq = data["faq"]
    assert isinstance(faq, dict)
    assert [q["text"] for q in faq["questions"]] == ["Wie funktioniert eigentlich das Wetter?"]


async def test_mydata_names_the_other_side_of_an_introduction_only_after_both_agreed(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, ANNA, challenges="KI")
    await fill_in_profile(lotse, BERND, challenges="KI")
    await run_matching_job(lotse)
    await inboxes.deliver()
    await tap(lotse, ANNA, action_of(inboxes.of(ANNA)[0]))
    [pending] = document(await say(lotse, ANNA, "/mydata"))["matching"]["introductions"]
    assert pending["introduced_to"] is None and pending["your_answer"] == "yes"
    await tap(lotse, BERND, action_of(inboxes.of(BERND)[0]))
    [done] = document(await say(lotse, ANNA, "/mydata"))["matching"]["introductions"]
    assert done["introduced_to"] == BERND


def test_a_long_document_is_split_between_lines() -> None:
    text = "\n".join(f"line {n:04d}" for n in range(1000))
    parts = split_lines(text, 3500)
    assert all(len(part) <= 3500 for part in parts)
    assert "\n".join(parts) == text
    assert len(parts) == 3


async def test_a_long_mydata_comes_in_several_messages_each_of_whole_records(lotse: Lotse) -> None:
    for number in range(60):
        await say(lotse, CARLA, f"Frage Nummer {number} über das Wetter und andere Dinge, die niemand weiß")
    replies = await say(lotse, CARLA, "/mydata")
    assert len(replies) > 1
    assert all(len(reply.text) < 4000 for reply in replies)
    for reply in replies:
        part = json.loads(reply.text.split("```json\n", 1)[1].rsplit("\n```", 1)[0])
        assert all(set(question) == {"text", "asked_at", "outcome", "entry"}
                   for question in part.get("faq", {}).get("questions", []))
    questions = document(replies)["faq"]["questions"]
    assert [q["text"] for q in questions] == [
        f"Frage Nummer {number} über das Wetter und andere Dinge, die niemand weiß" for number in range(60)
    ]


async def test_mydata_comes_as_a_json_file_where_the_platform_takes_files(lotse: Lotse) -> None:
    await say(lotse, ANNA, "Wie funktioniert eigentlich das Wetter?")
    [reply] = await say(lotse, ANNA, "/mydata")
    assert reply.attachment is not None
    assert (reply.attachment.filename, reply.attachment.media_type) == ("lotse-meine-daten.json", "application/json")
    assert document([reply])["faq"]["questions"][0]["text"] == "Wie funktioniert eigentlich das Wetter?"


async def test_mydata_asked_in_a_group_goes_to_the_private_chat_only(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await say(lotse, ANNA, "Wie funktioniert eigentlich das Wetter?")
    in_group = message_from(ANNA, "/mydata", language_hint="de", chat="telegram:-1001000000001")
    [reply] = await lotse.conversation.handle(replace(in_group, chat=replace(in_group.chat, is_direct=False)))
    assert "nicht hier in der Gruppe" in reply.text
    assert reply.attachment is None and "Wetter" not in reply.text
    await inboxes.deliver()
    [(to, private)] = inboxes.all()
    assert to == ANNA
    assert document([private])["faq"]["questions"][0]["text"] == "Wie funktioniert eigentlich das Wetter?"


async def test_forget_asks_first_and_keeps_everything_when_the_member_says_no(lotse: Lotse) -> None:
    await fill_in_profile(lotse, ANNA, challenges="KI")
    [confirm] = await say(lotse, ANNA, "/forget")
    assert [c.label for c in confirm.choices] == ["Ja, alles löschen", "Nein, behalten"]
    [kept] = await tap(lotse, ANNA, action_of(confirm, 1))
    assert kept.text == "In Ordnung, ich habe nichts gelöscht."
    assert "profile" in document(await say(lotse, ANNA, "/mydata"))["matching"]


async def test_forget_deletes_profile_consents_introductions_and_cuts_the_questions_loose(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await say(lotse, ANNA, "/lang de")
    await fill_in_profile(lotse, ANNA, challenges="KI")
    await fill_in_profile(lotse, BERND, challenges="KI")
    await run_matching_job(lotse)
    await inboxes.deliver()
    await say(lotse, ANNA, "Wie funktioniert eigentlich das Wetter?")
    [confirm] = await say(lotse, ANNA, "/forget")
    [done] = await tap(lotse, ANNA, action_of(confirm, 0))
    assert done.text == "Erledigt: Ich habe alles über Sie gelöscht."
    data = document(await say(lotse, ANNA, "/mydata"))
    assert data["member"] == {}
    assert data["matching"] == {"consents": [], "introductions": []}
    assert data["faq"] == {"questions": [], "ratings": []}
    assert document(await say(lotse, BERND, "/mydata"))["matching"]["introductions"] == []
    async with lotse.database.transaction() as session:
        questions = [q.text for q in await session.scalars(select(QuestionRow))]
    assert "Wie funktioniert eigentlich das Wetter?" in questions, "the question log stays, pseudonymised"


async def test_an_old_forget_confirmation_does_nothing(lotse: Lotse, clock: FakeClock) -> None:
    await fill_in_profile(lotse, ANNA, challenges="KI")
    [confirm] = await say(lotse, ANNA, "/forget")
    clock.advance(hours=1)
    [expired] = await tap(lotse, ANNA, action_of(confirm, 0))
    assert "abgelaufen" in expired.text
    assert "profile" in document(await say(lotse, ANNA, "/mydata"))["matching"]
