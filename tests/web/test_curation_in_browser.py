"""Moderators' work in the console, in a real browser: editing, answering the queue, reverting; and the
CSRF guard that refuses changes from anywhere but the console's own forms."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import BrowserContext, Locator, Page, expect

from tests.support.core import FakeClock
from tests.web.conftest import ANNA, MONA, OTTO, Running, signed_in_page


def field(page: Page, label: str) -> Locator:
    """A text field by its label, whether or not it is marked required."""
    return page.get_by_role("textbox", name=re.compile(f"^{re.escape(label)}( \\(Pflichtfeld\\))?$"))


NEW_ANSWER = "Verwenden Sie **Formatvorlagen** und prüfen Sie mit PAC 2024."


async def test_an_edited_answer_is_what_members_get_next(browser: BrowserContext, running: Running) -> None:
    assert "PDF Accessibility Checker" in await running.say(ANNA, "Wie mache ich ein PDF barrierefrei?")
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/kb/barrierefreies-pdf")
    await field(page, "Antwort").fill(NEW_ANSWER)
    await page.get_by_role("button", name="Vorschau").click()
    await expect(page.locator(".answer-preview strong").last).to_have_text("Formatvorlagen")
    await page.get_by_role("button", name="Speichern", exact=True).click()
    await expect(page.get_by_role("status")).to_have_text("Gespeichert als Version 2.")

    answer = await running.say(ANNA, "Wie mache ich ein PDF barrierefrei?")
    assert NEW_ANSWER in answer and "PDF Accessibility Checker" not in answer
    [record] = await running.lotse.audit_log.records(subject="entry:barrierefreies-pdf", limit=1)
    assert (record.actor, record.action) == (MONA, "entry.edit")


async def test_the_test_box_tells_which_entry_answers_and_how_sure(browser: BrowserContext,
                                                                   running: Running) -> None:
    page = await signed_in_page(browser, running)
    test_box = page.get_by_role("searchbox", name="Frage, wie ein Mitglied sie stellt")
    await test_box.fill("Wie mache ich ein PDF barrierefrei?")
    await page.get_by_role("button", name="Testen").click()
    result = page.locator(".test-result")
    await expect(result).to_contain_text("Lotse würde antworten mit")
    await expect(result.get_by_role("link")).to_have_text("Wie erstelle ich ein barrierefreies PDF?")
    await expect(result).to_contain_text(re.compile(r"Sicherheit: \d+ %"))


async def test_search_finds_entries_as_members_questions_find_them(browser: BrowserContext,
                                                                    running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.get_by_role("searchbox", name="Suche").fill("Hardware fördern lassen")
    await page.get_by_role("button", name="Anzeigen").click()
    first = page.locator("table.entries tbody tr").first
    await expect(first.get_by_role("link")).to_contain_text("Hardware")


async def test_answering_a_queue_group_notifies_the_asker(browser: BrowserContext, running: Running) -> None:
    assert "noch keine Antwort" in await running.say(ANNA, "Gibt es Vorlagen für Barrierefreiheitserklärungen?")
    [group] = await running.lotse.curation.queue.open_groups()
    page = await signed_in_page(browser, running)
    await page.get_by_role("link", name="Offene Fragen").click()
    await page.get_by_role("link", name="Gibt es Vorlagen für Barrierefreiheitserklärungen?").click()
    await field(page, "Antwort").fill("Ja: die Mustererklärung der Bundesfachstelle.")
    await field(page, "Schlagwörter").fill("barrierefreiheit")
    await page.get_by_role("button", name="Veröffentlichen und Fragende benachrichtigen").click()
    await expect(page.get_by_role("status")).to_contain_text(f"Gruppe #{group.id} ist mit")
    await expect(page.get_by_text("Keine offenen Fragen.")).to_be_visible()

    [(to, reply)] = await running.delivered()
    assert to == ANNA
    assert "die Mustererklärung der Bundesfachstelle" in reply.text
    actions = [record.action for record in await running.lotse.audit_log.records(limit=5)]
    assert "queue.answer" in actions and "entry.create" in actions


async def test_linking_a_group_adds_its_questions_and_notifies(browser: BrowserContext, running: Running) -> None:
    await running.say(ANNA, "Welche Förderprogramme bezahlen Tablets für Schulen?")
    [group] = await running.lotse.curation.queue.open_groups()
    page = await signed_in_page(browser, running)
    await page.goto(f"{running.url}/queue/{group.id}")
    await field(page, "Kennung des Eintrags").fill("foerdermittel-hardware")
    await page.get_by_role("button", name="Verknüpfen und Fragende benachrichtigen").click()
    await expect(page.get_by_role("status")).to_contain_text("verknüpft")
    entry = await running.lotse.knowledge_base.get("foerdermittel-hardware")
    assert entry is not None and "Welche Förderprogramme bezahlen Tablets für Schulen?" in entry.alternatives
    [(to, _reply)] = await running.delivered()
    assert to == ANNA


async def test_dismissing_a_group_needs_a_reason_and_tells_nobody(browser: BrowserContext,
                                                                  running: Running) -> None:
    await running.say(ANNA, "Wie spät ist es auf dem Mars?")
    [group] = await running.lotse.curation.queue.open_groups()
    page = await signed_in_page(browser, running)
    await page.goto(f"{running.url}/queue/{group.id}")
    await field(page, "Grund (bleibt im Protokoll)").fill("nicht unser Thema")
    await page.get_by_role("button", name="Verwerfen").click()
    await expect(page.get_by_role("status")).to_have_text(f"Gruppe #{group.id} ist verworfen.")
    assert await running.delivered() == []


async def test_reverting_makes_an_old_version_current_again(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/kb/zwei-faktor")
    original = await field(page, "Antwort").input_value()
    await field(page, "Antwort").fill("Eine falsche Antwort.")
    await page.get_by_role("button", name="Speichern", exact=True).click()
    await page.get_by_role("link", name="Versionen und Änderungen").click()
    version_2 = page.get_by_role("region", name=re.compile("^Version 2"))
    await expect(version_2.locator("ins")).to_have_text("Eine falsche Antwort.")
    await page.get_by_role("button", name="Version 1 wiederherstellen").click()
    await expect(page.get_by_role("status")).to_have_text("Version 1 ist wieder aktuell (als neue Version).")
    await expect(page.get_by_role("heading", name=re.compile("^Version 3 .* aktuell$"))).to_be_visible()

    entry = await running.lotse.knowledge_base.get("zwei-faktor")
    assert entry is not None and entry.answer == original
    [record] = await running.lotse.audit_log.records(subject="entry:zwei-faktor", limit=1)
    assert (record.actor, record.action) == (MONA, "entry.revert")


async def test_four_eyes_a_draft_is_published_by_a_second_moderator(browser: BrowserContext, tmp_path: Path,
                                                                     clock: FakeClock) -> None:
    from tests.web.conftest import ADMIN, start_console

    lotse, console = await start_console(f"sqlite+aiosqlite:///{tmp_path / 'four.db'}", clock,
                                         moderation={"four_eyes": True})
    try:
        from bot.messages import PersonId

        await lotse.roles.grant(PersonId(ADMIN), PersonId(MONA))
        await lotse.roles.grant(PersonId(ADMIN), PersonId(OTTO))
        running = Running(lotse, console, clock)
        mona = await signed_in_page(browser, running, MONA)
        await mona.get_by_role("link", name="Neuer Eintrag").click()
        await field(mona, "Frage").fill("Wer hilft beim Datenschutz?")
        await field(mona, "Antwort").fill("Der oder die Datenschutzbeauftragte Ihrer Organisation.")
        await expect(mona.get_by_role("button", name="Speichern und veröffentlichen")).to_have_count(0)
        await mona.get_by_role("button", name="Als Entwurf speichern").click()
        await expect(mona.get_by_role("status")).to_contain_text("als Entwurf gespeichert")
        await mona.get_by_role("button", name="Veröffentlichen").click()
        await expect(mona.get_by_role("status")).to_contain_text("Vier-Augen-Prinzip")
        entry_url = mona.url.split("?")[0]
        await browser.clear_cookies()

        otto = await signed_in_page(browser, running, OTTO)
        await otto.goto(entry_url)
        await otto.get_by_role("button", name="Veröffentlichen").click()
        await expect(otto.get_by_role("status")).to_contain_text("ist veröffentlicht")
    finally:
        await console.stop()
        await lotse.close()


async def test_a_change_without_the_csrf_token_is_refused(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/kb/zwei-faktor")
    await field(page, "Antwort").fill("Geändert ohne Token.")
    await page.locator("form.editor input[name=csrf]").evaluate("input => input.remove()")
    await page.get_by_role("button", name="Speichern", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Änderung abgelehnt")

    entry = await running.lotse.knowledge_base.stored("zwei-faktor")
    assert entry is not None and entry.version == 1


async def test_a_change_with_a_forged_csrf_token_is_refused(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/kb/zwei-faktor")
    async with page.expect_navigation() as navigation:
        await page.evaluate("""() => {
            const form = document.createElement('form');
            form.method = 'post';
            form.action = '/kb/zwei-faktor/delete';
            form.innerHTML = '<input type="hidden" name="csrf" value="forged">';
            document.body.append(form);
            form.submit();
        }""")
    response = await navigation.value
    assert response is not None and response.status == 403
    assert await running.lotse.knowledge_base.get("zwei-faktor") is not None
