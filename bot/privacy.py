"""Pseudonyms: stable keyed hashes of person ids, so logs can be analysed without naming anyone."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any, Protocol

from sqlalchemy import String
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import PersonId
from bot.storage.base import Base
from bot.storage.database import Database

SECRET_NAME = "pseudonym-key"


class SecretRow(Base):
    __tablename__ = "secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class PersonalData(Protocol):
    """A part of Lotse that stores something about people: it can show it and erase it.

    `/mydata` collects `personal_data` from every holder under its `name`; `/forget` calls
    `forget` on each, which deletes what identifies the person and pseudonymises logs for good.
    """

    name: str

    async def personal_data(self, person: PersonId) -> dict[str, Any]: ...

    async def forget(self, person: PersonId) -> None: ...


class Pseudonyms:
    """Turns ids into pseudonyms with an installation-wide key kept in the database."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    async def load(cls, database: Database) -> Pseudonyms:
        """Use the installation's key, creating it on first start (safe with concurrent instances)."""
        async with database.transaction() as session:
            row = await session.get(SecretRow, SECRET_NAME)
        if row is None:
            try:
                async with database.transaction() as session:
                    session.add(SecretRow(name=SECRET_NAME, value=secrets.token_hex(32)))
            except IntegrityError:
                pass
            async with database.transaction() as session:
                row = await session.get(SecretRow, SECRET_NAME)
        assert row is not None
        return cls(bytes.fromhex(row.value))

    def of(self, *parts: str) -> str:
        """The pseudonym of one id, or of a combination such as (person, chat)."""
        message = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]
