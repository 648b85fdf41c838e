"""Who may curate: admins are named in the configuration; admins grant and revoke moderators."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.audit import record
from bot.messages import PersonId
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database


class RoleRow(Base):
    __tablename__ = "moderators"

    person_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    granted_by: Mapped[str] = mapped_column(String(255))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RoleChange(StrEnum):
    """The outcome of a grant or revoke, for the feature to put into words."""

    DONE = "done"
    UNCHANGED = "unchanged"
    NOT_ALLOWED = "not-allowed"
    SELF = "self"


class Roles:
    """Answers "may this person curate?" and records every change of role in the audit log."""

    def __init__(self, database: Database, admins: Iterable[str], clock: Callable[[], datetime]) -> None:
        self._database = database
        self._admins = frozenset(admins)
        self._clock = clock

    def is_admin(self, person: PersonId) -> bool:
        return person in self._admins

    async def is_moderator(self, person: PersonId) -> bool:
        """Admins moderate too."""
        if self.is_admin(person):
            return True
        async with self._database.reading() as session:
            return await session.get(RoleRow, person) is not None

    async def moderators(self) -> list[PersonId]:
        async with self._database.transaction() as session:
            granted = [PersonId(p) for p in await session.scalars(select(RoleRow.person_id))]
        return sorted({*granted, *(PersonId(a) for a in self._admins)})

    name = "roles"
    """The name of its part in a member's `/mydata`."""

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        async with self._database.reading() as session:
            row = await session.get(RoleRow, person)
        data: dict[str, Any] = {"admin": self.is_admin(person), "moderator": row is not None}
        if row is not None:
            data["moderator_since"] = row.granted_at.isoformat()
        return data

    async def forget(self, person: PersonId) -> None:
        """Take back the person's moderator role (an admin can grant it again); roles they granted stay,
        granted by nobody named (the audit log keeps who, under a pseudonym)."""
        async with self._database.transaction() as session:
            row = await session.get(RoleRow, person)
            if row is not None:
                await session.delete(row)
            for granted in await session.scalars(select(RoleRow).where(RoleRow.granted_by == person)):
                granted.granted_by = "forgotten"

    async def grant(self, by: PersonId, person: PersonId) -> RoleChange:
        if not self.is_admin(by):
            return RoleChange.NOT_ALLOWED
        if by == person:
            return RoleChange.SELF
        async with self._database.transaction() as session:
            if await session.get(RoleRow, person) is not None:
                return RoleChange.UNCHANGED
            now = self._clock()
            session.add(RoleRow(person_id=person, granted_by=by, granted_at=now))
            await record(session, now, by, "role.grant", f"person:{person}", before=None, after="moderator")
        return RoleChange.DONE

    async def revoke(self, by: PersonId, person: PersonId) -> RoleChange:
        if not self.is_admin(by):
            return RoleChange.NOT_ALLOWED
        if by == person:
            return RoleChange.SELF
        async with self._database.transaction() as session:
            row = await session.get(RoleRow, person)
            if row is None:
                return RoleChange.UNCHANGED
            await session.delete(row)
            await record(session, self._clock(), by, "role.revoke", f"person:{person}", before="moderator",
                         after=None)
        return RoleChange.DONE
