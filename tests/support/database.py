"""Database fixtures: every storage test runs on SQLite and on the PostgreSQL server at 127.0.0.1.

Each PostgreSQL test gets a database of its own, dropped afterwards. A missing server fails the
test run; it is never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from bot.storage.database import Database

POSTGRES_ADMIN = os.environ.get("LOTSE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of an empty database, once for SQLite and once for PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}"
        return
    async with postgres_database() as url:
        yield url


class postgres_database:
    """A fresh PostgreSQL database for one test, dropped (with its connections) when the block ends."""

    def __init__(self) -> None:
        self.name = f"lotse_test_{uuid.uuid4().hex[:12]}"

    async def __aenter__(self) -> str:
        try:
            admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
        except (OSError, asyncpg.PostgresError) as error:
            pytest.fail(f"PostgreSQL is required for the storage tests ({POSTGRES_ADMIN}): {error}")
        try:
            await admin.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await admin.close()
        base = POSTGRES_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
        return f"{base}/{self.name}"

    async def __aexit__(self, *_exc: object) -> None:
        admin = await asyncpg.connect(POSTGRES_ADMIN, timeout=10)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """A migrated database on SQLite and PostgreSQL, closed after the test."""
    database = Database(database_url)
    await database.upgrade()
    yield database
    await database.close()
