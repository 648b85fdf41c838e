"""`/measures`: the proposed and own measures in the documented order, changed, moved and linked."""

from __future__ import annotations

from collections.abc import Sequence

from bot.composition import Lotse
from bot.features.check.ranking import value
from bot.features.check.store import Measure
from bot.features.digest.resources import ResourceDraft
from tests.check.steps import ANNA, answer_statements, begin, say, text_of


async def finished(lotse: Lotse, person: str = ANNA, org: str = "municipality") -> None:
    await answer_statements(lotse, person, await begin(lotse, person, org=org))
    await say(lotse, person, "-")


def titles(lotse_text: str) -> list[str]:
    return [line.split(". ", 1)[1].split(" · ")[0] for line in lotse_text.splitlines() if line[:1].isdigit()]


async def measures(lotse: Lotse, person: str = ANNA) -> Sequence[Measure]:
    check = await lotse.check.store.of(person)  # type: ignore[arg-type]
    assert check is not None
    return await lotse.check.store.measures(check.id)


async def test_the_gap_measures_come_in_the_order_of_the_rule(lotse: Lotse) -> None:
    await finished(lotse)
    listed = await measures(lotse)
    assert [m.catalogue_id for m in listed] == ["mfa-rollout", "backup-321", "wiba-check", "emergency-card", "ropa"]
    assert [value(m) for m in listed] == sorted((value(m) for m in listed), reverse=True)
    text = text_of(await say(lotse, ANNA, "/measures"))
    assert text.splitlines()[2].startswith("1. Zwei-Faktor-Anmeldung")
    assert "Aufwand gering, Nutzen hoch, Passung hoch · nutzt vorhandenes System" in text


async def test_a_measure_that_does_not_suit_the_organisation_type_has_low_fit(lotse: Lotse) -> None:
    await finished(lotse, org="sme")
    wiba = next(m for m in await measures(lotse) if m.catalogue_id == "wiba-check")
    assert wiba.fit == 1
    order = [m.catalogue_id for m in await measures(lotse)]
    assert order.index("wiba-check") > order.index("emergency-card")


async def test_an_own_measure_is_added_where_the_rule_puts_it(lotse: Lotse) -> None:
    await finished(lotse)
    replies = await say(lotse, ANNA, "/measures add Passwortmanager für alle einführen")
    assert "Hinzugefügt als Nummer" in replies[0].text
    assert "Passwortmanager für alle einführen" in [m.title for m in await measures(lotse)]


async def test_moving_overrides_the_rule_and_new_measures_then_go_to_the_end(lotse: Lotse) -> None:
    await finished(lotse)
    replies = await say(lotse, ANNA, "/measures move 5 1")
    assert "Platz 1" in replies[0].text
    assert [m.catalogue_id for m in await measures(lotse)][:2] == ["ropa", "mfa-rollout"]
    await say(lotse, ANNA, "/measures add Eine Maßnahme mit hohem Nutzen")
    assert [m.title for m in await measures(lotse)][-1] == "Eine Maßnahme mit hohem Nutzen"
    assert "von Ihnen umsortiert" in text_of(await say(lotse, ANNA, "/measures"))


async def test_done_edit_and_drop_change_the_numbered_measure(lotse: Lotse) -> None:
    await finished(lotse)
    await say(lotse, ANNA, "/measures done 1")
    await say(lotse, ANNA, "/measures edit 2 owner Frau Weber (IT)")
    await say(lotse, ANNA, "/measures edit 2 review 31.03.2027")
    await say(lotse, ANNA, "/measures drop 3")
    listed = await measures(lotse)
    assert listed[0].status == "done" and listed[1].owner == "Frau Weber (IT)"
    assert str(listed[1].review_on) == "2027-03-31"
    assert "wiba-check" not in [m.catalogue_id for m in listed]
    text = text_of(await say(lotse, ANNA, "/measures"))
    assert "1. ✓ Zwei-Faktor" in text and "verantwortlich: Frau Weber \\(IT\\)" not in text
    assert "verantwortlich: Frau Weber (IT)" in text


async def test_a_wrong_value_is_explained_and_nothing_changes(lotse: Lotse) -> None:
    await finished(lotse)
    replies = await say(lotse, ANNA, "/measures edit 1 effort viel")
    assert "effort nimmt 1, 2 oder 3" in replies[0].text
    assert (await measures(lotse))[0].effort == 1
    replies = await say(lotse, ANNA, "/measures done 9")
    assert "Nummer 9 gibt es nicht; die Liste hat 5" in replies[0].text


async def test_a_measure_links_resources_the_knowledge_base_and_peers(lotse: Lotse) -> None:
    await lotse.digest.resources.add(ResourceDraft(
        title="BSI: Zwei-Faktor-Authentisierung", link="https://www.bsi.bund.de/2fa", tags=("it-sicherheit",)),
        by="moderator")
    await finished(lotse)
    text = (await say(lotse, ANNA, "/measures 1"))[0].text
    assert "Quelle: DIN SPEC 27076" in text
    assert "[BSI: Zwei-Faktor-Authentisierung](https://www.bsi.bund.de/2fa)" in text
    assert "`/profile` und `/match`" in text and "IT-Sicherheit" in text


async def test_measures_without_a_check_say_how_to_begin(lotse: Lotse) -> None:
    replies = await say(lotse, ANNA, "/measures")
    assert "/check" in replies[0].text
