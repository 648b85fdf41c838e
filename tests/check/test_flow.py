"""`/check` from the organisation type to the result, paused and resumed, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.composition import Lotse, assemble
from bot.features.check import load_catalogue
from bot.features.check.catalogue import starter_catalogue_folder
from tests.check.steps import ANNA, BERND, CONSOLE, answer_statements, begin, choice, say, tap, text_of
from tests.support.core import FakeClock, sample_settings, unbound


async def test_the_check_asks_the_kind_of_organisation_first(lotse: Lotse) -> None:
    replies = await say(lotse, ANNA, "/check")
    assert "Was für eine Organisation" in replies[-1].text
    assert [unbound(c.action) for c in replies[-1].choices] == [
        "check:o:municipality", "check:o:culture", "check:o:social", "check:o:sme", "check:o:other"]


async def test_after_region_and_systems_come_the_statements_with_four_answers(lotse: Lotse) -> None:
    replies = await say(lotse, ANNA, "/check")
    replies = await tap(lotse, ANNA, choice(replies, ":o:culture"))
    assert "Region" in replies[-1].text
    replies = await say(lotse, ANNA, "Thüringen")
    assert "Systeme" in replies[-1].text and "Nextcloud" in replies[-1].text
    replies = await say(lotse, ANNA, "3, Ticketsystem")
    assert "Aussage 1 von 29" in replies[-1].text
    assert [c.label for c in replies[-1].choices] == ["Nein", "Teilweise", "Ja", "Weiß nicht"]
    check = await lotse.check.store.of(ANNA)  # type: ignore[arg-type]
    assert check is not None and check.systems == ("nextcloud", "Ticketsystem") and check.region == "Thüringen"


async def test_a_system_number_not_on_the_list_is_asked_again(lotse: Lotse) -> None:
    replies = await say(lotse, ANNA, "/check")
    await tap(lotse, ANNA, choice(replies, ":o:social"))
    await say(lotse, ANNA, "Bremen")
    replies = await say(lotse, ANNA, "2, 12")
    assert "12 steht nicht auf der Liste" in text_of(replies)
    replies = await say(lotse, ANNA, "2")
    assert "Aussage 1 von 29" in replies[-1].text


async def test_a_no_asks_how_important_it_is_and_a_yes_does_not(lotse: Lotse) -> None:
    replies = await begin(lotse, ANNA)
    replies = await tap(lotse, ANNA, choice(replies, ":a:0:n"))
    assert "Wie wichtig" in replies[-1].text and replies[-1].replaces_prompt
    replies = await tap(lotse, ANNA, choice(replies, ":i:0:2"))
    assert "Aussage 2 von 29" in replies[-1].text
    replies = await tap(lotse, ANNA, choice(replies, ":a:1:y"))
    assert "Aussage 3 von 29" in replies[-1].text


async def test_an_interrupted_check_resumes_where_it_stopped_after_a_restart(database_url: str,
                                                                             clock: FakeClock) -> None:
    first = await assemble(sample_settings(database_url), clock=clock)
    try:
        replies = await begin(first, ANNA)
        await answer_statements(first, ANNA, replies, limit=5)
    finally:
        await first.close()
    second = await assemble(sample_settings(database_url), clock=clock)
    try:
        replies = await say(second, ANNA, "/check")
        assert "Willkommen zurück" in replies[0].text
        assert "Aussage 6 von 29" in replies[-1].text
        replies = await say(second, ANNA, "/faq")
        replies = await say(second, ANNA, "/check")
        assert "Aussage 6 von 29" in replies[-1].text
    finally:
        await second.close()


async def test_a_pause_in_the_region_step_resumes_there(lotse: Lotse) -> None:
    replies = await say(lotse, ANNA, "/check")
    await tap(lotse, ANNA, choice(replies, ":o:sme"))
    await say(lotse, ANNA, "/help")
    replies = await say(lotse, ANNA, "/check")
    assert "Region" in replies[-1].text
    replies = await say(lotse, ANNA, "Hamburg")
    assert "Systeme" in replies[-1].text


async def test_the_result_shows_bars_and_the_largest_gap_and_asks_what_a_solution_must_do(lotse: Lotse) -> None:
    replies = await answer_statements(lotse, ANNA, await begin(lotse, ANNA))
    text = text_of(replies)
    assert "`██████████ 100 %` Strategie und Führungsauftrag" in text
    assert "`░░░░░░░░░░ 0 %` IT-Sicherheit und Datenschutz" in text
    assert "- **IT-Sicherheit und Datenschutz**: Lücke 100 %" in text
    assert "Was muss eine künftige Lösung für **IT-Sicherheit und Datenschutz** leisten?" in replies[-1].text


async def test_the_requirement_appears_with_its_gap_and_measures_are_proposed(lotse: Lotse) -> None:
    await answer_statements(lotse, ANNA, await begin(lotse, ANNA))
    replies = await say(lotse, ANNA, "Backups müssen *ohne* IT-Dienstleister prüfbar sein")
    text = text_of(replies)
    assert "Anforderung: Backups müssen \\*ohne\\* IT-Dienstleister prüfbar sein" in text
    assert "5 Maßnahmen vorgeschlagen" in text
    assert "Überprüfung" in text and "23.02.2027" in text


async def test_the_check_speaks_english_to_an_english_pilot(lotse: Lotse) -> None:
    replies = await say(lotse, CONSOLE, "/check", "en")
    assert "What kind of organisation" in replies[-1].text
    replies = await tap(lotse, CONSOLE, choice(replies, ":o:other"), "en")
    replies = await say(lotse, CONSOLE, "Vienna", "en")
    replies = await say(lotse, CONSOLE, "-", "en")
    assert "statement 1 of 29" in replies[-1].text and replies[-1].choices[0].label == "No"


async def test_an_old_statement_tap_after_the_check_moved_on_changes_nothing_else(lotse: Lotse) -> None:
    replies = await begin(lotse, ANNA)
    first = choice(replies, ":a:0:y")
    replies = await tap(lotse, ANNA, first)
    replies = await tap(lotse, ANNA, choice(replies, ":a:1:y"))
    replies = await tap(lotse, ANNA, first)
    assert "Aussage 3 von 29" in replies[-1].text


async def test_a_new_catalogue_version_does_not_change_a_running_check(lotse: Lotse, tmp_path: Path) -> None:
    replies = await answer_statements(lotse, ANNA, await begin(lotse, ANNA), limit=3)
    folder = tmp_path / "checks"
    shutil.copytree(starter_catalogue_folder(), folder)
    for language, name in (("de", "1-strategie.md"), ("en", "1-strategy.md")):
        path = folder / language / name
        text = path.read_text()
        start = text.index("  - id: reporting")
        path.write_text(text[:start] + text[text.index("measures:"):])
    assert await load_catalogue(lotse.check.catalogues, folder)
    replies = await say(lotse, ANNA, "/check")
    assert "Aussage 4 von 29" in replies[-1].text
    replies = await answer_statements(lotse, ANNA, replies)
    assert "IT-Sicherheit und Datenschutz** leisten?" in replies[-1].text
    replies = await begin(lotse, BERND)
    assert "Aussage 1 von 28" in replies[-1].text


async def test_a_typed_number_picks_the_answer_as_on_matrix(lotse: Lotse) -> None:
    await begin(lotse, ANNA)
    replies = await say(lotse, ANNA, "2")
    assert "Wie wichtig" in replies[-1].text
    replies = await say(lotse, ANNA, "Keine Ahnung")
    assert "Bitte wählen Sie eine der Antworten" in replies[0].text and "Wie wichtig" in replies[-1].text
    check = await lotse.check.store.of(ANNA)  # type: ignore[arg-type]
    assert check is not None and check.answers == {"strategy/mandate": {"state": "p"}}
