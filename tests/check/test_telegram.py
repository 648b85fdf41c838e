"""The whole check in Telegram through the real core: buttons edited in place, the chart as a photo, the
export as a document."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.retry import Backoff
from adapters.telegram.platform import TelegramPlatform
from bot.composition import Lotse, assemble
from tests.support.core import sample_settings, unbound
from tests.support.telegram_api import ANNA, FakeBotApi, running_api, running_platform, settings_for

FAST = Backoff(first=0.05, cap=0.2)


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with running_api() as server:
        yield server


@pytest.fixture
async def core(tmp_path: Path) -> AsyncIterator[Lotse]:
    lotse = await assemble(sample_settings(f"sqlite+aiosqlite:///{tmp_path}/lotse.db"))
    try:
        yield lotse
    finally:
        await lotse.close()


@pytest.fixture
async def platform(api: FakeBotApi, core: Lotse) -> AsyncIterator[TelegramPlatform]:
    async with running_platform(settings_for(api), core.platform_state("telegram"), core.conversation,
                                backoff=FAST) as running:
        await api.wait_for("setMyCommands", count=3)
        yield running


def button(api: FakeBotApi, ending: str) -> str:
    """The callback data of the newest keyboard's button whose action ends with `ending`."""
    for call in reversed(api.calls):
        markup = call.params.get("reply_markup")
        if call.method in ("sendMessage", "editMessageText") and markup:
            for row in markup["inline_keyboard"]:
                for offered in row:
                    if unbound(offered["callback_data"]).endswith(ending):
                        return str(offered["callback_data"])
            break
    raise AssertionError(f"no button ending in {ending!r}")


async def test_a_pilot_completes_the_check_in_telegram(api: FakeBotApi, core: Lotse,
                                                       platform: TelegramPlatform) -> None:
    await api.user_says("/check")
    [prompt] = await api.wait_for("sendMessage")
    message: dict[str, Any] = prompt.result
    await api.user_taps(button(api, ":o:municipality"), message)
    await api.wait_for("editMessageText")
    await api.user_says("Sachsen")
    await api.wait_for("sendMessage", count=2)
    await api.user_says("1, 5")
    statement = (await api.wait_for("sendMessage", count=3))[2]
    assert "Aussage 1 von 29" in statement.params["text"]
    message, edits = statement.result, 1
    catalogue = await core.check.catalogues.current()
    keys = [f"{d.id}/{s.id}" for d, s in catalogue.statements()]
    for number, key in enumerate(keys):
        weak = key.startswith("security/")
        await api.user_taps(button(api, f":a:{number}:{'n' if weak else 'y'}"), message)
        if weak:
            edits += 1
            await api.wait_for("editMessageText", count=edits)
            await api.user_taps(button(api, f":i:{number}:3"), message)
        if number < len(keys) - 1:
            edits += 1
            await api.wait_for("editMessageText", count=edits)
    [photo] = await api.wait_for("sendPhoto")
    assert api.photos[0][1].startswith(b"\x89PNG")
    texts = [call.params["text"] for call in api.called("sendMessage")]
    assert any("<code>░░░░░░░░░░ 0 %</code> IT-Sicherheit und Datenschutz" in text for text in texts)
    await api.user_says("Alles muss mit dem vorhandenen Mailsystem gehen")
    await api.wait_for("sendMessage", count=len(texts) + 2)
    await api.user_says("/check export pdf")
    await api.wait_for("sendDocument")
    [(_, filename, content)] = api.documents
    assert filename == "digitalisierungscheck.pdf" and content.startswith(b"%PDF-")
    assert photo.params["chat_id"] in (ANNA["id"], str(ANNA["id"]))
