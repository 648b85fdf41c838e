"""The audit log: who changed what and when, with the state before and after."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import PersonId
from bot.privacy import Pseudonyms
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database


class AuditRow(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(255), index=True)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)


@dataclass(frozen=True)
class AuditRecord:
    """One change: `action` such as `entry.edit` or `role.grant`, `subject` such as `entry:ID`."""

    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    before: Any
    after: Any


async def record(
    session: AsyncSession, at: datetime, actor: str, action: str, subject: str, before: Any = None, after: Any = None
) -> None:
    """Add a record in the caller's transaction, so the change and its record stand or fall together."""
    session.add(AuditRow(at=at, actor=actor, action=action, subject=subject, before=before, after=after))


class AuditLog:
    """Reads the audit log, newest first; after `/forget` it keeps the changes under a pseudonym."""

    name = "audit_log"
    """The name of its part in a member's `/mydata`."""

    def __init__(self, database: Database, clock: Callable[[], datetime], pseudonyms: Pseudonyms) -> None:
        self._database = database
        self._clock = clock
        self._pseudonyms = pseudonyms

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        """The changes the person made, and those made to their role."""
        async with self._database.reading() as session:
            rows = await session.scalars(self._about(person).order_by(AuditRow.id))
            return {"changes": [{"at": row.at.isoformat(), "by": row.actor, "action": row.action,
                                 "subject": row.subject} for row in rows]}

    async def forget(self, person: PersonId) -> None:
        """Keep every change, but under the person's pseudonym instead of their id."""
        pseudonym = f"pseudonym:{self._pseudonyms.of(person)}"
        async with self._database.transaction() as session:
            for row in await session.scalars(self._about(person)):
                if row.actor == person:
                    row.actor = pseudonym
                if row.subject == f"person:{person}":
                    row.subject = f"person:{pseudonym}"

    @staticmethod
    def _about(person: str) -> Any:
        return select(AuditRow).where(or_(AuditRow.actor == person, AuditRow.subject == f"person:{person}"))

    async def records(self, subject: str | None = None, limit: int = 100) -> list[AuditRecord]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if subject is not None:
            query = query.where(AuditRow.subject == subject)
        async with self._database.transaction() as session:
            return [
                AuditRecord(row.id, row.at, row.actor, row.action, row.subject, row.before, row.after)
                for row in await session.scalars(query)
            ]
