"""Asking the Kompass: the best five, most local first (city before state before nationwide)."""

from pathlib import Path

from bot.composition import Lotse
from tests.kompass.steps import ids_in, load, offer, provider, say

ANNA = "console:anna"


async def directory(lotse: Lotse, folder: Path) -> None:
    await load(lotse, folder, {
        "providers/bund.md": provider("bund"),
        "providers/sachsen.md": provider("sachsen", area="14"),
        "providers/leipzig.md": provider("leipzig", area="14713"),
        "providers/bayern.md": provider("bayern", area="09"),
        "offers/national.md": offer("national", "bund"),
        "offers/state.md": offer("state", "sachsen"),
        "offers/city.md": offer("city", "leipzig"),
        "offers/elsewhere.md": offer("elsewhere", "bayern"),
        "offers/other-topic.md": offer("other-topic", "leipzig", topics="accessibility"),
    })


async def test_city_comes_before_state_before_nationwide(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    [reply] = await say(lotse, ANNA, "/kompass Fördermittel Leipzig")
    assert ids_in(reply.text) == ["city", "state", "national"]


async def test_a_postcode_places_the_member_in_its_district(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    [reply] = await say(lotse, ANNA, "/kompass Fördermittel 04109")
    assert ids_in(reply.text) == ["city", "state", "national"]
    assert "04109, Leipzig" in reply.text


async def test_a_place_elsewhere_sees_its_own_state_and_nationwide_offers_only(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    [reply] = await say(lotse, ANNA, "/kompass Förderung in Nürnberg")
    assert ids_in(reply.text) == ["elsewhere", "national"]


async def test_without_a_place_only_nationwide_offers_count_and_lotse_asks_for_one(lotse: Lotse,
                                                                                  tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    [reply] = await say(lotse, ANNA, "/kompass Fördermittel")
    assert ids_in(reply.text) == ["national"]
    assert "Ohne Ort zeige ich bundesweite Angebote" in reply.text


async def test_the_topic_filters_and_english_works_too(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    [reply] = await say(lotse, ANNA, "/kompass accessibility Leipzig", language="en")
    assert ids_in(reply.text) == ["other-topic"]
    assert reply.text.startswith("**From the Kompass**")


async def test_at_most_five_offers_are_shown(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund"),
                                 **{f"offers/o{n}.md": offer(f"o{n}", "bund") for n in range(8)}})
    [reply] = await say(lotse, ANNA, "/kompass Fördermittel")
    assert len(ids_in(reply.text)) == 5


async def test_an_offer_for_other_organisations_is_left_out(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund"),
                                 "offers/firms.md": offer("firms", "bund", audiences="company"),
                                 "offers/clubs.md": offer("clubs", "bund", audiences="social"),
                                 "offers/all.md": offer("all", "bund")})
    [reply] = await say(lotse, ANNA, "/kompass Fördermittel für Vereine")
    assert ids_in(reply.text) == ["clubs", "all"]


async def test_a_funding_call_past_its_deadline_drops_out(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund"),
                                 "offers/open.md": offer("open", "bund", kind="funding", deadlines="2027-01-31"),
                                 "offers/over.md": offer("over", "bund", kind="funding", deadlines="2026-11-01")})
    [reply] = await say(lotse, ANNA, "/kompass Fördermittel")
    assert ids_in(reply.text) == ["open"]
    assert "Frist 31.01.2027" in reply.text


async def test_the_readiness_check_gets_offers_for_a_topic_org_type_and_region(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    found = await lotse.kompass.directory.offers_for(["funding"], org_type="municipality", region="Leipzig")
    assert [one.listing.offer.id for one in found] == ["city", "state", "national"]
    assert [one.level for one in found] == [3, 1, 0]


async def test_a_withdrawn_provider_takes_its_offers_out_of_answers(lotse: Lotse, tmp_path: Path) -> None:
    await directory(lotse, tmp_path)
    await say(lotse, "console:mod", "/provider withdraw leipzig")
    [reply] = await say(lotse, ANNA, "/kompass Fördermittel Leipzig")
    assert ids_in(reply.text) == ["state", "national"]
