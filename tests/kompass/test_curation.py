"""Moderators curate providers and offers in chat: add, edit, withdraw, versions, audit."""

from pathlib import Path

from bot.composition import Lotse
from tests.kompass.steps import MODERATOR, load, offer, provider, say


async def test_a_provider_and_an_offer_are_added_in_one_message_each(lotse: Lotse) -> None:
    [saved] = await say(lotse, MODERATOR, "/provider add name=Digitalagentur Muster | kind=Agentur | "
                                          "website=https://muster.example | area=Sachsen | "
                                          "contact=hallo@muster.example")
    assert saved.text == "Gespeichert: provider `digitalagentur-muster`, Version 1."
    [saved] = await say(lotse, MODERATOR, "/offer add provider=digitalagentur-muster | kind=Schulung | "
                                          "title=KI-Grundkurs | topics=KI, Datenschutz | area=01067 | "
                                          "deadlines=31.03.2027 | cost=kostenfrei | audiences=Kommunen, Vereine")
    assert saved.text == "Gespeichert: offer `ki-grundkurs`, Version 1."
    [shown] = await say(lotse, MODERATOR, "/offer show ki-grundkurs")
    for fact in ("kind: training", "topics: Künstliche Intelligenz, Datenschutz", "area: Dresden (14612)",
                 "deadlines: 31.03.2027", "cost: free", "audiences: municipality, social", "checked: 23.11.2026"):
        assert fact in shown.text
    [answer] = await say(lotse, "console:anna", "/kompass KI Dresden")
    assert "KI-Grundkurs" in answer.text


async def test_a_guided_add_asks_for_each_required_field(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/amt.md": provider("amt")})
    steps = ["/offer add", "amt", "Beratung", "Sprechstunde Barrierefreiheit", "Barrierefreiheit, BITV", "-"]
    replies = [await say(lotse, MODERATOR, text) for text in steps]
    assert "Von welchem Anbieter" in replies[0][0].text
    assert replies[-1][0].text == "Gespeichert: offer `sprechstunde-barrierefreiheit`, Version 1."
    [shown] = await say(lotse, MODERATOR, "/offer show sprechstunde-barrierefreiheit")
    assert "topics: Barrierefreiheit" in shown.text and "area:" not in shown.text


async def test_a_wrong_value_is_explained_and_asked_again(lotse: Lotse) -> None:
    await say(lotse, MODERATOR, "/provider add")
    await say(lotse, MODERATOR, "Kompetenzzentrum Muster")
    [wrong] = await say(lotse, MODERATOR, "Raumschiff")
    assert wrong.text.startswith("Diese Art kenne ich nicht.") and "Welche Art?" in wrong.text


async def test_every_edit_is_a_version_that_can_be_reverted_and_is_audited(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/amt.md": provider("amt"), "offers/o.md": offer("o", "amt")})
    [edited] = await say(lotse, MODERATOR, "/offer edit o title Neuer Titel")
    assert edited.text == "Gespeichert: offer `o`, Version 2."
    [history] = await say(lotse, MODERATOR, "/offer history o")
    assert "v1" in history.text and f"v2 · 2026-11-23 09:00 UTC · {MODERATOR}" in history.text
    [reverted] = await say(lotse, MODERATOR, "/offer revert o 1")
    assert reverted.text == "Gespeichert: offer `o`, Version 3."
    [shown] = await say(lotse, MODERATOR, "/offer show o")
    assert "title: Offer o" in shown.text
    records = await lotse.audit_log.records(subject="offer:o")
    assert [record.action for record in records] == ["offer.revert", "offer.edit", "offer.import"]
    assert records[1].before["title"] == "Offer o" and records[1].after["title"] == "Neuer Titel"


async def test_a_withdrawn_offer_leaves_answers_and_can_be_restored(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/amt.md": provider("amt"), "offers/o.md": offer("o", "amt")})
    await say(lotse, MODERATOR, "/offer withdraw o")
    [none] = await say(lotse, "console:anna", "/kompass Fördermittel")
    assert "nichts gefunden" in none.text
    await say(lotse, MODERATOR, "/offer restore o")
    [found] = await say(lotse, "console:anna", "/kompass Fördermittel")
    assert "/kompass show o" in found.text


async def test_members_cannot_curate(lotse: Lotse) -> None:
    [refused] = await say(lotse, "console:anna", "/provider add name=X | kind=Agentur")
    assert refused.text == "Den Beratungskompass pflegt das Moderationsteam."
