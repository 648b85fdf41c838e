"""Fixtures for the assembled core: a Lotse on a real database with a small, known knowledge base."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.composition import Lotse, assemble
from bot.config import Settings
from bot.messages import Chat, ChatId, IncomingMessage, PersonId, Reply, Sender
from knowledge.files import read_files

SAMPLE_KB = Path(__file__).parent / "sample_kb"


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


TEST_KEY = "5e" * 32
"""The pseudonymisation key of test installations, so no test writes a key file."""


def settings_of(**sections: Any) -> Settings:
    """Settings from sections as a TOML file gives them (plain tables), merged with `LOTSE_…`
    variables as `lotse run` merges them; pydantic validates the tables, so they are typed `Any`."""
    return Settings(**sections)


def sample_settings(database_url: str, **overrides: Any) -> Settings:
    overrides.setdefault("privacy", {"key": TEST_KEY})
    overrides.setdefault("throttle", {"enabled": False})  # scripted members type faster than people
    overrides.setdefault("kompass", {"load_starter": False})
    return settings_of(database={"url": database_url}, knowledge={"load_starter": False}, **overrides)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def lotse(database_url: str, clock: FakeClock) -> AsyncIterator[Lotse]:
    """Lotse with the sample knowledge base from tests/support/sample_kb, on SQLite and PostgreSQL."""
    core = await assemble(sample_settings(database_url), clock=clock)
    await core.knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
    yield core
    await core.close()


def message_from(
    person: str = "console:anna", text: str = "", action: str | None = None, language_hint: str | None = None,
    chat: str | None = None,
) -> IncomingMessage:
    """A direct message from `person`, as an adapter would hand it to the core."""
    return IncomingMessage(
        Sender(PersonId(person), display_name=person, language_hint=language_hint),
        Chat(ChatId(chat or person), is_direct=True),
        text=text,
        action=action,
        message_id="m1",
    )




def unbound(action: str) -> str:
    """An offered action without the tag that binds it to its person (see bot.bindings)."""
    return action.rpartition("~")[0] or action


async def eventually(probe: Callable[[], object], what: str, within: float = 20) -> None:
    """Wait until `probe()` is true, for what other tasks do; fails after `within` seconds."""
    try:
        async with asyncio.timeout(within):
            while not probe():  # noqa: ASYNC110 - the state belongs to tasks that signal nothing
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"no {what} within {within} s") from None


def mydata_document(replies: Sequence[Reply]) -> dict[str, Any]:
    """The JSON document: the attached file, or put together from the records in the replies' code blocks."""
    if replies and replies[0].attachment is not None:
        parsed: dict[str, Any] = json.loads(replies[0].attachment.data)
        return parsed
    whole: dict[str, Any] = {}
    for reply in replies:
        _merge(whole, json.loads(reply.text.split("```json\n", 1)[1].rsplit("\n```", 1)[0]))
    return whole


def _merge(whole: dict[str, Any], part: dict[str, Any]) -> None:
    for key, value in part.items():
        if isinstance(value, dict) and isinstance(whole.get(key), dict):
            _merge(whole[key], value)
        elif isinstance(value, list) and isinstance(whole.get(key), list):
            whole[key].extend(value)
        else:
            whole[key] = value
