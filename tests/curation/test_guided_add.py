"""`/faq add` guides a moderator step by step, survives interruptions and restarts, and can be cancelled."""

from bot.composition import Lotse
from bot.features.curation.phrases import PHRASES
from knowledge.entry import Status
from tests.curation.conftest import ANNA, MONA, Start, say, text_of
from tests.support.core import FakeClock, unbound

NEW_ID = "wie-gruenden-wir-einen-verein"


async def walk_to_preview(lotse: Lotse) -> None:
    await say(lotse, MONA, "/faq add")
    await say(lotse, MONA, "Wie gründen wir einen Verein?")
    await say(lotse, MONA, "Verein gründen; Vereinsgründung")
    await say(lotse, MONA, "Sie brauchen sieben Gründungsmitglieder und eine Satzung.")
    await say(lotse, MONA, "verein, recht")



async def test_the_guided_flow_asks_for_each_part_in_turn(curated: Lotse) -> None:
    prompts = [await text_of(curated, MONA, text) for text in ("/faq add", "Wie gründen wir einen Verein?", "-",
                                                              "Mit einer Satzung.")]
    assert prompts[0].endswith(PHRASES.say("ask-question", "de"))
    assert prompts[1:] == [PHRASES.say(key, "de") for key in ("ask-alternatives", "ask-answer", "ask-tags")]
    [language] = await say(curated, MONA, "-")
    assert language.text == PHRASES.say("ask-language", "de")
    assert [unbound(c.action) for c in language.choices] == ["curation:lang:de", "curation:lang:en"]


async def test_confirming_publishes_an_entry_that_answers_members(curated: Lotse, clock: FakeClock) -> None:
    await walk_to_preview(curated)
    [preview] = await say(curated, MONA, "de")
    assert "Vereinsgründung" in preview.text
    assert [unbound(c.action) for c in preview.choices] == ["curation:save:publish", "curation:save:draft",
                                                   "curation:save:cancel"]
    [saved] = await say(curated, MONA, action=preview.choices[0].action)
    assert saved.text == PHRASES.say("saved-published", "de", id=NEW_ID)
    entry = await curated.knowledge_base.get(NEW_ID)
    assert entry is not None
    assert entry.alternatives == ("Verein gründen", "Vereinsgründung") and entry.tags == ("verein", "recht")
    clock.advance(seconds=10)
    [answer] = await say(curated, ANNA, "Wie gründen wir einen Verein?")
    assert "sieben Gründungsmitglieder" in answer.text


async def test_numbered_choices_can_be_answered_with_the_number(curated: Lotse) -> None:
    await walk_to_preview(curated)
    await say(curated, MONA, "1")
    [saved] = await say(curated, MONA, "2")
    assert saved.text == PHRASES.say("saved-draft", "de", id=NEW_ID)
    entry = await curated.knowledge_base.get(NEW_ID)
    assert entry is not None and entry.lang == "de" and entry.status is Status.DRAFT


async def test_a_command_in_between_does_not_lose_the_dialogue(curated: Lotse) -> None:
    await say(curated, MONA, "/faq add")
    await say(curated, MONA, "Wie gründen wir einen Verein?")
    await say(curated, MONA, "/help")
    await say(curated, MONA, "/faq list")
    [prompt] = await say(curated, MONA, "-")
    assert prompt.text == PHRASES.say("ask-answer", "de")


async def test_the_dialogue_survives_a_restart(start: Start) -> None:
    first = await start()
    await say(first, MONA, "/faq add")
    await say(first, MONA, "Wie gründen wir einen Verein?")
    await first.close()
    again = await start()
    [prompt] = await say(again, MONA, "Vereinsgründung")
    assert prompt.text == PHRASES.say("ask-answer", "de")


async def test_cancel_ends_the_dialogue_and_saves_nothing(curated: Lotse) -> None:
    await walk_to_preview(curated)
    await say(curated, MONA, "/cancel")
    assert await curated.knowledge_base.get(NEW_ID) is None
    [answer] = await say(curated, MONA, "Wie gründen wir einen Verein?")
    assert answer.text != PHRASES.say("ask-alternatives", "de")


async def test_the_previews_cancel_choice_saves_nothing(curated: Lotse) -> None:
    await walk_to_preview(curated)
    [preview] = await say(curated, MONA, "de")
    [cancelled] = await say(curated, MONA, action=preview.choices[2].action)
    assert cancelled.text == PHRASES.say("add-cancelled", "de")
    assert await curated.knowledge_base.get(NEW_ID) is None


async def test_the_one_message_form_adds_an_entry_at_once(curated: Lotse) -> None:
    said = await text_of(curated, MONA, "/faq add Which e-mail provider? | mail hosting; e-mail hosting | "
                                        "Use one hosted in the EU. | e-mail, hosting | en")
    assert said == PHRASES.say("saved-published", "de", id="which-e-mail-provider")
    entry = await curated.knowledge_base.get("which-e-mail-provider")
    assert entry is not None
    assert (entry.alternatives, entry.tags, entry.lang) == (("mail hosting", "e-mail hosting"),
                                                            ("e-mail", "hosting"), "en")


async def test_a_malformed_one_message_form_explains_the_format(curated: Lotse) -> None:
    assert await text_of(curated, MONA, "/faq add nur eine Frage?") == PHRASES.say("form-usage", "de")
