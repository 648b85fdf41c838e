"""Signing in to the web console through the chat: `/web` gives a moderator a one-time link.

The link is valid for ten minutes and works once; it opens a session bound to the moderator's
platform id, in their chat language. No passwords: whoever can write as the moderator in chat can
sign in, and whoever loses the moderator role loses the console at their next click. Only hashes
of links and sessions are stored, so a copy of the database opens no session.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import String, delete, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.messages import Command, PersonId, Reply
from bot.roles import Roles
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database
from bot.texts import Phrasebook
from bot.turn import Route, Turn
from knowledge.entry import Language, as_language

log = logging.getLogger(__name__)

LINK_VALID_FOR = timedelta(minutes=10)
SESSION_IDLE = timedelta(hours=2)
"""A session nobody used for this long ends."""
SESSION_LONGEST = timedelta(hours=12)
"""However busy, a session ends this long after sign-in; `/web` gives a new link."""
TOUCH_EVERY = timedelta(minutes=1)
"""A session's last use is written at most this often, not on every request."""

TEXTS: Mapping[str, Mapping[Language, str]] = {
    "command-web": {"de": "Anmeldelink für die Web-Konsole (Moderation)", "en": "Sign-in link for the web console "
                    "(moderators)"},
    "web-link": {
        "de": "Ihr Anmeldelink für die Web-Konsole, gültig für {minutes} Minuten und nur einmal:\n\n{link}\n\n"
        "Geben Sie ihn nicht weiter: Wer ihn öffnet, arbeitet in Ihrem Namen.",
        "en": "Your sign-in link for the web console, valid for {minutes} minutes and only once:\n\n{link}\n\n"
        "Do not pass it on: whoever opens it works in your name.",
    },
    "web-off": {
        "de": "Die Web-Konsole ist nicht eingeschaltet. Der Betrieb kann sie mit `web.enabled = true` einschalten.",
        "en": "The web console is not switched on. Operators can switch it on with `web.enabled = true`.",
    },
    "web-moderators-only": {
        "de": "Die Web-Konsole ist für Moderatorinnen und Moderatoren.",
        "en": "The web console is for moderators.",
    },
    "web-direct-only": {
        "de": "Den Anmeldelink schicke ich nur im direkten Chat. Bitte schreiben Sie mir `/web` direkt.",
        "en": "I send sign-in links only in a direct chat. Please send me `/web` directly.",
    },
}
PHRASES = Phrasebook(TEXTS)


class WebLinkRow(Base):
    """A one-time sign-in link: only its hash is kept."""

    __tablename__ = "web_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(255), index=True)
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class WebSessionRow(Base):
    """A signed-in browser: the hash of its cookie, whose it is, and its CSRF token."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(255), index=True)
    language: Mapped[str] = mapped_column(String(8))
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Refusal(StrEnum):
    """Why a sign-in link opens no session."""

    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    NOT_MODERATOR = "not-moderator"


@dataclass(frozen=True)
class WebSession:
    """A signed-in moderator as the console sees them, with the roles they have in chat right now."""

    person: PersonId
    language: Language
    csrf: str
    is_admin: bool
    expires_at: datetime

    def csrf_matches(self, offered: str | None) -> bool:
        """True when a form carries this session's CSRF token (compared in constant time)."""
        return offered is not None and hmac.compare_digest(offered.encode(), self.csrf.encode())


@dataclass(frozen=True)
class SignedIn:
    """A redeemed link: the cookie value to set, and the session it opens."""

    token: str
    session: WebSession


class WebSignIn:
    """The `/web` command and the store of links and sessions the web console signs people in with."""

    name = "web"
    """Names the feature's actions and its part of a member's `/mydata`."""

    def __init__(self, database: Database, roles: Roles, clock: Callable[[], datetime], base_url: str,
                 enabled: bool) -> None:
        self._database = database
        self._roles = roles
        self._clock = clock
        self._base_url = base_url.rstrip("/")
        self._enabled = enabled

    def serving_at(self, base_url: str) -> None:
        """Where the running console is reached, once it knows its port; links point there."""
        self._base_url = base_url.rstrip("/")

    def routes(self) -> Sequence[Route]:
        return [Route(Command("web", PHRASES.both("command-web"), moderators_only=True), self._web)]

    async def _web(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        person = turn.message.sender.id
        if not await self._roles.is_moderator(person):
            return PHRASES.reply("web-moderators-only", turn.language)
        if not self._enabled:
            return PHRASES.reply("web-off", turn.language)
        if not turn.message.chat.is_direct:
            return PHRASES.reply("web-direct-only", turn.language)
        link = await self.issue_link(person, turn.language)
        return PHRASES.reply("web-link", turn.language, link=link,
                             minutes=int(LINK_VALID_FOR.total_seconds() // 60))

    async def issue_link(self, person: PersonId, language: Language) -> str:
        """A new one-time link for `person`; expired links and sessions are cleared on the way."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        async with self._database.transaction() as session:
            await session.execute(delete(WebLinkRow).where(or_(WebLinkRow.expires_at < now,
                                                               WebLinkRow.used_at.is_not(None))))
            await session.execute(delete(WebSessionRow).where(WebSessionRow.expires_at < now))
            session.add(WebLinkRow(token_hash=_hash(token), person_id=person, language=language, created_at=now,
                                   expires_at=now + LINK_VALID_FOR))
        return f"{self._base_url}/signin/{token}"

    async def redeem(self, token: str) -> SignedIn | Refusal:
        """Use a link once: a new session for its moderator, or why not."""
        now = self._clock()
        async with self._database.transaction() as session:
            link = await session.get(WebLinkRow, _hash(token), with_for_update=True)
            if link is None:
                return Refusal.UNKNOWN
            if link.used_at is not None:
                return Refusal.USED
            if link.expires_at <= now:
                return Refusal.EXPIRED
            person = PersonId(link.person_id)
            if not await self._roles.is_moderator(person):
                return Refusal.NOT_MODERATOR
            link.used_at = now
            cookie = secrets.token_urlsafe(32)
            row = WebSessionRow(token_hash=_hash(cookie), person_id=person, language=link.language,
                                csrf=secrets.token_urlsafe(32), created_at=now, last_seen_at=now,
                                expires_at=now + SESSION_LONGEST)
            session.add(row)
        log.info("web console: %s signed in", person)
        return SignedIn(cookie, self._session(row))

    async def session(self, token: str | None) -> WebSession | None:
        """The live session behind a cookie: None when unknown, idle too long, expired, or its person
        is no longer a moderator (the session then ends for good)."""
        if not token:
            return None
        now = self._clock()
        async with self._database.reading() as reading:
            row = await reading.get(WebSessionRow, _hash(token))
        if row is None:
            return None
        if row.expires_at <= now or now - row.last_seen_at > SESSION_IDLE:
            await self.sign_out(token)
            return None
        if not await self._roles.is_moderator(PersonId(row.person_id)):
            await self.sign_out(token)
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            async with self._database.transaction() as writing:
                stored = await writing.get(WebSessionRow, row.token_hash)
                if stored is not None:
                    stored.last_seen_at = now
        return self._session(row)

    async def choose_language(self, token: str, language: Language) -> None:
        """The console's language for this session (chat keeps its own)."""
        async with self._database.transaction() as session:
            row = await session.get(WebSessionRow, _hash(token))
            if row is not None:
                row.language = language

    async def sign_out(self, token: str) -> None:
        async with self._database.transaction() as session:
            await session.execute(delete(WebSessionRow).where(WebSessionRow.token_hash == _hash(token)))

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        """When the person's console sessions began and end; the tokens are never shown."""
        async with self._database.reading() as session:
            rows = await session.scalars(select(WebSessionRow).where(WebSessionRow.person_id == person)
                                         .order_by(WebSessionRow.created_at))
            return {"sessions": [{"signed_in_at": row.created_at.isoformat(),
                                  "expires_at": row.expires_at.isoformat()} for row in rows]}

    async def forget(self, person: PersonId) -> None:
        async with self._database.transaction() as session:
            await session.execute(delete(WebSessionRow).where(WebSessionRow.person_id == person))
            await session.execute(delete(WebLinkRow).where(WebLinkRow.person_id == person))

    def _session(self, row: WebSessionRow) -> WebSession:
        person = PersonId(row.person_id)
        return WebSession(person, as_language(row.language), row.csrf, self._roles.is_admin(person), row.expires_at)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
