"""Resources, events and digest previews in the console, in a real browser; changes audited as in chat."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.async_api import BrowserContext, expect

from bot.features.digest.resources import ResourceDraft
from tests.web.conftest import ADMIN, ANNA, MONA, Running, signed_in_page


def required(label: str) -> re.Pattern[str]:
    return re.compile(f"^{re.escape(label)}( \\(Pflichtfeld\\))?$")


async def test_a_resource_is_added_edited_and_withdrawn(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.get_by_role("link", name="Materialien").click()
    await page.get_by_role("textbox", name=required("Titel")).fill("Leitfaden Open Data")
    await page.get_by_role("textbox", name=required("Link")).fill("https://example.org/open-data")
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("status")).to_contain_text("ist hinzugefügt")

    await page.get_by_role("link", name="Leitfaden Open Data").click()
    await page.get_by_role("textbox", name=required("Titel")).fill("Leitfaden Offene Daten")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_role("status")).to_contain_text("ist gespeichert")
    [resource] = await running.lotse.digest.resources.latest()
    assert resource.title == "Leitfaden Offene Daten" and resource.version == 2

    await page.get_by_role("button", name="Zurückziehen").click()
    await expect(page.get_by_role("status")).to_have_text("„Leitfaden Offene Daten“ ist zurückgezogen.")
    actions = [record.action for record in await running.lotse.audit_log.records(subject=f"resource:{resource.id}")]
    assert actions == ["resource.withdraw", "resource.edit", "resource.add"]
    assert {record.actor for record in await running.lotse.audit_log.records(subject=f"resource:{resource.id}")} \
        == {MONA}


async def test_a_resource_without_a_web_link_is_refused_and_kept(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/resources")
    await page.get_by_role("textbox", name=required("Titel")).fill("Ohne Link")
    await page.get_by_role("textbox", name=required("Link")).evaluate("input => input.type = 'text'")
    await page.get_by_role("textbox", name=required("Link")).fill("example.org")
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("alert")).to_contain_text("muss mit https:// oder http:// beginnen")
    await expect(page.get_by_role("textbox", name=required("Titel"))).to_have_value("Ohne Link")
    assert await running.lotse.digest.resources.latest() == []


async def test_an_event_takes_dates_as_the_chat_does(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/events")
    await page.get_by_role("textbox", name=required("Titel")).fill("Runder Tisch KI")
    await page.get_by_role("textbox", name=required("Beginn")).fill("morgen 10 Uhr")
    await page.get_by_role("button", name="Hinzufügen").click()
    await expect(page.get_by_role("status")).to_contain_text("ist hinzugefügt")
    [event] = await running.lotse.digest.events.all()
    tomorrow = running.clock() + timedelta(days=1)
    assert event.starts_at.date() == tomorrow.date() and not event.all_day
    await expect(page.get_by_role("link", name="Runder Tisch KI")).to_be_visible()


async def test_the_digest_preview_shows_what_a_member_would_get(browser: BrowserContext, running: Running) -> None:
    await running.say(ANNA, "/digest weekly")
    await running.lotse.digest.resources.add(ResourceDraft("Handreichung E-Akte", "https://example.org/e-akte"), ADMIN)
    running.clock.advance(days=7)
    page = await signed_in_page(browser, running)
    await page.goto(running.url + "/digests")
    await page.get_by_role("textbox", name="Kennung des Mitglieds").fill(ANNA)
    await page.get_by_role("button", name="Vorschau").click()
    preview = page.locator(".answer-preview")
    await expect(preview.get_by_role("link", name="Handreichung E-Akte")).to_have_attribute(
        "href", "https://example.org/e-akte")
