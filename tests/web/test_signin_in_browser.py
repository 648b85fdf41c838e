"""Signing in to the console in a real browser with the link Lotse gives in chat, and what is refused."""

from __future__ import annotations

import asyncio
import io
import re

from playwright.async_api import BrowserContext, expect

from adapters.console import ConsolePlatform
from bot.messages import PersonId
from tests.web.conftest import ADMIN, ANNA, LINK, MONA, Running, signed_in_page

SIGN_IN = re.compile("^(Anmelden|Sign in)$")


async def test_a_moderator_signs_in_with_the_link_from_the_console_chat(browser: BrowserContext,
                                                                        running: Running) -> None:
    written = io.StringIO()
    chat = ConsolePlatform(user="mona", reader=io.StringIO("/web\n"), writer=written)
    await chat.start(running.lotse.conversation)
    await asyncio.wait_for(chat.wait_stopped(), timeout=10)
    link = LINK.search(written.getvalue())
    assert link is not None, written.getvalue()

    page = await browser.new_page()
    await page.goto(link.group(0))
    await page.get_by_role("button", name=SIGN_IN).click()

    await expect(page).to_have_url(re.compile(r"/kb$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Wissensbasis")
    await expect(page.get_by_text("console:mona")).to_be_visible()
    [cookie] = [c for c in await browser.cookies() if c["name"] == "lotse_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"


async def test_a_link_works_only_once(browser: BrowserContext, running: Running) -> None:
    link = await running.link_for(MONA)
    first = await browser.new_page()
    await first.goto(link)
    await first.get_by_role("button", name=SIGN_IN).click()
    await expect(first).to_have_url(re.compile(r"/kb$"))
    await browser.clear_cookies()

    second = await browser.new_page()
    await second.goto(link)
    await second.get_by_role("button", name=SIGN_IN).click()
    await expect(second.get_by_role("heading", level=1)).to_have_text("Anmeldung nicht möglich")
    await expect(second.get_by_text("schon benutzt")).to_be_visible()


async def test_opening_the_link_alone_does_not_use_it_up(browser: BrowserContext, running: Running) -> None:
    """Chat apps fetch links for their previews; only the button signs in."""
    link = await running.link_for(MONA)
    preview = await browser.new_page()
    await preview.goto(link)
    await preview.goto(link)
    await preview.get_by_role("button", name=SIGN_IN).click()
    await expect(preview).to_have_url(re.compile(r"/kb$"))


async def test_a_member_gets_no_link(running: Running) -> None:
    reply = await running.say(ANNA, "/web")
    assert LINK.search(reply) is None
    assert "für Moderatorinnen und Moderatoren" in reply


async def test_a_link_of_someone_no_longer_moderating_is_refused(browser: BrowserContext, running: Running) -> None:
    link = await running.link_for(MONA)
    await running.lotse.roles.revoke(PersonId(ADMIN), PersonId(MONA))
    page = await browser.new_page()
    await page.goto(link)
    await page.get_by_role("button", name=SIGN_IN).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung nicht möglich")
    await expect(page.get_by_text("gehört zu niemandem, der moderiert")).to_be_visible()
    assert not [c for c in await browser.cookies() if c["name"] == "lotse_session"]


async def test_an_expired_link_is_refused(browser: BrowserContext, running: Running) -> None:
    link = await running.link_for(MONA)
    running.clock.advance(minutes=11)
    page = await browser.new_page()
    await page.goto(link)
    await page.get_by_role("button", name=SIGN_IN).click()
    await expect(page.get_by_text("ist abgelaufen")).to_be_visible()
    await page.goto(running.url + "/kb")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Web-Konsole für die Moderation")


async def test_the_console_speaks_the_moderators_chat_language(browser: BrowserContext, running: Running) -> None:
    await running.say(MONA, "/lang en")
    page = await signed_in_page(browser, running)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge base")
    assert await page.get_attribute("html", "lang") == "en"


async def test_signing_out_ends_the_session(browser: BrowserContext, running: Running) -> None:
    page = await signed_in_page(browser, running)
    await page.get_by_role("button", name="Abmelden").click()
    await expect(page.get_by_text("Sie sind abgemeldet.")).to_be_visible()
    await page.goto(running.url + "/kb/zwei-faktor")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Web-Konsole für die Moderation")
