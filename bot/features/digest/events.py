"""Events: round tables, conferences and trainings, added in chat or read from iCalendar feeds.

Stored once with their recurrence rule; occurrences are expanded when asked for (see calendar.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.features.digest.calendar import upcoming
from bot.features.digest.composing import event_line
from bot.features.digest.corrections import queue_corrections
from bot.features.digest.model import Event, Occurrence
from bot.features.digest.resources import audit_json
from bot.features.digest.tables import EventRow
from bot.storage.database import Database
from knowledge.entry import Language, as_language

EDITABLE = ("title", "start", "end", "place", "link", "organiser", "tags")


@dataclass(frozen=True)
class EventDraft:
    """What is needed to add an event. `uid` is the source's (iCalendar UID) or made up."""

    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    all_day: bool = False
    timezone: str = "Europe/Berlin"
    place: str = ""
    link: str = ""
    organiser: str = ""
    tags: tuple[str, ...] = ()
    language: Language = "de"
    recurrence: str | None = None
    source: str = "chat"
    uid: str = ""


class Events:
    """Stores events and expands them into upcoming occurrences."""

    def __init__(self, database: Database, room_languages: Mapping[str, Language],
                 clock: Callable[[], datetime]) -> None:
        self._database = database
        self._room_languages = room_languages
        self._clock = clock

    async def add(self, draft: EventDraft, by: str) -> Event:
        async with self._database.transaction() as session:
            return await add_event(session, draft, by, self._clock())

    async def get(self, event_id: int) -> Event | None:
        async with self._database.transaction() as session:
            row = await session.get(EventRow, event_id)
            return to_event(row) if row is not None else None

    async def all(self) -> list[Event]:
        """Every event, withdrawn ones included (a calendar export marks them cancelled)."""
        async with self._database.transaction() as session:
            return [to_event(row) for row in await session.scalars(select(EventRow).order_by(EventRow.id))]

    async def upcoming(self, start: datetime, end: datetime) -> list[Occurrence]:
        """Occurrences in [start, end) of events that are not withdrawn."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(EventRow).where(EventRow.withdrawn_at.is_(None), EventRow.starts_at < end)
            )
            events = [to_event(row) for row in rows]
        return upcoming(events, start, end)

    async def edit(self, event_id: int, changes: Mapping[str, Any], by: str) -> Event | None:
        """Change fields (`starts_at`, `ends_at`, `all_day`, `title` …); rooms that had it get a correction."""
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(EventRow, event_id)
            if row is None or row.withdrawn_at is not None:
                return None
            before = to_event(row)
            for name, value in changes.items():
                setattr(row, name, list(value) if name == "tags" else value)
            row.version += 1
            row.updated_at = now
            after = to_event(row)
            await record(session, now, by, "event.edit", f"event:{row.id}", before=audit_json(asdict(before)),
                         after=audit_json(asdict(after)))
            first = Occurrence(after, after.starts_at, after.ends_at)
            await queue_corrections(session, "event", row.id, row.version, before.title,
                                    lambda language: event_line(first, language), self._room_languages, now)
            return after

    async def withdraw(self, event_id: int, by: str) -> Event | None:
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(EventRow, event_id)
            if row is None or row.withdrawn_at is not None:
                return None
            row.withdrawn_at = now
            row.version += 1
            await record(session, now, by, "event.withdraw", f"event:{row.id}", before="published",
                         after="withdrawn")
            await queue_corrections(session, "event", row.id, row.version, row.title, None,
                                    self._room_languages, now)
            return to_event(row)


async def add_event(session: AsyncSession, draft: EventDraft, by: str, now: datetime) -> Event:
    """Add an event in the caller's transaction (a moderator's command or a feed poll)."""
    row = EventRow(uid=draft.uid or f"{uuid.uuid4()}@lotse", title=draft.title, starts_at=draft.starts_at,
                   ends_at=draft.ends_at, timezone=draft.timezone, all_day=draft.all_day, place=draft.place,
                   link=draft.link, organiser=draft.organiser, tags=list(draft.tags), language=draft.language,
                   recurrence=draft.recurrence, source=draft.source, added_by=by, added_at=now, version=1,
                   updated_at=now)
    session.add(row)
    await session.flush()
    event = to_event(row)
    await record(session, now, by, "event.add", f"event:{row.id}", before=None, after=audit_json(asdict(event)))
    return event


def to_event(row: EventRow) -> Event:
    return Event(id=row.id, uid=row.uid, title=row.title, starts_at=row.starts_at, ends_at=row.ends_at,
                 timezone=row.timezone, all_day=row.all_day, place=row.place, link=row.link,
                 organiser=row.organiser, tags=tuple(row.tags), language=as_language(row.language),
                 recurrence=row.recurrence, source=row.source, added_by=row.added_by, added_at=row.added_at,
                 version=row.version, withdrawn=row.withdrawn_at is not None)
