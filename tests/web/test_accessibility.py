"""Every page of the console, in German and English, has no WCAG 2.2 AA violation that axe-core finds,
and is photographed into tests/web/screenshots/ (git-ignored) for people to look at."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from playwright.async_api import BrowserContext, Page

from bot.features.digest.events import EventDraft
from bot.features.digest.resources import ResourceDraft
from bot.features.kompass.model import Offer, Provider
from bot.messages import PersonId
from tests.support.browser import accessibility_violations, assert_accessible, screenshot
from tests.support.core import message_from
from tests.web.conftest import ADMIN, ANNA, Running, signed_in_page

LANGUAGE_HINTS = {"de": "de-DE", "en": "en-GB"}


async def content(running: Running) -> dict[str, str]:
    """Something on every page: an open group, ratings, a resource, an event, two versions of an entry."""
    lotse = running.lotse
    await running.say(ANNA, "Wie spät ist es auf dem Mars?")
    [answer] = await lotse.conversation.handle(message_from(ANNA, "Wie mache ich ein PDF barrierefrei?"))
    await running.say(ANNA, action=answer.feedback[1].action)
    resource = await lotse.digest.resources.add(ResourceDraft("Leitfaden barrierefreie PDF", "https://example.org/pdf",
                                                              "Schritt für Schritt", ("barrierefreiheit",)), ADMIN)
    event = await lotse.digest.events.add(EventDraft("Runder Tisch Barrierefreiheit",
                                                     running.clock() + timedelta(days=3), tags=("barrierefreiheit",)),
                                          ADMIN)
    entry = await lotse.knowledge_base.get("zwei-faktor")
    assert entry is not None
    await lotse.knowledge_base.save(replace(entry, answer=entry.answer + "\n\n- Ein Punkt"), by=ADMIN)
    group = (await lotse.curation.queue.open_groups())[0]
    await lotse.kompass.directory.catalogue.save(Provider("alte-stelle", "Alte Beratungsstelle", "advice-centre",
                                                          date(2020, 1, 1), source="https://example.org"), ADMIN)
    await lotse.kompass.directory.catalogue.save(Offer("sprechstunde", "alte-stelle", "advice", "Sprechstunde",
                                                       date(2026, 11, 1), source="https://example.org"), ADMIN)
    await lotse.kompass.directory.catalogue.save(Provider("alte-stelle", "Beratungsstelle", "advice-centre",
                                                          date(2020, 1, 1), source="https://example.org"), ADMIN)
    dimension = (await lotse.check.catalogues.current()).dimensions[0]
    return {"resource": str(resource.id), "event": str(event.id), "group": str(group.id), "dimension": dimension.id,
            "measure": dimension.measures[0].id, "statement": dimension.statements[0].id}


SIGNED_IN_PAGES = [
    ("kb", "/kb"),
    ("kb-search", "/kb?q=PDF+barrierefrei&test=Wie+mache+ich+ein+PDF+barrierefrei%3F"),
    ("kb-filtered", "/kb?review=on&translation=on&order=downvotes"),
    ("kb-new", "/kb/new"),
    ("kb-entry", "/kb/zwei-faktor?test=Zwei-Faktor-Anmeldung+einrichten"),
    ("kb-history", "/kb/zwei-faktor/history"),
    ("queue", "/queue"),
    ("queue-group", "/queue/{group}"),
    ("stats", "/stats"),
    ("resources", "/resources"),
    ("resource", "/resources/{resource}"),
    ("events", "/events"),
    ("event", "/events/{event}"),
    ("digests", "/digests?member=console:anna"),
    ("audit", "/audit"),
    ("operators", "/operators"),
    ("kompass", "/kompass"),
    ("kompass-stale", "/kompass?stale=on&kind=provider"),
    ("kompass-provider", "/kompass/provider/alte-stelle"),
    ("kompass-offer", "/kompass/offer/sprechstunde"),
    ("kompass-new", "/kompass/new?kind=offer"),
    ("kompass-history", "/kompass/provider/alte-stelle/history"),
    ("check-catalogue", "/check-catalogue"),
    ("check-measure", "/check-catalogue/{dimension}/measures/{measure}"),
    ("check-measure-new", "/check-catalogue/{dimension}/measures/new"),
    ("check-statement", "/check-catalogue/{dimension}/statements/{statement}"),
    ("not-found", "/kb/no-such-entry"),
]


async def check(page: Page, name: str) -> None:
    await assert_accessible(page)
    await screenshot(page, name)


@pytest.mark.parametrize("language", ["de", "en"])
async def test_every_page_is_accessible(browser: BrowserContext, running: Running, language: str) -> None:
    await running.lotse.roles.grant(PersonId(ADMIN), PersonId("console:root"))
    ids = await content(running)
    hint = LANGUAGE_HINTS[language]
    visitor = await browser.new_page()
    await visitor.set_extra_http_headers({"Accept-Language": hint})
    await visitor.goto(running.url + "/")
    await check(visitor, f"welcome-{language}")
    await visitor.goto(await running.link_for(ADMIN, language_hint=language))
    await check(visitor, f"signin-{language}")
    expired = await running.link_for(ADMIN, language_hint=language)
    running.clock.advance(minutes=11)
    await visitor.goto(expired)
    await visitor.locator("form button").click()
    await check(visitor, f"signin-refused-{language}")

    page = await signed_in_page(browser, running, ADMIN, language_hint=language)
    for name, path in SIGNED_IN_PAGES:
        await page.goto(running.url + path.format(**ids))
        await check(page, f"{name}-{language}")
    await page.goto(running.url + "/kb/new")
    await page.locator("form.editor button[value=draft]").click()
    await check(page, f"kb-new-problems-{language}")
    await page.goto(running.url + "/kompass/new?kind=provider")
    await page.locator("form.editor button").click()
    await check(page, f"kompass-problems-{language}")
    await page.goto(running.url + "/check-catalogue/{dimension}/measures/new".format(**ids))
    await page.locator("form.editor button").click()
    await check(page, f"check-measure-problems-{language}")
    await page.goto(running.url + "/kb/zwei-faktor")
    await page.locator("form.editor button[value=preview]").click()
    await check(page, f"kb-preview-{language}")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.className") == "skip"


async def test_the_check_finds_what_it_is_for(browser: BrowserContext) -> None:
    """The accessibility check is not vacuous: a field without a label and faint text are reported."""
    page = await browser.new_page()
    await page.set_content('<html lang="de"><head><title>x</title></head><body><main><h1>x</h1>'
                           '<input name="q"><p style="color:#bbb">leise</p></main></body></html>')
    found = {violation["id"] for violation in await accessibility_violations(page)}
    assert {"label", "color-contrast"} <= found
