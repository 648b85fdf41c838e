"""Guided conversations (`/faq add`, `/profile`, `/event add` …) that survive interruptions and restarts.

A dialogue belongs to one person in one chat and remembers its feature, its step and what was
answered so far. While one is open, that person's free text goes to the dialogue's feature;
commands still work in between, and `/cancel` ends it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import IncomingMessage
from bot.privacy import Pseudonyms
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database

FORGOTTEN_AFTER = timedelta(days=7)


class DialogueRow(Base):
    __tablename__ = "dialogues"

    conversation: Mapped[str] = mapped_column(String(64), primary_key=True)
    feature: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class Dialogue:
    """Where a guided conversation stands: the feature it belongs to, its step, the answers so far."""

    feature: str
    step: str
    data: Mapping[str, Any] = field(default_factory=dict)


class Dialogues:
    """Stores the open dialogue of each (person, chat), keyed by a pseudonym of the two."""

    def __init__(self, database: Database, pseudonyms: Pseudonyms, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._pseudonyms = pseudonyms
        self._clock = clock

    async def current(self, message: IncomingMessage) -> Dialogue | None:
        async with self._database.reading() as session:
            row = await session.get(DialogueRow, self._key(message))
        if row is None:
            return None
        if self._clock() - row.updated_at > FORGOTTEN_AFTER:
            await self.end(message)
            return None
        return Dialogue(row.feature, row.step, dict(row.data))

    async def save(self, message: IncomingMessage, dialogue: Dialogue) -> None:
        """Begin a dialogue or move it to its next step."""
        async with self._database.transaction() as session:
            row = await session.get(DialogueRow, self._key(message))
            if row is None:
                row = DialogueRow(conversation=self._key(message))
                session.add(row)
            row.feature = dialogue.feature
            row.step = dialogue.step
            row.data = dict(dialogue.data)
            row.updated_at = self._clock()

    async def end(self, message: IncomingMessage) -> bool:
        """Close the open dialogue; False if there was none."""
        async with self._database.transaction() as session:
            row = await session.get(DialogueRow, self._key(message))
            if row is None:
                return False
            await session.delete(row)
            return True

    def _key(self, message: IncomingMessage) -> str:
        return self._pseudonyms.of(message.sender.id, message.chat.id)
