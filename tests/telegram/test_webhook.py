"""Webhook mode: updates pushed by Telegram, each request proven by the secret token."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import pytest

from adapters.telegram.platform import TelegramPlatform
from tests.support.telegram_api import (
    ANNA,
    FakeBotApi,
    MemoryState,
    ScriptedConversation,
    private_chat,
    running_platform,
    settings_for,
)
from tests.telegram.conftest import FAST


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
async def webhook_lotse(
    api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation
) -> AsyncIterator[TelegramPlatform]:
    port = _free_port()
    webhook = {"url": f"http://127.0.0.1:{port}/telegram", "listen": "127.0.0.1", "port": port,
               "secret_token": "s3cret-token"}
    settings = settings_for(api, mode="webhook", webhook=webhook)
    async with running_platform(settings, state, conversation, backoff=FAST) as platform:
        await api.wait_for("setWebhook")
        yield platform


async def test_the_webhook_is_registered_with_its_secret_token(
    api: FakeBotApi, webhook_lotse: TelegramPlatform
) -> None:
    [registration] = api.called("setWebhook")
    assert registration.params["secret_token"] == "s3cret-token"
    assert registration.params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert api.called("getUpdates") == []


async def test_updates_with_the_secret_token_are_answered(
    api: FakeBotApi, webhook_lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    assert await api.deliver({"message": api.message("/start", ANNA, private_chat(ANNA))}) == 200
    [reply] = await api.wait_for("sendMessage")
    assert reply.params["text"] == "Willkommen bei <b>Lotse</b>!"


async def test_requests_without_the_right_secret_token_are_refused(
    api: FakeBotApi, webhook_lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    update = {"message": api.message("/start", ANNA, private_chat(ANNA))}
    assert await api.deliver(update, secret="guessed") == 403
    assert await api.deliver(update, secret="") == 403
    assert conversation.handled == []


async def test_a_redelivered_update_is_not_answered_twice(
    api: FakeBotApi, webhook_lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    update = {"message": api.message("/help", ANNA, private_chat(ANNA))}
    assert await api.deliver(update) == 200
    assert await api.deliver(update) == 200
    assert len(conversation.handled) == 1


async def test_a_poison_update_is_acknowledged_and_skipped_so_telegram_does_not_send_it_again(
    api: FakeBotApi, webhook_lotse: TelegramPlatform, conversation: ScriptedConversation,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert await api.deliver({"message": "Hallo"}) == 200
    assert await api.deliver({"message": api.message("/start", ANNA, private_chat(ANNA))}) == 200
    [reply] = await api.wait_for("sendMessage")
    assert reply.params["text"] == "Willkommen bei <b>Lotse</b>!"
    assert [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()] == [
        "Telegram: skipped webhook update 500000: `message` is a str, not an object"
    ]
