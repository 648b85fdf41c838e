"""A Lotse with a moderator and a moderators' room, on SQLite and PostgreSQL, without the starter directory."""

from collections.abc import AsyncIterator

import pytest

from bot.composition import Lotse, assemble
from tests.kompass.steps import MODERATOR, MODERATOR_ROOM
from tests.support.core import FakeClock, sample_settings


@pytest.fixture
async def lotse(database_url: str, clock: FakeClock) -> AsyncIterator[Lotse]:
    core = await assemble(sample_settings(database_url, admins=[MODERATOR], moderation={"rooms": [MODERATOR_ROOM]}),
                          clock=clock)
    yield core
    await core.close()
