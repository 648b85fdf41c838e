"""The Kompass directory and the check's catalogue, curated in the console in a real browser; every change
is a version with an audit record, as in chat and on the command line."""

from __future__ import annotations

import re
from datetime import date

from playwright.async_api import BrowserContext, Page, expect

from bot.features.check import load_catalogue
from bot.features.kompass.model import Offer, Provider
from tests.web.conftest import MONA, Running, signed_in_page

PROVIDER = """---
provider: zukunftszentrum-test
name: Zukunftszentrum Teststadt
kind: advice-centre
website: https://example.org/zukunftszentrum
area: [DE]
source: https://example.org/zukunftszentrum/impressum
checked: 2026-11-30
---
Berät kleine Unternehmen zur Digitalisierung.
"""
OFFER = """---
offer: ki-sprechstunde
provider: zukunftszentrum-test
kind: advice
title: KI-Sprechstunde für kleine Betriebe
topics: [funding]
link: https://example.org/ki-sprechstunde
source: https://example.org/ki-sprechstunde
checked: 2026-11-30
---
"""


async def add(page: Page, running: Running, kind: str, text: str) -> None:
    await page.goto(running.url + f"/kompass/new?kind={kind}")
    box = page.get_by_role("textbox", name=re.compile("^Eintrag als Datei-Text"))
    await box.fill(text)
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("status")).to_contain_text("ist angelegt")


async def test_a_provider_and_its_offer_are_added_and_members_find_the_offer(
        browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.get_by_role("link", name="Kompass").click()
    await page.get_by_role("link", name="Neuer Anbieter").click()
    await page.get_by_role("textbox", name=re.compile("^Eintrag als Datei-Text")).fill(PROVIDER)
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("status")).to_have_text("zukunftszentrum-test ist angelegt.")
    await add(page, running, "offer", OFFER)

    found = await running.lotse.kompass.directory.catalogue.get("offer", "ki-sprechstunde")
    assert found is not None and isinstance(found.item, Offer)
    assert found.item.title == "KI-Sprechstunde für kleine Betriebe"
    answer = await running.say("console:anna", "/kompass funding")
    assert "KI-Sprechstunde für kleine Betriebe" in answer
    [record] = await running.lotse.audit_log.records(subject="offer:ki-sprechstunde")
    assert record.actor == MONA


async def test_an_edit_is_a_new_version_that_can_be_reverted(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await add(page, running, "provider", PROVIDER)
    await page.get_by_role("textbox", name=re.compile("^Eintrag als Datei-Text")).fill(
        PROVIDER.replace("Zukunftszentrum Teststadt", "Zukunftszentrum Musterstadt"))
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_role("status")).to_have_text("zukunftszentrum-test ist gespeichert (Version 2).")

    await page.get_by_role("link", name="Versionen und Änderungen").click()
    await expect(page.locator("ins")).to_contain_text(["name: Zukunftszentrum Musterstadt"])
    await page.get_by_role("button", name="Version 1 wiederherstellen").click()
    stored = await running.lotse.kompass.directory.catalogue.get("provider", "zukunftszentrum-test")
    assert stored is not None and stored.version == 3 and isinstance(stored.item, Provider)
    assert stored.item.name == "Zukunftszentrum Teststadt"


async def test_a_malformed_text_names_line_and_reason_and_keeps_what_was_typed(
        browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/kompass/new?kind=provider")
    broken = PROVIDER.replace("kind: advice-centre", "kind: fan-club")
    await page.get_by_role("textbox", name=re.compile("^Eintrag als Datei-Text")).fill(broken)
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("alert")).to_contain_text("line 4: kind: must be one of advice-centre")
    await expect(page.get_by_role("textbox", name=re.compile("^Eintrag als Datei-Text"))).to_have_value(broken)
    assert await running.lotse.kompass.directory.catalogue.get("provider", "zukunftszentrum-test") is None


async def test_an_offer_of_an_unknown_provider_is_refused(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/kompass/new?kind=offer")
    await page.get_by_role("textbox", name=re.compile("^Eintrag als Datei-Text")).fill(OFFER)
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("alert")).to_contain_text("provider 'zukunftszentrum-test' is not known")
    assert await running.lotse.kompass.directory.catalogue.get("offer", "ki-sprechstunde") is None


async def test_a_stale_entry_is_marked_and_checked_today_with_one_click(
        browser: BrowserContext, running: Running) -> None:
    catalogue = running.lotse.kompass.directory.catalogue
    await catalogue.save(Provider("alte-stelle", "Alte Beratungsstelle", "advice-centre", date(2020, 1, 1),
                                  source="https://example.org"), by="test")
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/kompass?stale=on")
    row = page.get_by_role("row").filter(has_text="Alte Beratungsstelle")
    await expect(row).to_contain_text("prüfen")
    await row.get_by_role("link").first.click()
    await page.get_by_role("button", name="Heute an der Quelle geprüft").click()
    await expect(page.get_by_role("status")).to_contain_text("als heute geprüft vermerkt")
    stored = await catalogue.get("provider", "alte-stelle")
    assert stored is not None and stored.item.checked == running.lotse.kompass.directory.today()


async def test_withdrawing_hides_an_offer_from_members_until_it_is_restored(
        browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await add(page, running, "provider", PROVIDER)
    await add(page, running, "offer", OFFER)
    await page.get_by_role("button", name="Zurückziehen").click()
    await expect(page.get_by_role("status")).to_have_text("ki-sprechstunde ist zurückgezogen.")
    assert "KI-Sprechstunde" not in await running.say("console:anna", "/kompass funding")
    await page.get_by_role("button", name="Wiederherstellen").click()
    assert "KI-Sprechstunde" in await running.say("console:anna", "/kompass funding")


async def test_a_measure_edited_in_the_console_is_what_new_checks_propose(
        browser: BrowserContext, running: Running) -> None:
    catalogues = running.lotse.check.catalogues
    before = await catalogues.current()
    dimension = before.dimensions[0]
    measure = dimension.measures[0]
    page = await signed_in_page(browser, running)
    await page.get_by_role("link", name="Check-Katalog").click()
    await page.get_by_role("link", name=measure.title["de"], exact=True).click()
    await page.get_by_role("textbox", name=re.compile(r"^Titel \(Deutsch\)")).fill("Zwei-Faktor-Anmeldung überall")
    await page.get_by_label("Aufwand").select_option(label="hoch")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_role("status")).to_contain_text("der Katalog hat eine neue Version")

    after = await catalogues.current()
    changed = after.measure(measure.id)
    assert after.version != before.version and changed is not None
    assert changed.title["de"] == "Zwei-Faktor-Anmeldung überall" and changed.effort == 3
    assert changed.title["en"] == measure.title["en"]
    assert (await catalogues.version(before.version)).measure(measure.id) == measure
    [record] = await running.lotse.audit_log.records(subject=f"check-catalogue:{after.version}")
    assert record.actor == MONA and record.action == "check-catalogue-edit"


async def test_a_measure_needs_a_kind_of_organisation_it_fits(browser: BrowserContext, running: Running) -> None:
    dimension = (await running.lotse.check.catalogues.current()).dimensions[0]
    page = await signed_in_page(browser, running)
    await page.goto(running.url + f"/check-catalogue/{dimension.id}/measures/new")
    await page.get_by_role("textbox", name=re.compile("^Kennung")).fill("eigene-massnahme")
    await page.get_by_role("textbox", name=re.compile(r"^Titel \(Deutsch\)")).fill("Eigene Maßnahme")
    await page.get_by_role("textbox", name=re.compile(r"^Titel \(Englisch\)")).fill("Own measure")
    await page.get_by_role("textbox", name=re.compile(r"^Quelle \(Deutsch\)")).fill("Eigene Erfahrung")
    await page.get_by_role("textbox", name=re.compile(r"^Quelle \(Englisch\)")).fill("Own experience")
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("alert")).to_contain_text("mindestens eine Art von Organisation")
    await page.get_by_role("checkbox", name="Kommunalverwaltung").check()
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("status")).to_contain_text("eigene-massnahme ist gespeichert")
    added = (await running.lotse.check.catalogues.current()).measure("eigene-massnahme")
    assert added is not None and added.dimension == dimension.id and added.fits == ("municipality",)


async def test_a_statement_keeps_its_id_when_its_wording_changes(browser: BrowserContext, running: Running) -> None:
    dimension = (await running.lotse.check.catalogues.current()).dimensions[0]
    statement = dimension.statements[0]
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/check-catalogue")
    await page.get_by_role("link", name=statement.text["de"], exact=True).click()
    await page.get_by_role("textbox", name=re.compile(r"^Aussage \(Deutsch\)")).fill("Neu formuliert.")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_role("status")).to_contain_text(f"Aussage {statement.id} ist gespeichert")
    changed = (await running.lotse.check.catalogues.current()).dimensions[0].statements[0]
    assert changed.id == statement.id and changed.text["de"] == "Neu formuliert."


async def test_an_earlier_version_can_be_made_current_again_and_a_restart_keeps_the_edit(
        browser: BrowserContext, running: Running) -> None:
    catalogues = running.lotse.check.catalogues
    shipped = await catalogues.current()
    dimension = shipped.dimensions[0]
    page = await signed_in_page(browser, running)
    running.clock.advance(minutes=1)
    await page.goto(running.url + f"/check-catalogue/{dimension.id}/statements/{dimension.statements[0].id}")
    await page.get_by_role("textbox", name=re.compile(r"^Aussage \(Deutsch\)")).fill("Neu formuliert.")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_role("status")).to_contain_text("der Katalog hat eine neue Version")
    edited = await catalogues.current()

    assert not await load_catalogue(catalogues), "the shipped catalogue at start must not undo the edit"
    assert (await catalogues.current()).version == edited.version

    running.clock.advance(minutes=1)
    await page.goto(running.url + "/check-catalogue")
    await page.get_by_role("button", name=f"Version {shipped.version} wieder verwenden").click()
    await expect(page.get_by_role("status")).to_have_text(f"Version {shipped.version} ist wieder aktuell.")
    assert (await catalogues.current()).version == shipped.version


async def test_a_visitor_who_is_not_signed_in_is_sent_to_the_start(browser: BrowserContext, running: Running) -> None:
    page = await browser.new_page()
    for path in ("/kompass", "/check-catalogue", "/kompass/new?kind=offer"):
        await page.goto(running.url + path)
        assert page.url == running.url + "/"
