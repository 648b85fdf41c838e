"""Plain questions the knowledge base cannot answer, and offers an answer entry names."""

from pathlib import Path

from bot.composition import Lotse
from knowledge.entry import Entry
from tests.kompass.steps import load, offer, provider, say


async def test_a_directory_question_without_an_answer_gets_offers(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/berlin.md": provider("berlin", area="11"),
                                 "providers/bund.md": provider("bund"),
                                 "offers/vereine.md": offer("vereine", "berlin", audiences="social"),
                                 "offers/firmen.md": offer("firmen", "berlin", audiences="company"),
                                 "offers/alle.md": offer("alle", "bund")})
    replies = await say(lotse, "console:anna", "Wer berät Vereine in Berlin zu Fördermitteln?")
    assert "Darauf habe ich noch keine Antwort" in replies[0].text
    found = next(reply.text for reply in replies if "Beratungskompass" in reply.text)
    assert found.index("/kompass show vereine") < found.index("/kompass show alle")
    assert "firmen" not in found


async def test_a_question_that_is_not_about_the_directory_gets_no_offers(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund"),
                                 "offers/alle.md": offer("alle", "bund", topics="accessibility")})
    replies = await say(lotse, "console:anna", "Wie lang darf ein Alternativtext zur Barrierefreiheit sein?")
    assert not any("Beratungskompass" in reply.text for reply in replies)


async def test_an_answer_shows_the_offers_its_entry_names(lotse: Lotse, tmp_path: Path) -> None:
    await load(lotse, tmp_path, {"providers/bund.md": provider("bund"),
                                 "offers/datenbank.md": offer("datenbank", "bund", title="Förderdatenbank")})
    await lotse.knowledge_base.save(Entry("foerdersuche", "Wo finde ich Förderprogramme für Digitalisierung?",
                                          "In der Förderdatenbank des Bundes.", offers=("datenbank", "gibt-es-nicht")),
                                    by="test")
    replies = await say(lotse, "console:anna", "Wo finde ich Förderprogramme für Digitalisierung?")
    assert replies[0].text.startswith("**Wo finde ich Förderprogramme")
    assert replies[1].text.startswith("**Passende Angebote im Beratungskompass:**")
    assert "Förderdatenbank" in replies[1].text and "/kompass show datenbank" in replies[1].text
