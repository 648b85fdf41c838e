"""A Lotse with an admin and two moderators, on SQLite and PostgreSQL, and a way to talk to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from bot.composition import Lotse, assemble
from bot.messages import PersonId, Reply
from bot.outbox import OutboxWorker
from knowledge.files import read_files
from tests.support.core import SAMPLE_KB, FakeClock, message_from, sample_settings
from tests.support.recording import RecordingPlatform

ADMIN = "console:admin"
MONA = "console:mona"
"""A moderator."""
OTTO = "console:otto"
"""Another moderator."""
ANNA = "console:anna"
"""A member."""

Start = Callable[..., Awaitable[Lotse]]


@pytest.fixture
async def start(database_url: str, clock: FakeClock) -> AsyncIterator[Start]:
    """Assembles Lotse (again, for a restart) on the same database; the first start imports the sample
    knowledge base and names Mona and Otto moderators."""
    started: list[Lotse] = []

    async def starting(**moderation: Any) -> Lotse:
        settings = sample_settings(database_url, admins=[ADMIN], moderation=moderation)
        lotse = await assemble(settings, clock=clock)
        if not started:
            await lotse.knowledge_base.import_files(read_files(SAMPLE_KB), by="test")
            await lotse.roles.grant(PersonId(ADMIN), PersonId(MONA))
            await lotse.roles.grant(PersonId(ADMIN), PersonId(OTTO))
        started.append(lotse)
        return lotse

    yield starting
    for lotse in started:
        await lotse.close()


@pytest.fixture
async def curated(start: Start) -> Lotse:
    return await start()


async def say(lotse: Lotse, person: str, text: str = "", action: str | None = None,
              chat: str | None = None) -> list[Reply]:
    """What Lotse answers `person` (German unless the text says otherwise)."""
    return list(await lotse.conversation.handle(message_from(person, text, action, chat=chat)))


async def text_of(lotse: Lotse, person: str, text: str = "", action: str | None = None,
                  chat: str | None = None) -> str:
    """All replies' texts as one string, for checking what was said."""
    return "\n".join(reply.text for reply in await say(lotse, person, text, action, chat))


async def delivered(lotse: Lotse) -> list[tuple[str, Reply]]:
    """What the outbox sends now, through a recording console platform."""
    platform = RecordingPlatform("console")
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    return platform.sent
