"""A running web console over a real Lotse (sample knowledge base, an admin, two moderators), and how
moderators reach it: the `/web` link from the chat, then the browser."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, Page
from prometheus_client import CollectorRegistry

from adapters.web import PrometheusMetrics, RecentErrors, WebConsole
from bot.composition import Lotse, assemble
from bot.health import State
from bot.messages import PersonId, Reply
from bot.outbox import OutboxWorker
from knowledge.files import read_files
from tests.support.core import SAMPLE_KB, FakeClock, message_from, sample_settings
from tests.support.recording import RecordingPlatform

ADMIN = "console:admin"
MONA = "console:mona"
OTTO = "console:otto"
ANNA = "console:anna"
"""A member."""
LINK = re.compile(r"https?://\S+/signin/[A-Za-z0-9_-]+")


@dataclass
class Running:
    lotse: Lotse
    console: WebConsole
    clock: FakeClock

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.console.port}"

    async def say(self, person: str, text: str = "", action: str | None = None,
                  language_hint: str | None = None) -> str:
        replies = await self.lotse.conversation.handle(message_from(person, text, action, language_hint))
        return "\n".join(reply.text for reply in replies)

    async def link_for(self, person: str, language_hint: str | None = None) -> str:
        """The sign-in link Lotse answers `/web` with in `person`'s direct chat."""
        found = LINK.search(await self.say(person, "/web", language_hint=language_hint))
        assert found is not None, "no sign-in link in Lotse's reply"
        return found.group(0)

    async def delivered(self) -> list[tuple[str, Reply]]:
        """What the outbox sends now, through a recording console platform."""
        platform = RecordingPlatform("console")
        await OutboxWorker(self.lotse.outbox, {"console": platform}).deliver_due()
        return platform.sent


async def start_console(database_url: str, clock: FakeClock, **overrides: object) -> tuple[Lotse, WebConsole]:
    overrides.setdefault("web", {"enabled": True, "port": 0})
    settings = sample_settings(database_url, admins=[ADMIN], **overrides)
    metrics = PrometheusMetrics(CollectorRegistry())
    lotse = await assemble(settings, clock=clock, metrics=metrics)
    console = WebConsole(lotse, metrics, RecentErrors(), adapters=("console",))
    await console.start()
    return lotse, console


@pytest.fixture
async def running(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Running]:
    """The console on a free loopback port, over SQLite (the stores' own tests cover PostgreSQL)."""
    lotse, console = await start_console(f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}", clock)
    await lotse.knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    await lotse.roles.grant(PersonId(ADMIN), PersonId(MONA))
    await lotse.roles.grant(PersonId(ADMIN), PersonId(OTTO))
    lotse.metrics.adapter_state("console", State.RUNNING)
    try:
        yield Running(lotse, console, clock)
    finally:
        await console.stop()
        await lotse.close()


async def signed_in_page(browser: BrowserContext, running: Running, person: str = MONA,
                         language_hint: str | None = None) -> Page:
    """A page of the console, signed in as `person` with the link from `/web`."""
    page = await browser.new_page()
    await page.goto(await running.link_for(person, language_hint))
    await page.get_by_role("button", name=re.compile("^(Anmelden|Sign in)$")).click()
    await page.wait_for_url(re.compile(r"/kb$"))
    return page
