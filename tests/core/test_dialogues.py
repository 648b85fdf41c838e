"""Guided dialogues: kept per person and chat, across restarts, until finished or cancelled."""

from bot.composition import Lotse, assemble
from bot.dialogues import Dialogue, Dialogues
from tests.support.core import FakeClock, message_from, sample_settings


async def test_a_dialogue_survives_a_restart(database_url: str, clock: FakeClock) -> None:
    first = await assemble(sample_settings(database_url), clock=clock)
    dialogues = Dialogues(first.database, first.pseudonyms, clock)
    await dialogues.save(message_from("console:anna"), Dialogue("faq", "question", {"a": 1}))
    await first.close()
    second = await assemble(sample_settings(database_url), clock=clock)
    again = Dialogues(second.database, second.pseudonyms, clock)
    assert await again.current(message_from("console:anna")) == Dialogue("faq", "question", {"a": 1})
    assert await again.current(message_from("console:anna", chat="console:other")) is None
    await second.close()


async def test_cancel_ends_an_open_dialogue(lotse: Lotse) -> None:
    dialogues = lotse.dialogues
    await dialogues.save(message_from(), Dialogue("faq", "question"))
    [reply] = await lotse.conversation.handle(message_from(text="/cancel"))
    assert reply.text == "Abgebrochen."
    assert await dialogues.current(message_from()) is None


async def test_cancel_without_a_dialogue_says_so(lotse: Lotse) -> None:
    [reply] = await lotse.conversation.handle(message_from(text="/cancel", language_hint="en"))
    assert reply.text == "There is nothing to cancel."


async def test_an_old_dialogue_is_forgotten(lotse: Lotse, clock: FakeClock) -> None:
    dialogues = lotse.dialogues
    await dialogues.save(message_from(), Dialogue("faq", "question"))
    clock.advance(days=8)
    assert await dialogues.current(message_from()) is None


async def test_a_forgotten_dialogue_stays_gone_after_a_restart(database_url: str, clock: FakeClock) -> None:
    first = await assemble(sample_settings(database_url), clock=clock)
    await first.dialogues.save(message_from(), Dialogue("faq", "question"))
    clock.advance(days=8)
    assert await first.dialogues.current(message_from()) is None
    await first.close()
    clock.advance(days=-8)
    second = await assemble(sample_settings(database_url), clock=clock)
    assert await second.dialogues.current(message_from()) is None
    await second.close()
