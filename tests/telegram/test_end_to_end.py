"""Lotse in Telegram through the real core: composition root, SQLite, the starter knowledge base."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.telegram.platform import TelegramPlatform
from adapters.telegram.rendering import to_html
from bot.composition import Lotse, assemble
from bot.texts import CORE
from tests.support.core import settings_of
from tests.support.telegram_api import ANNA, JOHN, FakeBotApi, running_platform, settings_for
from tests.telegram.conftest import FAST


@pytest.fixture
async def lotse_core(tmp_path: Path) -> AsyncIterator[Lotse]:
    lotse = await assemble(settings_of(database={"url": f"sqlite+aiosqlite:///{tmp_path}/lotse.db"},
                                       privacy={"key_file": str(tmp_path / "pseudonym.key")},
                                       throttle={"enabled": False}))
    try:
        yield lotse
    finally:
        await lotse.close()


@pytest.fixture
async def real_lotse(api: FakeBotApi, lotse_core: Lotse) -> AsyncIterator[TelegramPlatform]:
    state = lotse_core.platform_state("telegram")
    async with running_platform(settings_for(api), state, lotse_core.conversation, backoff=FAST) as platform:
        await api.wait_for("setMyCommands", count=3)
        yield platform


async def test_start_and_help_in_german_and_english(api: FakeBotApi, real_lotse: TelegramPlatform) -> None:
    await api.user_says("/start", user=ANNA)
    await api.wait_for("sendMessage", count=1)
    await api.user_says("/start", user=JOHN)
    await api.wait_for("sendMessage", count=2)
    await api.user_says("/help", user=JOHN)
    sent = await api.wait_for("sendMessage", count=3)
    assert sent[0].params["text"].startswith("Hallo, ich bin <b>Lotse</b>.")
    assert sent[1].params["text"].startswith("Hello, I am <b>Lotse</b>.")
    assert sent[2].params["text"].startswith("Send me your question")
    commands = {c.params.get("language_code"): c.params["commands"] for c in api.called("setMyCommands")}
    assert [c["command"] for c in commands["de"]][:2] == ["start", "help"]


async def test_a_question_from_the_starter_knowledge_base_is_answered_with_feedback_buttons(
    api: FakeBotApi, real_lotse: TelegramPlatform, lotse_core: Lotse
) -> None:
    await api.user_says("Welchen Passwortmanager sollen wir einsetzen?")
    [answer] = await api.wait_for("sendMessage")
    assert answer.params["text"].startswith("<b>Welchen Passwortmanager sollen wir einsetzen?</b>")
    [feedback] = answer.params["reply_markup"]["inline_keyboard"]
    assert [button["text"] for button in feedback] == ["👍", "👎"]
    tap = await api.user_taps(feedback[0]["callback_data"], answer.result)
    await api.wait_for("answerCallbackQuery")
    await api.wait_handled(tap)
    assert list((await lotse_core.faq.ratings()).values()) == [(1, 0)]


async def test_did_you_mean_tap_edits_the_prompt_into_the_answer(api: FakeBotApi, real_lotse: TelegramPlatform) -> None:
    await api.user_says("Förderung")
    [prompt] = await api.wait_for("sendMessage")
    rows = prompt.params["reply_markup"]["inline_keyboard"]
    assert 2 <= len(rows) <= 4 and all(len(row) == 1 for row in rows)
    await api.user_taps(rows[0][0]["callback_data"], prompt.result)
    [edit] = await api.wait_for("editMessageText")
    assert edit.params["message_id"] == prompt.result["message_id"]
    assert "Förderprogramme" in edit.params["text"]
    assert len(api.called("answerCallbackQuery")) == 1


async def test_none_of_these_and_a_stale_tap_get_answers(api: FakeBotApi, real_lotse: TelegramPlatform) -> None:
    await api.user_says("Förderung")
    [prompt] = await api.wait_for("sendMessage")
    none_of_these = prompt.params["reply_markup"]["inline_keyboard"][-1][0]["callback_data"]
    await api.user_taps(none_of_these, prompt.result)
    await api.wait_for("answerCallbackQuery")
    await api.user_taps("faq:p:999999:0", prompt.result)
    await api.wait_for("answerCallbackQuery", count=2)
    last = await api.user_says("/help")
    await api.wait_handled(last)
    assert all(call.status == 200 for call in api.calls if call.method != "getUpdates")
    replies = len(api.sent()) + len(api.called("editMessageText"))
    assert replies >= 4
    [noted] = api.called("editMessageText")
    assert noted.params["text"] == to_html(CORE.say("noted", "de"))
    texts = [call.params["text"] for call in api.sent()]
    assert to_html(CORE.say("choice-expired", "de")) in texts
    assert texts[-1].startswith("Schreiben Sie mir Ihre Frage")
