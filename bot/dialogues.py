"""Guided conversations (`/faq add`, `/profile`, `/event add` …) that survive interruptions and restarts.

A dialogue belongs to one person in one chat and remembers its feature, its step and what was
answered so far. While one is open, that person's free text goes to the dialogue's feature;
commands still work in between, and `/cancel` ends it.

Every free text asks whether a dialogue is open, so the open ones are also kept in memory: read
once, written through (one instance runs each platform, so only this one changes its chats').
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, String, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import IncomingMessage, PersonId
from bot.privacy import Pseudonyms
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database

FORGOTTEN_AFTER = timedelta(days=7)


class DialogueRow(Base):
    __tablename__ = "dialogues"

    conversation: Mapped[str] = mapped_column(String(64), primary_key=True)
    person: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    """The pseudonym of the person alone, so `/forget` finds their dialogues in every chat."""
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
        self._open: dict[str, tuple[Dialogue, datetime]] | None = None
        self._loading = asyncio.Lock()

    async def current(self, message: IncomingMessage) -> Dialogue | None:
        found = (await self._dialogues()).get(self._key(message))
        if found is None:
            return None
        dialogue, updated_at = found
        if self._clock() - updated_at > FORGOTTEN_AFTER:
            await self.end(message)
            return None
        return dialogue

    async def save(self, message: IncomingMessage, dialogue: Dialogue) -> None:
        """Begin a dialogue or move it to its next step."""
        dialogues, key, now = await self._dialogues(), self._key(message), self._clock()
        async with self._database.transaction() as session:
            row = await session.get(DialogueRow, key)
            if row is None:
                row = DialogueRow(conversation=key)
                session.add(row)
            row.person = self._pseudonyms.of(message.sender.id)
            row.feature = dialogue.feature
            row.step = dialogue.step
            row.data = dict(dialogue.data)
            row.updated_at = now
        dialogues[key] = (Dialogue(dialogue.feature, dialogue.step, dict(dialogue.data)), now)

    async def end(self, message: IncomingMessage) -> bool:
        """Close the open dialogue; False if there was none."""
        dialogues, key = await self._dialogues(), self._key(message)
        async with self._database.transaction() as session:
            row = await session.get(DialogueRow, key)
            if row is not None:
                await session.delete(row)
        return dialogues.pop(key, None) is not None or row is not None

    name = "dialogues"
    """The name of its part in a member's `/mydata`."""

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        """The person's open dialogues in every chat, with what they answered so far."""
        async with self._database.reading() as session:
            rows = await session.scalars(
                select(DialogueRow).where(DialogueRow.person == self._pseudonyms.of(person))
                .order_by(DialogueRow.updated_at)
            )
            return {"open": [{"feature": row.feature, "step": row.step, "answers": row.data,
                              "updated_at": row.updated_at.isoformat()} for row in rows]}

    async def forget(self, person: PersonId) -> None:
        """End the person's dialogues in every chat."""
        dialogues = await self._dialogues()
        async with self._database.transaction() as session:
            rows = list(await session.scalars(
                select(DialogueRow).where(DialogueRow.person == self._pseudonyms.of(person))
            ))
            for row in rows:
                await session.delete(row)
        for row in rows:
            dialogues.pop(row.conversation, None)

    async def _dialogues(self) -> dict[str, tuple[Dialogue, datetime]]:
        if self._open is None:
            async with self._loading:
                if self._open is None:
                    async with self._database.reading() as session:
                        rows = (await session.scalars(select(DialogueRow))).all()
                        self._open = {
                            row.conversation: (Dialogue(row.feature, row.step, dict(row.data)), row.updated_at)
                            for row in rows
                        }
        return self._open

    def _key(self, message: IncomingMessage) -> str:
        return self._pseudonyms.of(message.sender.id, message.chat.id)
