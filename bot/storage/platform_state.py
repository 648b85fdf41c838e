"""Durable key-value state for adapters: update offsets, sync tokens, device ids."""

from __future__ import annotations

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

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
