"""Durable key-value state for adapters: update offsets, sync tokens, device ids."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, Text, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import PersonId, local_part, platform_of
from bot.storage.base import Base
from bot.storage.database import Database


class PlatformStateRow(Base):
    __tablename__ = "platform_state"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StoredPlatformState:
    """The `PlatformState` port backed by the database, one namespace per platform."""

    def __init__(self, database: Database, platform: str) -> None:
        self._database = database
        self._platform = platform

    async def get(self, key: str) -> str | None:
        async with self._database.reading() as session:
            return await session.scalar(
                select(PlatformStateRow.value).where(
                    PlatformStateRow.platform == self._platform, PlatformStateRow.key == key
                )
            )

    async def put(self, key: str, value: str) -> None:
        async with self._database.transaction() as session:
            row = await session.get(PlatformStateRow, (self._platform, key))
            if row is None:
                session.add(PlatformStateRow(platform=self._platform, key=key, value=value))
            else:
                row.value = value


class PlatformStatePersonalData:
    """The `PersonalData` holder for what adapters keep about a person in their state.

    Adapters name a person in their state by the person's own id on the platform: at the end of a
    key (`dm:@anna:example.org`, `telegram.refused.1001`) or as a string in a JSON value (the asker
    of a remembered prompt). Such entries are shown by `/mydata` and deleted by `/forget`.
    """

    name = "platform_state"

    def __init__(self, database: Database) -> None:
        self._database = database

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        async with self._database.reading() as session:
            return {row.key: row.value for row in await self._rows_of(session, person)}

    async def forget(self, person: PersonId) -> None:
        async with self._database.transaction() as session:
            for row in await self._rows_of(session, person):
                await session.delete(row)

    @staticmethod
    async def _rows_of(session: AsyncSession, person: str) -> list[PlatformStateRow]:
        local = local_part(person)
        if not local:
            return []
        rows = await session.scalars(
            select(PlatformStateRow).where(
                PlatformStateRow.platform == platform_of(person),
                or_(PlatformStateRow.key.contains(local, autoescape=True),
                    PlatformStateRow.value.contains(local, autoescape=True)),
            )
        )
        return [row for row in rows if _names(row, local, person)]


def _names(row: PlatformStateRow, local: str, person: str) -> bool:
    if row.key == local or row.key.endswith((f":{local}", f".{local}")):
        return True
    try:
        value = json.loads(row.value)
    except ValueError:
        return row.value in (local, person)
    return _mentions(value, {local, person})


def _mentions(value: Any, names: set[str]) -> bool:
    if isinstance(value, str):
        return value in names
    if isinstance(value, dict):
        return any(_mentions(item, names) for item in value.values())
    if isinstance(value, list):
        return any(_mentions(item, names) for item in value)
    return False
