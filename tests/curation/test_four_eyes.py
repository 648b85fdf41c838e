"""With the four-eyes rule, a draft by one moderator is published by another."""

from bot.composition import Lotse
from bot.features.curation.phrases import PHRASES
from knowledge.entry import Status
from tests.curation.conftest import ANNA, MONA, OTTO, Start, delivered, say, text_of
from tests.support.core import FakeClock

FORM = "/faq add Wie gründen wir einen Verein? | | Sie brauchen sieben Mitglieder."
NEW_ID = "wie-gruenden-wir-einen-verein"


async def test_a_new_entry_is_a_draft_that_does_not_answer_members(start: Start, clock: FakeClock) -> None:
    lotse = await start(four_eyes=True)
    assert await text_of(lotse, MONA, FORM) == PHRASES.say("saved-draft", "de", id=NEW_ID)
    clock.advance(seconds=10)
    [answer] = await say(lotse, ANNA, "Wie gründen wir einen Verein?")
    assert "sieben Mitglieder" not in answer.text


async def test_the_author_cannot_publish_their_own_draft(start: Start) -> None:
    lotse = await start(four_eyes=True)
    await say(lotse, MONA, FORM)
    assert await text_of(lotse, MONA, f"/faq publish {NEW_ID}") == PHRASES.say("four-eyes", "de", id=NEW_ID)
    entry = await lotse.knowledge_base.get(NEW_ID)
    assert entry is not None and entry.status is Status.DRAFT


async def test_another_moderator_publishes_the_draft(start: Start, clock: FakeClock) -> None:
    lotse = await start(four_eyes=True)
    await say(lotse, MONA, FORM)
    assert await text_of(lotse, OTTO, f"/faq publish {NEW_ID}") == PHRASES.say("published", "de", id=NEW_ID)
    clock.advance(seconds=10)
    [answer] = await say(lotse, ANNA, "Wie gründen wir einen Verein?")
    assert "sieben Mitglieder" in answer.text


async def test_without_the_rule_a_moderator_publishes_their_own_draft(curated: Lotse) -> None:
    await say(curated, MONA, "/faq add")
    for text in ("Wie gründen wir einen Verein?", "-", "Sie brauchen sieben Mitglieder.", "-", "de", "2"):
        await say(curated, MONA, text)
    assert await text_of(curated, MONA, f"/faq publish {NEW_ID}") == PHRASES.say("published", "de", id=NEW_ID)


async def test_askers_hear_back_only_once_the_draft_is_published(start: Start) -> None:
    lotse = await start(four_eyes=True)
    await say(lotse, ANNA, "Wie gründen wir einen Verein?")
    await say(lotse, MONA, "/queue answer 1 Wie gründen wir einen Verein? | | Sie brauchen sieben Mitglieder.")
    assert await delivered(lotse) == []
    await say(lotse, OTTO, f"/faq publish {NEW_ID}")
    [(recipient, notice)] = await delivered(lotse)
    assert recipient == ANNA and "sieben Mitglieder" in notice.text
