"""Every choice acts for the person it was offered to; anyone else hears "this is not for you"."""

from collections.abc import Sequence

from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.messages import Chat, ChatId, Choice, IncomingMessage, PersonId, Reply, Sender
from tests.matching.steps import BERND, Inboxes, fill_in_profile, run_matching_job
from tests.support.core import unbound

GROUP = "telegram:-1001000000001"
ANNA, BEN = "telegram:1001", "telegram:1002"
NOT_FOR_YOU = "Diese Auswahl war für jemand anderen gedacht."


def in_group(person: str, text: str = "", action: str | None = None) -> IncomingMessage:
    return IncomingMessage(Sender(PersonId(person), person, "de"), Chat(ChatId(GROUP), is_direct=False),
                           text=text, action=action, message_id="g1")


async def group_says(lotse: Lotse, person: str, text: str = "", action: str | None = None) -> Sequence[Reply]:
    return await lotse.conversation.handle(in_group(person, text, action))


async def test_a_bystander_tapping_someone_elses_forget_confirmation_erases_nothing(lotse: Lotse) -> None:
    await group_says(lotse, ANNA, "/lang de")
    await group_says(lotse, BEN, "/lang en")
    [confirm] = await group_says(lotse, ANNA, "/forget")
    [refused] = await group_says(lotse, BEN, action=confirm.choices[0].action)
    assert refused.text.startswith("This choice was meant for someone else.")
    assert (await lotse.members.personal_data(PersonId(BEN)))["language"] == "en"
    assert (await lotse.members.personal_data(PersonId(ANNA)))["language"] == "de"
    [done] = await group_says(lotse, ANNA, action=confirm.choices[0].action)
    assert done.text.startswith("Erledigt")
    assert await lotse.members.personal_data(PersonId(ANNA)) == {}


async def test_a_bystanders_thumbs_down_neither_counts_nor_makes_them_the_asker(lotse: Lotse) -> None:
    [answer] = await group_says(lotse, ANNA, "Wie mache ich ein PDF barrierefrei?")
    [refused] = await group_says(lotse, BEN, action=answer.feedback[1].action)
    assert refused.text.startswith(NOT_FOR_YOU)
    assert await lotse.curation.queue.open_groups() == []
    await group_says(lotse, ANNA, action=answer.feedback[1].action)
    [group] = await lotse.curation.queue.open_groups()
    assert group.sample == "Wie mache ich ein PDF barrierefrei?"
    waiting = (await lotse.curation.personal_data(PersonId(ANNA)))["waiting_for_answers"]
    assert [item["question"] for item in waiting] == ["Wie mache ich ein PDF barrierefrei?"]
    assert (await lotse.curation.personal_data(PersonId(BEN)))["waiting_for_answers"] == []


async def test_a_rating_made_up_for_someone_elses_answer_is_refused(lotse: Lotse) -> None:
    [answer] = await group_says(lotse, ANNA, "Wie mache ich ein PDF barrierefrei?")
    rating = unbound(answer.feedback[1].action)
    made_up = ActionBindings(lotse.pseudonyms).bind(Reply("", (Choice("👎", rating),)), BEN)  # as if offered to Ben
    [refused] = await group_says(lotse, BEN, action=made_up.choices[0].action)
    assert refused.text.startswith(NOT_FOR_YOU)
    [untagged] = await group_says(lotse, BEN, action=unbound(answer.feedback[1].action))
    assert untagged.text.startswith("Diese Auswahl gilt nicht mehr.")
    assert await lotse.curation.queue.open_groups() == []


async def test_choices_sent_through_the_outbox_act_only_for_their_recipient(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, ANNA, challenges="KI")
    await fill_in_profile(lotse, BERND, challenges="KI")
    await run_matching_job(lotse)
    await inboxes.deliver()
    [request] = inboxes.of(BERND)
    [refused] = await lotse.conversation.handle(in_group(ANNA, action=request.choices[0].action))
    assert refused.text.startswith(NOT_FOR_YOU)
