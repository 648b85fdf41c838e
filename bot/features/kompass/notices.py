"""What the Kompass tells moderators on its own: providers and offers not checked for too long.

One notice per moderators' room (or, without rooms, per moderator) lists what became stale since
the last notice; each item is reported once for its `checked` date, so a new check starts the clock
again and a second run (after a crash, on another instance) sends nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import or_, select

from bot.features.digest.composing import plain
from bot.features.kompass.directory import Directory, day
from bot.features.kompass.phrases import PHRASES
from bot.features.kompass.tables import OfferRow, ProviderRow
from bot.messages import ChatId, PersonId, Reply
from bot.outbox import enqueue
from bot.roles import Roles
from bot.storage.database import Database
from knowledge.entry import Language

NOTICE_LINES = 15


class StaleReport:
    """Implements the scheduler's `Job`: reports newly stale providers and offers to moderators."""

    name = "kompass-stale"

    def __init__(self, database: Database, directory: Directory, roles: Roles, rooms: Sequence[str],
                 language: Language) -> None:
        self._database = database
        self._directory = directory
        self._roles = roles
        self._rooms = [ChatId(room) for room in rooms]
        self._language = language

    async def run_due(self, now: datetime) -> None:
        await self.report(now)

    async def report(self, now: datetime) -> int:
        """Send the notice if anything became stale; returns how many items it named."""
        before = self._directory.stale_before()
        recipients: list[ChatId | PersonId] = [*self._rooms] or [*await self._roles.moderators()]
        async with self._database.transaction() as session:
            rows: list[ProviderRow | OfferRow] = []
            for model in (ProviderRow, OfferRow):
                rows.extend(await session.scalars(
                    select(model).where(model.withdrawn_at.is_(None), model.checked < before,
                                        or_(model.stale_reported_for.is_(None),
                                            model.stale_reported_for != model.checked))
                    .order_by(model.checked, model.id)))
            if not rows or not recipients:
                return 0
            lines = [self._line(row) for row in rows[:NOTICE_LINES]]
            if len(rows) > NOTICE_LINES:
                lines.append("- " + PHRASES.say("stale-more", self._language, count=len(rows) - NOTICE_LINES))
            text = PHRASES.say("stale-notice", self._language, count=len(rows), lines="\n".join(lines))
            digest = hashlib.sha1("\n".join(f"{type(row).__name__}:{row.id}:{row.checked}" for row in rows).encode(),
                                  usedforsecurity=False).hexdigest()[:16]
            for recipient in recipients:
                await enqueue(session, f"kompass:stale:{recipient}:{digest}", recipient, Reply(text), now)
            for row in rows:
                row.stale_reported_for = row.checked
            return len(rows)

    def _line(self, row: ProviderRow | OfferRow) -> str:
        kind, name = ("provider", row.name) if isinstance(row, ProviderRow) else ("offer", row.title)
        checked: date = row.checked
        return (f"- `/{kind} show {row.id}` {plain(name, 80)} · "
                f"{PHRASES.say('checked', self._language, date=day(checked, self._language))}")
