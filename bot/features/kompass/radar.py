"""The funding radar: funding calls that fit a member's topics, organisation and place.

Subscribers find the fitting calls in their digest (the digest asks `digest_sections`) and get a
reminder a configured number of days before each deadline, at the digest's wall-clock time in its
time zone, so 09:00 stays 09:00 across summer time. The outbox key per member, call and deadline
makes a reminder impossible to send twice, whatever restarts or instances happen in between.
Calls past their deadline are neither shown nor reminded of.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select

from bot.features.kompass.directory import Directory, day
from bot.features.kompass.model import Found, Listing
from bot.features.kompass.phrases import PHRASES
from bot.features.kompass.tables import RadarRow
from bot.messages import PersonId, Reply
from bot.outbox import enqueue
from bot.storage.database import Database
from knowledge.entry import Language, as_language

DIGEST_CALLS = 5


@dataclass(frozen=True)
class Radar:
    """A member's funding radar."""

    person: str
    topics: tuple[str, ...]
    audience: str
    keys: tuple[str, ...]
    place: str
    language: Language
    subscribed_at: datetime


class FundingRadar:
    """Stores subscriptions, words the digest section, and is the scheduler's job for deadline reminders."""

    name = "kompass-deadlines"

    def __init__(self, database: Database, directory: Directory, remind_days_before: int, at: time, zone: ZoneInfo,
                 clock: Callable[[], datetime]) -> None:
        self._database = database
        self._directory = directory
        self._days_before = remind_days_before
        self._at = at
        self._zone = zone
        self._clock = clock

    async def get(self, person: str) -> Radar | None:
        async with self._database.reading() as session:
            row = await session.get(RadarRow, person)
            return _radar(row) if row is not None else None

    async def subscribe(self, person: str, topics: Sequence[str], audience: str, keys: Sequence[str], place: str,
                        language: Language) -> Radar:
        async with self._database.transaction() as session:
            row = await session.get(RadarRow, person)
            if row is None:
                row = RadarRow(person_id=person, subscribed_at=self._clock())
                session.add(row)
            row.topics, row.audience, row.region_keys = list(topics), audience, list(keys)
            row.place, row.language = place[:255], language
            await session.flush()
            return _radar(row)

    async def unsubscribe(self, person: str) -> bool:
        async with self._database.transaction() as session:
            result = await session.execute(delete(RadarRow).where(RadarRow.person_id == person))
            return bool(getattr(result, "rowcount", 0))

    async def count(self) -> int:
        async with self._database.reading() as session:
            return int(await session.scalar(select(func.count()).select_from(RadarRow)) or 0)

    async def calls_for(self, radar: Radar) -> list[Listing]:
        """The open calls that fit, the next deadline first."""
        index = await self._directory.index()
        return index.calls(radar.topics, radar.audience or None, radar.keys, self._directory.today())

    async def digest_sections(self, people: Mapping[PersonId, Language], now: datetime) -> Mapping[PersonId, str]:
        """The "Funding calls" section for each digest subscriber who has a radar and fitting calls."""
        radars = await self._radars(list(people))
        sections: dict[PersonId, str] = {}
        for person, language in people.items():
            radar = radars.get(person)
            calls = await self.calls_for(radar) if radar is not None else []
            if calls:
                sections[person] = self.section(calls, language)
        return sections

    def section(self, calls: Sequence[Listing], language: Language) -> str:
        stale_before = self._directory.stale_before()
        lines = [self._directory.line(Found(listing, 0, listing.offer.checked < stale_before), language)
                 for listing in calls[:DIGEST_CALLS]]
        if len(calls) > DIGEST_CALLS:
            lines.append("- " + PHRASES.say("more-calls", language, count=len(calls) - DIGEST_CALLS))
        return PHRASES.say("section-calls", language) + "\n\n" + "\n".join(lines)

    async def run_due(self, now: datetime) -> None:
        await self.remind(now)

    async def remind(self, now: datetime) -> int:
        """Queue the reminders that are due today once today's reminder time has come; how many were new."""
        today = now.astimezone(self._zone).date()
        if now < datetime.combine(today, self._at, tzinfo=self._zone):
            return 0
        async with self._database.reading() as session:
            radars = [_radar(row) for row in await session.scalars(select(RadarRow))]
        queued = 0
        for radar in radars:
            due = [(listing, deadline) for listing in await self.calls_for(radar)
                   for deadline in listing.offer.deadlines if _reminder_day(deadline, self._days_before) <= today
                   <= deadline]
            if not due:
                continue
            async with self._database.transaction() as session:
                for listing, deadline in due:
                    text = PHRASES.say("deadline-reminder", radar.language, days=(deadline - today).days,
                                       date=day(deadline, radar.language),
                                       line=self._directory.line(Found(listing, 0, False), radar.language))
                    key = f"kompass:deadline:{radar.person}:{listing.offer.id}:{deadline.isoformat()}"
                    queued += await enqueue(session, key, PersonId(radar.person), Reply(text), now)
        return queued

    async def personal_data(self, person: str) -> dict[str, Any]:
        radar = await self.get(person)
        if radar is None:
            return {}
        return {"topics": list(radar.topics), "organisation_type": radar.audience, "region_keys": list(radar.keys),
                "place": radar.place, "language": radar.language, "subscribed_at": radar.subscribed_at.isoformat()}

    async def _radars(self, people: Collection[str]) -> dict[str, Radar]:
        found: dict[str, Radar] = {}
        wanted = list(people)
        async with self._database.reading() as session:
            for start in range(0, len(wanted), 500):
                rows = await session.scalars(select(RadarRow).where(RadarRow.person_id.in_(wanted[start:start + 500])))
                found.update((row.person_id, _radar(row)) for row in rows)
        return found


def _reminder_day(deadline: date, days_before: int) -> date:
    return deadline - timedelta(days=days_before)


def _radar(row: RadarRow) -> Radar:
    return Radar(row.person_id, tuple(row.topics), row.audience, tuple(row.region_keys), row.place,
                 as_language(row.language), row.subscribed_at)
