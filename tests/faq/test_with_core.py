"""The assembled Lotse with the bundled encoder: members' questions are answered through both views
and unanswered ones that mean the same are grouped for the moderators, even in other words."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.composition import Lotse, assemble
from tests.support.core import FakeClock, message_from, settings_of
from tests.support.knowledge import ENTRIES


@pytest.fixture
async def lotse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Lotse]:
    monkeypatch.setenv("LOTSE_KNOWLEDGE__ENCODER", "bundled")
    settings = settings_of(database={"url": f"sqlite+aiosqlite:///{tmp_path}/lotse.db"},
                           knowledge={"load_starter": False})
    core = await assemble(settings, clock=FakeClock())
    for entry in ENTRIES[:10]:
        await core.knowledge_base.save(entry, by="test")
    await core.faq.index.wait_until_ready()
    yield core
    await core.close()


async def ask(lotse: Lotse, person: str, text: str) -> str:
    replies = await lotse.conversation.handle(message_from(person, text))
    return "\n".join(reply.text for reply in replies)


async def test_questions_are_answered_through_the_semantic_index(lotse: Lotse) -> None:
    assert lotse.faq.index.semantic_ready
    assert "3-2-1-Regel" in await ask(lotse, "console:anna", "Wie organisieren wir unsere Datensicherung?")


async def test_an_english_question_for_a_german_entry_gets_the_language_note(lotse: Lotse) -> None:
    said = await ask(lotse, "console:anna", "How do we organise our data backups?")
    assert "3-2-1-Regel" in said
    assert said.splitlines()[0] != "**Wie organisieren wir unsere Datensicherung?**"


async def test_unanswered_questions_in_other_words_share_a_group(lotse: Lotse) -> None:
    await ask(lotse, "console:anna", "Wer darf das Dienstauto fahren?")
    await ask(lotse, "console:otto", "Wer darf den Dienstwagen benutzen?")
    await ask(lotse, "console:mia", "Wie schreibe ich eine Pressemitteilung?")
    groups = await lotse.curation.queue.open_groups()
    assert sorted(group.count for group in groups) == [1, 2]
