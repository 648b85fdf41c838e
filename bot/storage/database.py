"""The async database: engine, sessions and migrations for SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

MIGRATIONS = Path(__file__).parent / "migrations"
_READ_ONLY = "lotse_read_only"
LOCK_TIMEOUT = 30.0
"""Seconds a transaction waits for SQLite's single writer slot, as long as SQLite's own busy timeout."""


class Database:
    """Owns the engine; hands out sessions that commit on success and roll back on error."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url, echo=echo, **_engine_options(url))
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_connect)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._readers = self.engine.execution_options(**{_READ_ONLY: True})
        self._snapshots = async_sessionmaker(self._readers, expire_on_commit=False)
        # SQLite allows one writer at a time. Queueing this process's transactions here keeps them off
        # SQLite's busy handler, which sleeps in steps of up to 100 ms while another connection writes.
        self._turns = asyncio.Lock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed when the block ends, rolled back if it raises."""
        async with self._turn(), self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only: a consistent snapshot that never waits for writers.

        On SQLite this is a deferred transaction outside the writers' queue; WAL lets it read while
        another connection writes. Writing in it is a programming error that SQLite reports as busy.
        """
        async with self._snapshots() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        if self._turns is None:
            yield
            return
        async with asyncio.timeout(LOCK_TIMEOUT):
            await self._turns.acquire()
        try:
            yield
        finally:
            self._turns.release()

    @asynccontextmanager
    async def exclusive(self, name: str) -> AsyncIterator[None]:
        """Hold an installation-wide lock named `name` across instances sharing this database.

        PostgreSQL: a session-level advisory lock on a connection of its own. SQLite: an exclusive
        lock on a file beside the database (an in-memory database has no other instance to wait for).
        """
        if not self.is_sqlite:
            key = int.from_bytes(hashlib.sha256(f"lotse:{name}".encode()).digest()[:8], "big", signed=True)
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
                await connection.commit()
                try:
                    yield
                finally:
                    await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                    await connection.commit()
            return
        path = _sqlite_file(self.url)
        if path is None:
            yield
            return
        descriptor = await asyncio.to_thread(_lock_file, path.with_name(f"{path.name}.{name}.lock"))
        try:
            yield
        finally:
            os.close(descriptor)

    async def upgrade(self) -> None:
        """Apply every pending Alembic migration."""
        async with self.engine.begin() as connection:
            await connection.run_sync(_upgrade)

    async def pending_migrations(self) -> set[str]:
        """The migration heads this database has not reached yet; empty when it is up to date.
        Raises the driver's error when the database cannot be reached."""
        async with self._readers.connect() as connection:
            current = await connection.run_sync(lambda sync: set(MigrationContext.configure(sync).get_current_heads()))
        return set(_scripts().get_heads()) - current

    async def ping(self) -> None:
        """Raise the driver's error unless the database answers a query."""
        async with self._readers.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _sqlite_file(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)


def _lock_file(path: Path) -> int:
    """Open `path` and wait for an exclusive lock on it; closing the descriptor releases it."""
    import fcntl

    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling breaks savepoints; SQLAlchemy emits BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL cannot corrupt the database; it syncs at checkpoints instead of every commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # IMMEDIATE takes the write lock up front, so concurrent writers wait instead of failing.
    # Readers begin deferred: in WAL mode they read a snapshot without taking any lock.
    read_only = connection.get_execution_options().get(_READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def _upgrade(connection: Connection) -> None:
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")
