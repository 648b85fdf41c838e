"""Fixtures: the fake Bot API server, an in-memory PlatformState, a scripted core, a running adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.retry import Backoff
from adapters.telegram.platform import TelegramPlatform
from tests.support.telegram_api import (
    FakeBotApi,
    MemoryState,
    ScriptedConversation,
    running_api,
    running_platform,
    settings_for,
)

FAST = Backoff(first=0.05, cap=0.2)


@pytest.fixture(autouse=True)
def _timedelta_periods(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta periods, so reading RetryAfter raises no deprecation warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with running_api() as server:
        yield server


@pytest.fixture
def state() -> MemoryState:
    return MemoryState()


@pytest.fixture
def conversation() -> ScriptedConversation:
    return ScriptedConversation()


@pytest.fixture
async def lotse(api: FakeBotApi, state: MemoryState, conversation: ScriptedConversation) -> AsyncIterator[
    TelegramPlatform
]:
    """The adapter polling the fake server, ready once its command menus are registered."""
    async with running_platform(settings_for(api), state, conversation, backoff=FAST) as platform:
        await api.wait_for("setMyCommands", count=3)
        yield platform
