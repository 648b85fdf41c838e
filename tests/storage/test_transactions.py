"""Transactions on both stores: writers queue without failing, readers never wait for them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.storage.database import Database
from bot.storage.platform_state import PlatformStateRow, StoredPlatformState


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    store = Database(database_url)
    await store.upgrade()
    try:
        yield store
    finally:
        await store.close()


async def test_many_concurrent_writers_all_commit(database: Database) -> None:
    state = StoredPlatformState(database, "test")
    await asyncio.wait_for(asyncio.gather(*(state.put(f"key-{n}", str(n)) for n in range(60))), 30)
    assert [await state.get(f"key-{n}") for n in range(60)] == [str(n) for n in range(60)]


async def test_a_read_does_not_wait_for_an_open_write(database: Database) -> None:
    state = StoredPlatformState(database, "test")
    await state.put("offset", "1")
    writing, read_done = asyncio.Event(), asyncio.Event()

    async def slow_writer() -> None:
        async with database.transaction() as session:
            row = await session.get(PlatformStateRow, ("test", "offset"))
            assert row is not None
            row.value = "2"
            await session.flush()
            writing.set()
            await asyncio.wait_for(read_done.wait(), 10)

    writer = asyncio.create_task(slow_writer())
    await asyncio.wait_for(writing.wait(), 10)
    assert await asyncio.wait_for(state.get("offset"), 5) == "1"
    read_done.set()
    await writer
    assert await state.get("offset") == "2"
