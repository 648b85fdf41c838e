"""The conversation as every adapter meets it, on SQLite and PostgreSQL."""

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy import text as sql

from bot.composition import Lotse, assemble
from bot.features.faq import QuestionRow, RatingRow
from bot.messages import Reply
from tests.support.core import FakeClock, message_from, sample_settings


async def say(lotse: Lotse, text: str = "", person: str = "console:anna", **options: object) -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, text, **options))  # type: ignore[arg-type]


async def tap(lotse: Lotse, action: str, person: str = "console:anna") -> Sequence[Reply]:
    return await lotse.conversation.handle(message_from(person, action=action))


async def ask_for_choices(lotse: Lotse) -> Reply:
    [reply] = await say(lotse, "Fördermittel beantragen")
    assert reply.choices, f"expected choices, got {reply}"
    return reply


async def test_start_greets_in_german_by_default(lotse: Lotse) -> None:
    [reply] = await say(lotse, "/start")
    assert reply.text.startswith("Hallo, ich bin **Lotse**")
    assert "`/lang`" in reply.text


async def test_start_greets_in_english_when_the_platform_says_so(lotse: Lotse) -> None:
    [reply] = await say(lotse, "/start", language_hint="en-GB")
    assert reply.text.startswith("Hello, I am **Lotse**")


async def test_help_shows_members_no_moderator_commands(lotse: Lotse) -> None:
    [reply] = await say(lotse, "/help", language_hint="en")
    assert "`/queue`" not in reply.text and "For moderators" not in reply.text


async def test_help_shows_moderators_their_commands_too(database_url: str, clock: FakeClock) -> None:
    core = await assemble(sample_settings(database_url, admins=["console:mod"]), clock=clock)
    try:
        [reply] = await core.conversation.handle(message_from("console:mod", "/help", language_hint="en"))
    finally:
        await core.close()
    assert "For moderators:\n\n" in reply.text and "- `/queue`: " in reply.text


async def test_help_lists_every_command_with_its_description(lotse: Lotse) -> None:
    [reply] = await say(lotse, "/help", language_hint="en")
    for line in ("- `/start`: Welcome and first steps", "- `/help`: What Lotse can do", "- `/lang`: Choose"):
        assert line in reply.text


async def test_a_chosen_language_is_remembered(lotse: Lotse) -> None:
    [reply] = await say(lotse, "/lang en", language_hint="de")
    assert reply.text == "All right, I will answer you in English from now on."
    [help_reply] = await say(lotse, "/help", language_hint="de")
    assert help_reply.text.startswith("Send me your question")


async def test_lang_without_a_known_language_explains_itself(lotse: Lotse) -> None:
    [reply] = await say(lotse, "/lang fr")
    assert "`/lang de`" in reply.text


async def test_an_unknown_command_is_named_and_help_suggested(lotse: Lotse) -> None:
    [reply] = await say(lotse, "/teleport now")
    assert reply.text == "Den Befehl `/teleport` kenne ich nicht. `/help` zeigt, was ich kann."


async def test_a_clear_question_gets_the_answer_with_rating_buttons(lotse: Lotse) -> None:
    [reply] = await say(lotse, "Wie mache ich ein PDF barrierefrei?")
    assert reply.text.startswith("**Wie erstelle ich ein barrierefreies PDF?**")
    assert [choice.label for choice in reply.feedback] == ["👍", "👎"]


async def test_an_english_entry_for_a_german_asker_carries_a_note(lotse: Lotse) -> None:
    [reply] = await say(lotse, "Which video conferencing tool should we use?", language_hint="de")
    assert reply.text.startswith("*Diese Antwort gibt es bisher nur auf Englisch.*")


async def test_an_unknown_question_is_admitted_and_logged_without_the_askers_id(lotse: Lotse) -> None:
    [reply] = await say(lotse, "Wann fährt der nächste Bus nach Hamburg?")
    assert reply.text.startswith("Darauf habe ich noch keine Antwort.")
    async with lotse.database.transaction() as session:
        logged = (await session.scalars(select(QuestionRow))).one()
    assert logged.outcome == "unknown"
    assert "anna" not in logged.asker


async def test_an_unsure_question_offers_choices_and_none_of_these(lotse: Lotse) -> None:
    reply = await ask_for_choices(lotse)
    labels = [choice.label for choice in reply.choices]
    assert labels[-1] == "Nichts davon"
    assert "Wie beantragen wir Fördermittel für Software-Lizenzen?" in labels


async def test_tapping_a_choice_turns_the_prompt_into_that_answer(lotse: Lotse) -> None:
    prompt = await ask_for_choices(lotse)
    chosen = next(c for c in prompt.choices if "Hardware" in c.label)
    [answer] = await tap(lotse, chosen.action)
    assert answer.replaces_prompt
    assert answer.text.startswith("**Wie beantragen wir Fördermittel für Hardware-Geräte?**")


async def test_answering_with_the_number_of_a_choice_picks_it(lotse: Lotse) -> None:
    prompt = await ask_for_choices(lotse)
    [answer] = await say(lotse, "1")
    assert answer.text.startswith(f"**{prompt.choices[0].label}**")


async def test_a_number_after_the_choices_expired_picks_nothing(lotse: Lotse, clock: FakeClock) -> None:
    await ask_for_choices(lotse)
    clock.advance(hours=25)
    [reply] = await say(lotse, "1")
    assert reply.text.startswith("Ich habe Ihnen gerade keine Auswahl angeboten.")


async def test_a_bare_number_without_choices_is_not_taken_for_a_question(lotse: Lotse) -> None:
    [reply] = await say(lotse, "2", language_hint="en")
    assert reply.text == "I have not offered you any choices just now. Feel free to ask your question in words."


async def test_none_of_these_notes_the_question_for_the_moderators(lotse: Lotse) -> None:
    prompt = await ask_for_choices(lotse)
    [reply] = await tap(lotse, prompt.choices[-1].action)
    assert reply.text == "Danke! Ich habe Ihre Frage für das Moderationsteam notiert."
    async with lotse.database.transaction() as session:
        outcomes = list(await session.scalars(select(QuestionRow.outcome)))
    assert outcomes == ["none"]


async def test_a_choice_can_be_taken_only_once(lotse: Lotse) -> None:
    prompt = await ask_for_choices(lotse)
    await tap(lotse, prompt.choices[0].action)
    [again] = await tap(lotse, prompt.choices[0].action)
    assert again.text.startswith("Diese Auswahl gilt nicht mehr.")


async def test_someone_elses_choice_is_refused_politely(lotse: Lotse) -> None:
    prompt = await ask_for_choices(lotse)
    [reply] = await tap(lotse, prompt.choices[0].action, person="console:ben")
    assert reply.text.startswith("Diese Auswahl war für jemand anderen gedacht.")


async def test_malformed_or_foreign_actions_are_refused_politely(lotse: Lotse) -> None:
    for action in ("faq:p:999:0", "faq:v:abc:up", "nonsense", "faq:", "x" * 64):
        [reply] = await tap(lotse, action)
        assert reply.text.startswith("Diese Auswahl gilt nicht mehr.")


async def test_a_rating_counts_once_per_person_and_a_second_tap_changes_it(lotse: Lotse) -> None:
    [answer] = await say(lotse, "Wie mache ich ein PDF barrierefrei?")
    up, down = answer.feedback
    await tap(lotse, up.action)
    await tap(lotse, up.action)
    [thanks] = await tap(lotse, down.action)
    assert thanks.text == "Danke für Ihre Rückmeldung!"
    async with lotse.database.transaction() as session:
        votes = list(await session.scalars(select(RatingRow.vote)))
    assert votes == [-1]


async def test_an_oversized_message_is_declined_and_nothing_is_logged(lotse: Lotse) -> None:
    [reply] = await say(lotse, "Frage " * 2000)
    assert reply.text.startswith("Ihre Nachricht ist mit 11999 Zeichen zu lang")
    async with lotse.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(QuestionRow)) == 0


async def test_invisible_and_control_characters_are_ignored(lotse: Lotse) -> None:
    [reply] = await say(lotse, "\u200bWie mache ich ein\x00 PDF\u202e barrierefrei?\u200d")
    assert reply.text.startswith("**Wie erstelle ich ein barrierefreies PDF?**")


async def test_an_empty_message_gets_no_reply(lotse: Lotse) -> None:
    assert await say(lotse, " \u200b\n") == []


async def test_a_failure_inside_a_feature_gets_an_apology_and_the_next_message_works(lotse: Lotse) -> None:
    async with lotse.database.transaction() as session:
        await session.execute(sql("DROP TABLE pending_choices"))
        await session.execute(sql("DROP TABLE ratings"))
        await session.execute(sql("DROP TABLE questions"))
    broken = await say(lotse, "Wie mache ich ein PDF barrierefrei?")
    assert broken == [Reply("Entschuldigung, da ist bei mir etwas schiefgegangen. Bitte versuchen Sie es "
                            "gleich noch einmal.")]
    [reply] = await say(lotse, "/lang en")
    assert reply.text.startswith("All right")
