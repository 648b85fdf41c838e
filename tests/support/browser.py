"""A real browser for the console's tests: Debian's Chromium driven by Playwright, with axe-core.

Chromium comes from the system (`apt-get install chromium`, done by .ci/run), never from Playwright's
own downloads; axe-core from npm (.ci/node). Either missing fails the test run, it is never skipped.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import BrowserContext, Page, async_playwright

CHROMIUM = Path(os.environ.get("LOTSE_TEST_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "web" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
"""Without the background-networking flags Chromium keeps calling home, which this network refuses."""
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium() -> Path:
    """The system's Chromium; its absence fails the run."""
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is required for the browser tests at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[BrowserContext]:
    """A fresh headless Chromium profile; pages time out after ten seconds instead of hanging."""
    executable = chromium()
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"), executable_path=str(executable), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900}, locale="de-DE",
        )
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            await context.close()


def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is required for the browser tests at {AXE} (npm install --prefix .ci/node axe-core)")
    return AXE.read_text(encoding="utf-8")


async def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.2 AA on the page as it is now."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the console's Content-Security-Policy does not
        # restrict (a script tag would be refused, as it should be).
        await page.evaluate(axe_source() + "\n;true")
    result = await page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [{"id": violation["id"], "impact": violation["impact"], "help": violation["help"],
             "nodes": [node["html"][:200] for node in violation["nodes"][:5]]} for violation in result["violations"]]


async def assert_accessible(page: Page) -> None:
    violations = await accessibility_violations(page)
    assert violations == [], f"{page.url}: " + json.dumps(violations, ensure_ascii=False, indent=1)


async def screenshot(page: Page, name: str) -> Path:
    """A full-page picture under tests/web/screenshots/ (git-ignored), for people to look at the change."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path), full_page=True)
    return path
