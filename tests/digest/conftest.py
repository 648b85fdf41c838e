"""Fixtures for the digest tests: a Lotse with a digest room and a moderator, and the feed server."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.composition import Lotse, assemble
from tests.support.core import FakeClock, sample_settings
from tests.support.feeds import feed_server

__all__ = ["digest_lotse", "feed_server", "settings_for"]

ROOM = "console:room"
MODERATOR = "console:mod"
MODERATOR_ROOM = "console:moderators"


def settings_for(database_url: str, **digest: object) -> object:
    return sample_settings(database_url, admins=[MODERATOR], moderation={"rooms": [MODERATOR_ROOM]},
                           digest={"rooms": [{"chat": ROOM}], **digest})


@pytest.fixture
def clock() -> FakeClock:
    """Sunday 22 November 2026, 20:00 in Berlin: the week's digest is due tomorrow at 09:00."""
    return FakeClock(datetime(2026, 11, 22, 19, 0, tzinfo=UTC))


@pytest.fixture
async def digest_lotse(database_url: str, clock: FakeClock) -> AsyncIterator[Lotse]:
    lotse = await assemble(settings_for(database_url), clock=clock)  # type: ignore[arg-type]
    yield lotse
    await lotse.close()
