"""What a new member runs into in the first minutes (issue 14), through the conversation as any
adapter meets it, on SQLite and PostgreSQL."""

from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from bot.composition import Lotse
from bot.features.faq import QuestionRow
from bot.messages import Reply
from tests.matching.steps import ANNA, BERND, Inboxes, fill_in_profile, run_matching_job
from tests.support.core import FakeClock, message_from

MEMBER = "console:anna"


async def say(lotse: Lotse, text: str, person: str = MEMBER, language: str | None = None) -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, text, language_hint=language))


async def tap(lotse: Lotse, action: str, person: str = MEMBER) -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, action=action))


async def logged_questions(lotse: Lotse) -> int:
    async with lotse.database.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(QuestionRow)) or 0)


@pytest.mark.parametrize(("text", "language", "start"), [
    ("hallo", None, "Hallo! Ich bin Lotse."),
    ("Guten Morgen, Lotse!", None, "Hallo! Ich bin Lotse."),
    ("danke!", None, "Gern geschehen!"),
    ("who are you?", "en", "I am Lotse, an assistant for digital pilots."),
    ("Was kannst du?", None, "Ich bin Lotse, ein Assistent"),
])
async def test_small_talk_gets_a_friendly_pointer_and_is_not_queued(lotse: Lotse, text: str, language: str | None,
                                                                   start: str) -> None:
    [reply] = await say(lotse, text, language=language)
    assert reply.text.startswith(start)
    assert "`/help`" in reply.text
    assert await logged_questions(lotse) == 0
    assert await lotse.curation.queue.open_groups() == []


@pytest.mark.parametrize("text", ["?", "<script>alert(1)</script>", "\x1b[D\x1b[C", "asdfgh qwertz", "!!! ..."])
async def test_text_without_a_word_is_answered_but_not_queued(lotse: Lotse, text: str) -> None:
    [reply] = await say(lotse, text)
    assert reply.text.startswith("Das habe ich nicht als Frage erkannt.")
    assert await lotse.curation.queue.open_groups() == []


async def test_a_real_question_without_an_answer_is_still_queued(lotse: Lotse) -> None:
    [reply] = await say(lotse, "Wann fährt der letzte Bus nach Hause?")
    assert reply.text.startswith("Darauf habe ich noch keine Antwort.")
    assert len(await lotse.curation.queue.open_groups()) == 1


async def test_a_greeting_with_a_question_is_a_question(lotse: Lotse) -> None:
    [reply] = await say(lotse, "Hallo, wie erstelle ich ein barrierefreies PDF?")
    assert reply.text.startswith("**Wie erstelle ich ein barrierefreies PDF?**")


async def offer_choices(lotse: Lotse) -> Reply:
    [reply] = await say(lotse, "Fördermittel beantragen")
    assert len(reply.choices) == 3, reply
    return reply


async def test_an_out_of_range_number_says_which_numbers_there_are(lotse: Lotse) -> None:
    await offer_choices(lotse)
    [reply] = await say(lotse, "7")
    assert reply.text == "Eine Auswahl 7 gibt es nicht. Bitte antworten Sie mit einer Zahl von 1 bis 3."


async def test_a_number_picks_nothing_after_half_an_hour(lotse: Lotse, clock: FakeClock) -> None:
    await offer_choices(lotse)
    clock.advance(minutes=31)
    [reply] = await say(lotse, "1")
    assert reply.text.startswith("Ich habe Ihnen gerade keine Auswahl angeboten.")


async def test_a_number_picks_only_from_the_latest_choices(lotse: Lotse) -> None:
    await offer_choices(lotse)
    await say(lotse, "Wie erstelle ich ein barrierefreies PDF?")
    [reply] = await say(lotse, "1")
    assert reply.text.startswith("Ich habe Ihnen gerade keine Auswahl angeboten.")


async def test_a_thumbs_down_changed_to_up_leaves_the_moderators_queue(lotse: Lotse) -> None:
    [answer] = await say(lotse, "Wie erstelle ich ein barrierefreies PDF?")
    up, down = (choice.action for choice in answer.feedback)
    await tap(lotse, down)
    assert len(await lotse.curation.queue.open_groups()) == 1
    await tap(lotse, up)
    assert await lotse.curation.queue.open_groups() == []


async def profile_step(lotse: Lotse, *answers: str) -> str:
    """Start `/profile`, give `answers` one by one, and return the text of the last replies."""
    replies = await say(lotse, "/profile")
    for text in answers:
        replies = await say(lotse, text)
    return "\n\n".join(reply.text for reply in replies)


async def test_a_question_at_the_region_step_is_refused_with_what_is_expected(lotse: Lotse) -> None:
    text = await profile_step(lotse, "1", "Wie beantrage ich Fördermittel für Software?")
    assert text.startswith("Hier frage ich nur nach Ihrer Region: bitte eine Nummer von 1 bis 16")
    assert "**2/6**" in text


async def test_a_wrong_kind_of_organisation_says_what_is_expected(lotse: Lotse) -> None:
    text = await profile_step(lotse, "Bäckerei am Markt mit Lieferdienst")
    assert text.startswith("Das ist keine der Arten. Bitte antworten Sie mit einer Nummer von 1 bis 6")


async def test_what_one_can_help_with_stays_under_help(lotse: Lotse) -> None:
    await profile_step(lotse, "1", "Berlin", "2", "Tabellenkalkulation für Vereine", "1", "1")
    [shown] = await say(lotse, "/profile show")
    assert "Herausforderungen: Barrierefreiheit\n" in shown.text
    assert "Kann helfen bei: Tabellenkalkulation für Vereine" in shown.text


async def test_match_shows_the_requests_waiting_for_an_answer(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, ANNA, challenges="Open Data")
    await fill_in_profile(lotse, BERND, challenges="offene Daten", org="3", region="Hamburg", language="en")
    await run_matching_job(lotse)
    await inboxes.deliver()
    replies = await lotse.conversation.handle(message_from(ANNA, "/match", language_hint="de"))
    request = replies[0]
    assert request.text.startswith("**Möchten Sie jemanden kennenlernen?**")
    assert "Kultureinrichtung, Hamburg" in request.text
    assert [choice.label for choice in request.choices] == ["Ja, gern", "Nein, danke"]
    [answered] = await lotse.conversation.handle(message_from(ANNA, action=request.choices[0].action))
    assert answered.text.startswith("Danke! Ich melde mich")
    after = await lotse.conversation.handle(message_from(ANNA, "/match", language_hint="de"))
    assert not any(reply.text.startswith("**Möchten Sie") for reply in after)
