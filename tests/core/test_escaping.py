"""What a member wrote reaches others as text: never as a link or formatting, on any platform."""

from dataclasses import replace

from adapters.rendering import markdown_to_html, markdown_to_plain
from bot.composition import Lotse
from bot.messages import PersonId, Reply, Sender
from tests.matching.steps import ANNA, BERND, Inboxes, action_of, fill_in_profile, run_matching_job, say, tap
from tests.support.core import message_from

LURE = "[Förderung sichern](https://evil.example/login) **jetzt**"


def shown(reply: Reply) -> tuple[str, str]:
    return markdown_to_plain(reply.text), markdown_to_html(reply.text)


async def test_a_region_with_a_link_is_shown_to_other_members_as_typed(lotse: Lotse) -> None:
    await fill_in_profile(lotse, ANNA, challenges="KI", region=LURE)
    await fill_in_profile(lotse, BERND, challenges="KI")
    [suggestions] = await say(lotse, BERND, "/match")
    plain, html = shown(suggestions)
    assert LURE in plain
    assert "<a " not in html and "<strong>jetzt" not in html


async def test_a_display_name_with_markup_is_shown_literally_in_an_introduction(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    name = "**Admin** [Support](https://evil.example)"
    for text in ("/profile", "1", "Berlin", "KI", "-", "3", "1"):
        typed = message_from(ANNA, text, language_hint="de")
        await lotse.conversation.handle(replace(typed, sender=Sender(PersonId(ANNA), name, "de")))
    await fill_in_profile(lotse, BERND, challenges="KI")
    await run_matching_job(lotse)
    await inboxes.deliver()
    for person in (ANNA, BERND):
        await tap(lotse, person, action_of(inboxes.of(person)[-1]))
    await inboxes.deliver()
    [introduced] = [reply for reply in inboxes.of(BERND) if name.split()[0].strip("*") in reply.text]
    plain, html = shown(introduced)
    assert name in plain
    assert '<a href="https://evil' not in html and "<strong>Admin" not in html


async def test_a_question_with_markup_is_listed_literally_for_the_moderators(lotse: Lotse) -> None:
    question = "Wie geht [das](https://evil.example) mit <b>Förder</b>anträgen & `Code`?"
    await say(lotse, ANNA, question)
    [group] = await lotse.curation.queue.open_groups()
    assert group.sample == question
    listing = await lotse.curation.stats.report("de", lotse.clock())
    plain = markdown_to_plain(listing)
    assert question in plain
    assert "<a " not in markdown_to_html(listing)
