"""Double opt-in: names and handles only after both said yes; a no is never reported as a no."""

import pytest

from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.messages import Choice, Reply
from tests.matching.steps import ANNA, BERND, CLARA, Inboxes, action_of, fill_in_profile, run_matching_job, say, tap
from tests.support.core import FakeClock, unbound


async def propose(lotse: Lotse, inboxes: Inboxes) -> int:
    """Anna and Bernd share open data; a round proposes them to each other. Returns the introduction id."""
    await fill_in_profile(lotse, ANNA, challenges="Open Data")
    await fill_in_profile(lotse, BERND, challenges="offene Daten", org="3", region="Hamburg", language="en")
    await run_matching_job(lotse)
    await inboxes.deliver()
    [request] = inboxes.of(ANNA)
    return int(unbound(action_of(request)).rsplit(":", 1)[1])


async def answer(lotse: Lotse, person: str, introduction: int, yes: bool) -> str:
    """Tap yes or no under a request, in the member's language (Bernd reads English)."""
    language = "en" if person == BERND else "de"
    offered = Reply("", (Choice("", f"matching:{'y' if yes else 'n'}:{introduction}"),))
    [reply] = await tap(lotse, person, action_of(ActionBindings(lotse.pseudonyms).bind(offered, person)), language)
    return reply.text


async def test_a_request_names_challenges_organisation_and_region_but_nobody(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await propose(lotse, inboxes)
    [to_anna] = inboxes.of(ANNA)
    [to_bernd] = inboxes.of(BERND)
    assert "Kultureinrichtung, Hamburg" in to_anna.text and "Open Data" in to_anna.text
    assert "Municipal administration, Berlin" in to_bernd.text
    for text in (to_anna.text, to_bernd.text):
        assert "bernd" not in text and "1001" not in text
    assert [c.label for c in to_bernd.choices] == ["Yes, please", "No, thank you"]


@pytest.mark.parametrize("order", [(ANNA, BERND), (BERND, ANNA)])
async def test_when_both_say_yes_in_either_order_each_gets_the_others_handle(lotse: Lotse,
                                                                            order: tuple[str, str]) -> None:
    inboxes = Inboxes(lotse)
    introduction = await propose(lotse, inboxes)
    await answer(lotse, order[0], introduction, True)
    await inboxes.deliver()
    assert len(inboxes.all()) == 2, "the first yes alone reveals nothing"
    await answer(lotse, order[1], introduction, True)
    await inboxes.deliver()
    [_, handle_for_anna] = inboxes.of(ANNA)
    [_, handle_for_bernd] = inboxes.of(BERND)
    assert "Matrix: [@bernd:example.org](https://matrix.to/#/@bernd:example.org)" in handle_for_anna.text
    assert "Telegram: [tg://user?id=1001](tg://user?id=1001)" in handle_for_bernd.text
    assert handle_for_bernd.text.startswith("**You both would like to meet!**")
    assert inboxes.platforms["telegram"].sent[-1][0] == ANNA
    assert inboxes.platforms["matrix"].sent[-1][0] == BERND


@pytest.mark.parametrize("first", [ANNA, BERND])
@pytest.mark.parametrize(("first_says", "second_says"), [(True, False), (False, True), (False, False)])
async def test_unless_both_say_yes_nobody_learns_anything(lotse: Lotse, clock: FakeClock, first: str,
                                                          first_says: bool, second_says: bool) -> None:
    inboxes = Inboxes(lotse)
    introduction = await propose(lotse, inboxes)
    second = BERND if first == ANNA else ANNA
    await answer(lotse, first, introduction, first_says)
    await answer(lotse, second, introduction, second_says)
    await inboxes.deliver()
    assert len(inboxes.all()) == 2, "only the two requests; nobody hears of a no"
    clock.advance(days=7)
    await run_matching_job(lotse)
    await inboxes.deliver()
    notices = {person: inboxes.of(person)[-1].text for person in (ANNA, BERND) if len(inboxes.of(person)) > 1}
    said_yes = {person for person, yes in ((first, first_says), (second, second_says)) if yes}
    assert set(notices) == said_yes
    for text in notices.values():
        assert "nicht zustande gekommen" in text or "did not come about this time" in text


async def test_a_no_sounds_exactly_like_a_timeout(lotse: Lotse, clock: FakeClock) -> None:
    inboxes = Inboxes(lotse)
    introduction = await propose(lotse, inboxes)
    await answer(lotse, ANNA, introduction, True)
    assert await answer(lotse, BERND, introduction, False) == "All right, I will not pass anything on."
    clock.advance(days=7)
    await run_matching_job(lotse)
    await inboxes.deliver()
    after_no = inboxes.of(ANNA)[-1]
    assert after_no.text.startswith("Die Vorstellung zu Open Data ist diesmal nicht zustande gekommen")


async def test_a_request_nobody_answers_expires_and_whoever_said_yes_hears_the_same(lotse: Lotse,
                                                                                  clock: FakeClock) -> None:
    inboxes = Inboxes(lotse)
    introduction = await propose(lotse, inboxes)
    await answer(lotse, ANNA, introduction, True)
    clock.advance(days=7)
    await run_matching_job(lotse)
    await inboxes.deliver()
    assert inboxes.of(ANNA)[-1].text.startswith("Die Vorstellung zu Open Data ist diesmal nicht zustande gekommen")
    assert len(inboxes.of(BERND)) == 1, "the one who did not answer gets nothing more"
    assert await answer(lotse, BERND, introduction, True) == "This request is no longer open."


async def test_an_answer_after_the_deadline_is_too_late_even_before_the_job_ran(lotse: Lotse,
                                                                              clock: FakeClock) -> None:
    inboxes = Inboxes(lotse)
    introduction = await propose(lotse, inboxes)
    clock.advance(days=7, seconds=1)
    assert await answer(lotse, ANNA, introduction, True) == "Diese Anfrage ist nicht mehr offen."


async def test_nobody_else_can_answer_a_request(lotse: Lotse) -> None:
    introduction = await propose(lotse, Inboxes(lotse))
    assert await answer(lotse, CLARA, introduction, True) == "Diese Anfrage ist nicht mehr offen."


async def test_after_a_no_the_other_sides_yes_is_thanked_like_any_yes(lotse: Lotse) -> None:
    introduction = await propose(lotse, Inboxes(lotse))
    await answer(lotse, ANNA, introduction, False)
    assert await answer(lotse, BERND, introduction, True) == "Thank you! I will be in touch as soon as there is news."


async def test_a_second_answer_changes_nothing(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    introduction = await propose(lotse, inboxes)
    await answer(lotse, ANNA, introduction, False)
    assert await answer(lotse, ANNA, introduction, True) == "Diese Anfrage ist nicht mehr offen."
    await answer(lotse, BERND, introduction, True)
    await inboxes.deliver()
    assert all("kennenlernen!" not in r.text and "meet!" not in r.text for _, r in inboxes.all())


async def test_match_suggests_members_without_names_and_asks_the_one_picked(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, ANNA, challenges="Open Data, KI")
    await fill_in_profile(lotse, BERND, challenges="offene Daten", org="3", region="Hamburg", language="en")
    await fill_in_profile(lotse, CLARA, challenges="KI", org="5", region="Bayern")
    [suggestions] = await say(lotse, ANNA, "/match")
    assert "1. Kultureinrichtung, Hamburg: Open Data" in suggestions.text
    assert "2. Unternehmen, Bayern: Künstliche Intelligenz" in suggestions.text
    assert "bernd" not in suggestions.text and "1003" not in suggestions.text
    assert all(BERND not in c.action and CLARA not in c.action for c in suggestions.choices)
    [asked] = await tap(lotse, ANNA, action_of(suggestions, 0))
    assert asked.text.startswith("Ich habe gefragt")
    [again] = await tap(lotse, ANNA, action_of(suggestions, 0))
    assert again.text == "Diese Anfrage läuft bereits."
    await inboxes.deliver()
    assert inboxes.of(ANNA) == []
    [request] = inboxes.of(BERND)
    await tap(lotse, BERND, action_of(request, 0), "en")
    await inboxes.deliver()
    [introduced] = inboxes.of(ANNA)
    assert "@bernd:example.org" in introduced.text


async def test_an_unanswered_question_offers_peers_who_work_on_that_challenge(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, BERND, challenges="Fördermittel", language="en")
    _unknown, offer = await say(lotse, ANNA, "Wer hilft uns beim Förderantrag für das Dorfmuseum?")
    assert "Fördermittel" in offer.text
    [asked] = await tap(lotse, ANNA, action_of(offer))
    assert asked.text.startswith("Ich habe gefragt")
    await inboxes.deliver()
    [request] = inboxes.of(BERND)
    assert "A member (not stated, not stated) also works on: Funding." in request.text
    await tap(lotse, BERND, action_of(request), "en")
    await inboxes.deliver()
    [introduced] = inboxes.of(ANNA)
    assert "Ihr Kontakt: Matrix: [@bernd:example.org]" in introduced.text


async def test_no_peers_are_offered_when_nobody_takes_part_in_that_challenge(lotse: Lotse) -> None:
    await fill_in_profile(lotse, BERND, challenges="KI", language="en")
    replies = await say(lotse, ANNA, "Wer hilft uns beim Förderantrag für das Dorfmuseum?")
    assert all("Mitglieder arbeiten" not in r.text for r in replies)


async def test_two_matrix_members_also_get_a_room_with_both(lotse: Lotse) -> None:
    dora = "matrix:@dora:example.org"
    inboxes = Inboxes(lotse)
    await fill_in_profile(lotse, dora, challenges="Open Data")
    await fill_in_profile(lotse, BERND, challenges="offene Daten", org="3", region="Hamburg", language="en")
    await run_matching_job(lotse)
    await inboxes.deliver()
    [request] = inboxes.of(dora)
    introduction = int(unbound(action_of(request)).rsplit(":", 1)[1])
    await answer(lotse, dora, introduction, True)
    await answer(lotse, BERND, introduction, True)
    await inboxes.deliver()
    matrix = inboxes.platforms["matrix"]
    [(to, invite, greeting)] = [
        (to, invite, reply) for (to, reply), invite in zip(matrix.sent, matrix.invites, strict=True) if invite
    ]
    assert {to, *invite} == {dora, BERND}
    assert "Lotse hat diesen Raum für Sie beide eröffnet" in greeting.text
    assert "Lotse opened this room for the two of you" in greeting.text
    assert "@dora:example.org" in greeting.text and "matrix:@" not in greeting.text


async def test_a_matrix_and_a_telegram_member_get_handles_but_no_room(lotse: Lotse) -> None:
    inboxes = Inboxes(lotse)
    introduction = await propose(lotse, inboxes)
    await answer(lotse, ANNA, introduction, True)
    await answer(lotse, BERND, introduction, True)
    await inboxes.deliver()
    assert not any(invite for platform in inboxes.platforms.values() for invite in platform.invites)
