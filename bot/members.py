"""Members as Lotse remembers them: for now, the language each person wants to be answered in.

Every message needs the sender's language, so the stored choices are kept in memory: read once,
written through. A person reaches Lotse through one platform, and one instance runs each platform,
so no other instance changes a choice behind this one's back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import PersonId, Sender
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database
from knowledge.entry import Language, as_language
from knowledge.normaliser import guess_language


class MemberRow(Base):
    __tablename__ = "members"

    person_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    chosen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Members:
    """Decides a person's language: their own choice, else what the platform or their words suggest."""

    def __init__(self, database: Database, default_language: Language, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._default = default_language
        self._clock = clock
        self._chosen: dict[str, Language] | None = None
        self._loading = asyncio.Lock()

    async def language_for(self, sender: Sender, text: str = "") -> Language:
        chosen = (await self._choices()).get(sender.id)
        if chosen is not None:
            return chosen
        hinted = _from_hint(sender.language_hint)
        if hinted is not None:
            return hinted
        if text and not text.startswith("/"):
            guessed = guess_language(text)
            if guessed is not None:
                return guessed
        return self._default

    name = "member"

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        async with self._database.reading() as session:
            row = await session.get(MemberRow, person)
        if row is None:
            return {}
        return {"language": row.language, "language_chosen_at": row.chosen_at.isoformat()}

    async def forget(self, person: PersonId) -> None:
        chosen = await self._choices()
        async with self._database.transaction() as session:
            row = await session.get(MemberRow, person)
            if row is not None:
                await session.delete(row)
        chosen.pop(person, None)

    async def choose_language(self, person: PersonId, language: Language) -> None:
        chosen = await self._choices()
        async with self._database.transaction() as session:
            row = await session.get(MemberRow, person)
            if row is None:
                session.add(MemberRow(person_id=person, language=language, chosen_at=self._clock()))
            else:
                row.language = language
                row.chosen_at = self._clock()
        chosen[person] = language

    async def _choices(self) -> dict[str, Language]:
        if self._chosen is None:
            async with self._loading:
                if self._chosen is None:
                    async with self._database.reading() as session:
                        rows = await session.execute(select(MemberRow.person_id, MemberRow.language))
                        self._chosen = {person: as_language(language) for person, language in rows}
        return self._chosen


def _from_hint(hint: str | None) -> Language | None:
    if not hint:
        return None
    code = hint.lower().split("-")[0].split("_")[0]
    if code == "de":
        return "de"
    if code == "en":
        return "en"
    return None
