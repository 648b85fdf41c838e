"""Pseudonyms: stable keyed hashes of person ids, so logs can be analysed without naming anyone.

The key lives outside the database (a file, or the environment), so whoever reads the database
cannot re-identify askers. The database keeps only the key's fingerprint, so every instance
sharing it is sure to use the same key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import PersonId
from bot.storage.base import Base
from bot.storage.database import Database

log = logging.getLogger(__name__)

SECRET_NAME = "pseudonym-key"
"""Where releases before the key moved out kept the key itself; moved out at the first start."""
FINGERPRINT_NAME = "pseudonym-key-fingerprint"
KEY_BYTES = 32


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


class PseudonymKeyError(Exception):
    """The pseudonymisation key is missing, unreadable or not the one the database was used with."""


class Pseudonyms:
    """Turns ids into pseudonyms with an installation-wide key kept outside the database."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    async def load(cls, database: Database, key_file: Path, configured: str | None = None) -> Pseudonyms:
        """The installation's key: `configured` (hex), else `key_file`, generated there on first start.

        A key an older release kept in the database is moved to `key_file` once. Call it while holding
        the startup lock, so instances starting together agree on one key.
        """
        key = _parse(configured, "privacy.key") if configured else _read(key_file)
        async with database.transaction() as session:
            legacy = await session.get(SecretRow, SECRET_NAME)
            fingerprint = await session.get(SecretRow, FINGERPRINT_NAME)
            if legacy is not None:
                stored = _parse(legacy.value, "the key stored in the database")
                if key is None:
                    _write(key_file, stored)
                    key = stored
                    log.warning("moved the pseudonymisation key out of the database into %s; back it up", key_file)
                elif key != stored:
                    raise PseudonymKeyError(
                        f"the pseudonymisation key from {'privacy.key' if configured else key_file} differs from "
                        "the one this database was used with; remove it to take over the database's key"
                    )
                await session.delete(legacy)
            elif fingerprint is not None and key is None:
                raise PseudonymKeyError(
                    f"this database was set up with a pseudonymisation key, but {key_file} does not exist; "
                    "restore it from the backup or the first instance (or set LOTSE_PRIVACY__KEY)"
                )
            elif key is None:
                key = secrets.token_bytes(KEY_BYTES)
                _write(key_file, key)
                log.info("created the pseudonymisation key in %s; back it up", key_file)
            pseudonyms = cls(key)
            if fingerprint is None:
                session.add(SecretRow(name=FINGERPRINT_NAME, value=pseudonyms.fingerprint))
            elif fingerprint.value != pseudonyms.fingerprint:
                raise PseudonymKeyError(
                    f"the pseudonymisation key from {'privacy.key' if configured else key_file} is not the one "
                    "this database was used with; use the key of the first instance"
                )
        return pseudonyms

    @property
    def fingerprint(self) -> str:
        """Tells keys apart without revealing them: what the database keeps."""
        return hmac.new(self._key, b"lotse pseudonym key fingerprint", hashlib.sha256).hexdigest()

    def of(self, *parts: str) -> str:
        """The pseudonym of one id, or of a combination such as (person, chat)."""
        message = "\x1f".join(parts).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def tag(self, *parts: str, length: int) -> str:
        """A short keyed tag of `parts` in URL-safe characters (6 bits each), e.g. inside a button's action."""
        message = "\x1ftag\x1f".join(parts).encode("utf-8")
        digest = hmac.new(self._key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[:length]


def _parse(text: str, source: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise PseudonymKeyError(f"{source}: not a hexadecimal key") from None
    if len(key) < KEY_BYTES:
        raise PseudonymKeyError(f"{source}: a key needs at least {KEY_BYTES * 2} hexadecimal digits")
    return key


def _read(path: Path) -> bytes | None:
    try:
        return _parse(path.read_text(encoding="ascii"), str(path))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise PseudonymKeyError(f"{path}: cannot be read: {error}") from None


def _write(path: Path, key: bytes) -> None:
    """Write the key readable by its owner only; never replaces an existing file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(key.hex() + "\n")
    except OSError as error:
        raise PseudonymKeyError(f"{path}: cannot be written: {error}") from None
