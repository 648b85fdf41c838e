"""Inserts that share a transaction under load, the way databases group commits.

A row logged for every message (each question asked) would otherwise take a write transaction
of its own; on SQLite those queue one behind the other. Here, rows that arrive while a write is
in progress go together in the next one, and each caller still learns its row's primary key.
"""

from __future__ import annotations

import asyncio
from typing import Generic, TypeVar

from bot.storage.base import Base
from bot.storage.database import Database

Row = TypeVar("Row", bound=Base)


class GroupCommit(Generic[Row]):
    def __init__(self, database: Database) -> None:
        self._database = database
        self._waiting: list[tuple[Row, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def insert(self, row: Row) -> Row:
        """The row, stored and with its primary key, once its transaction committed."""
        stored = asyncio.get_running_loop().create_future()
        self._waiting.append((row, stored))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name="group-commit")
        await asyncio.shield(stored)
        return row

    async def _write(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting, []
            try:
                async with self._database.transaction() as session:
                    session.add_all(row for row, _ in group)
                    await session.flush()
            except Exception as error:
                for _, stored in group:
                    stored.set_exception(error)
            except BaseException:
                for _, stored in [*group, *self._waiting]:
                    stored.cancel()
                self._waiting = []
                raise
            else:
                for _, stored in group:
                    stored.set_result(None)
