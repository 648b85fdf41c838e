"""`/profile`: a guided, cancellable conversation; consent is off until given and kept with its time."""

from sqlalchemy import select

from bot.composition import Lotse
from bot.features.matching.tables import ConsentRow, ProfileRow
from tests.matching.steps import ANNA, fill_in_profile, say, tap
from tests.support.core import FakeClock


async def test_the_profile_asks_six_questions_and_stores_the_consent_with_its_time(lotse: Lotse,
                                                                                    clock: FakeClock) -> None:
    [done] = await fill_in_profile(lotse, ANNA, challenges="2, Förderanträge, Blumen gießen", offers="E-Akte")
    assert "Zustimmung vom 2026-11-23 09:00 UTC" in done.text
    async with lotse.database.transaction() as session:
        profile = await session.get(ProfileRow, ANNA)
        consents = list(await session.scalars(select(ConsentRow)))
    assert profile is not None
    assert (profile.org_type, profile.region, profile.languages) == ("municipality", "Berlin", "both")
    assert profile.challenges == ["accessibility", "funding"]
    assert profile.offers == ["e-files"]
    assert profile.unmapped == ["Blumen gießen"]
    assert profile.opted_in
    assert [(c.person_id, c.given, c.at) for c in consents] == [(ANNA, True, clock.now)]


async def test_choices_can_be_tapped_as_well_as_typed(lotse: Lotse) -> None:
    [first] = await say(lotse, ANNA, "/profile", "en")
    assert first.text.startswith("Happy to create your profile")
    [region] = await tap(lotse, ANNA, first.choices[2].action, "en")
    assert "federal state" in region.text
    [challenges] = await tap(lotse, ANNA, region.choices[0].action, "en")
    assert "1. IT security" in challenges.text


async def test_matching_stays_off_when_the_member_says_no(lotse: Lotse) -> None:
    [done] = await fill_in_profile(lotse, ANNA, consent="2")
    assert "erst, wenn Sie zustimmen" in done.text
    [reply] = await say(lotse, ANNA, "/match")
    assert "Zustimmung" in reply.text


async def test_the_profile_can_be_cancelled_and_nothing_is_stored(lotse: Lotse) -> None:
    await say(lotse, ANNA, "/profile")
    await say(lotse, ANNA, "1")
    [reply] = await say(lotse, ANNA, "/cancel")
    assert reply.text == "Abgebrochen."
    async with lotse.database.transaction() as session:
        assert await session.get(ProfileRow, ANNA) is None


async def test_an_answer_that_fits_no_option_is_asked_again(lotse: Lotse) -> None:
    await say(lotse, ANNA, "/profile")
    await say(lotse, ANNA, "1")
    await say(lotse, ANNA, "Berlin")
    problem, again = await say(lotse, ANNA, "Wetter")
    assert "nichts auf der Liste" in problem.text
    assert "**3/6**" in again.text


async def test_show_tells_the_member_what_is_stored(lotse: Lotse) -> None:
    await fill_in_profile(lotse, ANNA, language="en")
    [reply] = await say(lotse, ANNA, "/profile show", "en")
    assert "- Organisation: Municipal administration" in reply.text
    assert "- Challenges: IT security, Funding" in reply.text
    assert "- Introductions: yes (since 2026-11-23 09:00 UTC)" in reply.text


async def test_pause_until_a_date_and_switching_off(lotse: Lotse, clock: FakeClock) -> None:
    await fill_in_profile(lotse, ANNA)
    [paused] = await say(lotse, ANNA, "/profile pause 31.12.2026")
    assert "2026-12-31" in paused.text
    [shown] = await say(lotse, ANNA, "/profile show")
    assert "pausiert bis 2026-12-31" in shown.text
    [off] = await say(lotse, ANNA, "/profile off")
    assert "niemandem mehr vor" in off.text
    async with lotse.database.transaction() as session:
        consents = [c.given for c in await session.scalars(select(ConsentRow).order_by(ConsentRow.id))]
    assert consents == [True, False]


async def test_pause_without_a_date_explains_itself(lotse: Lotse) -> None:
    await fill_in_profile(lotse, ANNA)
    [reply] = await say(lotse, ANNA, "/profile pause soon")
    assert "/profile pause 31.01.2027" in reply.text
