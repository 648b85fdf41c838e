"""The unanswered queue: grouped near-duplicates, answered, linked or dismissed; askers hear back once."""

from bot.composition import Lotse
from bot.features.curation.phrases import PHRASES
from bot.messages import PersonId
from tests.curation.conftest import ANNA, MONA, Start, delivered, say, text_of
from tests.support.core import FakeClock

BEN = "console:ben"
CARLA = "console:carla"
TEMPLATE = [
    (ANNA, "Wo finde ich Vorlagen für Datenschutzerklärungen?"),
    (BEN, "Wo finde ich eine Vorlage für die Datenschutzerklärung?"),
    (CARLA, "Vorlage für eine Datenschutzerklärung gesucht"),
]
ANSWER_FORM = ("/queue answer 1 Wo finde ich eine Vorlage für eine Datenschutzerklärung? | | "
               "Nutzen Sie den Generator Ihrer Datenschutzbehörde. | datenschutz | de")


async def ask_about_templates(lotse: Lotse) -> None:
    for person, question in TEMPLATE:
        await say(lotse, person, question, chat="console:room" if person == CARLA else None)


async def test_near_duplicate_questions_form_one_group_with_a_count(curated: Lotse) -> None:
    await ask_about_templates(curated)
    await say(curated, ANNA, "Wie gründen wir einen Verein?")
    [group, other] = await curated.curation.queue.open_groups()
    assert (group.count, group.sample) == (3, TEMPLATE[0][1])
    assert (other.count, other.sample) == (1, "Wie gründen wir einen Verein?")
    listing = await text_of(curated, MONA, "/queue")
    assert f"- #1 (3×) {TEMPLATE[0][1]}" in listing and "- #2 (1×) Wie gründen wir einen Verein?" in listing


async def test_none_of_these_goes_into_the_queue(curated: Lotse) -> None:
    [offer] = await say(curated, ANNA, "Welche Förderung gibt es?")
    await say(curated, ANNA, action=offer.choices[-1].action)
    [group] = await curated.curation.queue.open_groups()
    assert group.sample == "Welche Förderung gibt es?"


async def test_a_thumbs_down_goes_into_the_queue(curated: Lotse) -> None:
    [answer] = await say(curated, ANNA, "Wie mache ich ein PDF barrierefrei?")
    await say(curated, ANNA, action=answer.feedback[1].action)
    [group] = await curated.curation.queue.open_groups()
    assert group.sample == "Wie mache ich ein PDF barrierefrei?"


async def test_answering_a_group_tells_every_asker_once_in_their_chat(curated: Lotse) -> None:
    await ask_about_templates(curated)
    said = await text_of(curated, MONA, ANSWER_FORM)
    assert said == PHRASES.say("saved-published", "de", id="wo-finde-ich-eine-vorlage-fuer-eine-datenschutzerklaerung")
    sent = await delivered(curated)
    assert sorted(recipient for recipient, _ in sent) == [ANNA, BEN, "console:room"]
    assert all("Generator Ihrer Datenschutzbehörde" in reply.text for _, reply in sent)
    assert await delivered(curated) == []


async def test_askers_are_told_exactly_once_across_a_restart(start: Start) -> None:
    first = await start()
    await ask_about_templates(first)
    await say(first, MONA, ANSWER_FORM)
    await first.close()
    again = await start()
    entry = await again.knowledge_base.get("wo-finde-ich-eine-vorlage-fuer-eine-datenschutzerklaerung")
    assert entry is not None
    async with again.database.transaction() as session:
        assert await again.curation.queue.tell_askers(session, entry) == 0
    assert len(await delivered(again)) == 3
    assert await delivered(again) == []


async def test_a_group_is_answered_through_the_guided_flow(curated: Lotse) -> None:
    await ask_about_templates(curated)
    [start] = await say(curated, MONA, "/queue answer 1")
    assert TEMPLATE[0][1] in start.text
    for text in ("-", "Nutzen Sie den Generator Ihrer Datenschutzbehörde.", "datenschutz", "de", "1"):
        await say(curated, MONA, text)
    assert len(await delivered(curated)) == 3
    assert await curated.curation.queue.open_groups() == []


async def test_linking_a_group_adds_its_questions_as_alternatives(curated: Lotse, clock: FakeClock) -> None:
    await say(curated, ANNA, "Wie beantrage ich Geld für Lastenräder?")
    said = await text_of(curated, MONA, "/queue link 1 foerdermittel-hardware")
    assert said == PHRASES.say("linked", "de", group=1, id="foerdermittel-hardware")
    [(recipient, notice)] = await delivered(curated)
    assert recipient == ANNA and "Hardware wird meist nur gefördert" in notice.text
    clock.advance(seconds=10)
    [answer] = await say(curated, BEN, "Wie beantrage ich Geld für Lastenräder?")
    assert "Hardware wird meist nur gefördert" in answer.text


async def test_a_dismissed_group_leaves_the_queue_and_nobody_is_told(curated: Lotse) -> None:
    await say(curated, ANNA, "Wie gründen wir einen Verein?")
    assert await text_of(curated, MONA, "/queue dismiss 1 kein Thema der Community") == PHRASES.say(
        "dismissed", "de", group=1)
    assert await text_of(curated, MONA, "/queue") == PHRASES.say("queue-empty", "de")
    records = await curated.audit_log.records(subject="queue:1")
    assert [(r.actor, r.action, r.after["reason"]) for r in records] == [
        (MONA, "queue.dismiss", "kein Thema der Community")]


async def test_where_an_asker_waits_is_their_data_and_can_be_forgotten(curated: Lotse) -> None:
    await ask_about_templates(curated)
    data = await curated.curation.personal_data(PersonId(ANNA))
    assert data == {"waiting_for_answers": [{"question": TEMPLATE[0][1], "chat": ANNA}]}
    await curated.curation.forget(PersonId(ANNA))
    assert await curated.curation.personal_data(PersonId(ANNA)) == {"waiting_for_answers": []}
    await say(curated, MONA, ANSWER_FORM)
    assert sorted(recipient for recipient, _ in await delivered(curated)) == [BEN, "console:room"]
