"""Reminders the day before an event, for members who opted in, on their tags.

Sent from the digest's wall-clock time (09:00 by default) on the day before; the outbox key per
member, event and day makes a reminder impossible to send twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import DigestSettings
from bot.features.digest.composing import event_line
from bot.features.digest.events import Events
from bot.features.digest.phrases import PHRASES
from bot.features.digest.schedule import Schedule
from bot.features.digest.subscriptions import Subscriptions
from bot.messages import Reply
from bot.outbox import enqueue
from bot.storage.database import Database


class ReminderJob:
    """Implements the scheduler's `Job` for event reminders."""

    name = "event-reminders"

    def __init__(self, database: Database, settings: DigestSettings, events: Events,
                 subscriptions: Subscriptions) -> None:
        self._database = database
        self._settings = settings
        self._events = events
        self._subscriptions = subscriptions

    async def run_due(self, now: datetime) -> None:
        await self.remind(now)

    async def remind(self, now: datetime) -> int:
        """Queue tomorrow's reminders once today's reminder time has come; returns how many were new."""
        schedule = Schedule.from_settings(self._settings.schedule)
        today = now.astimezone(schedule.zone).date()
        if now < schedule.moment(today):
            return 0
        tomorrow = today + timedelta(days=1)
        start = datetime.combine(tomorrow, datetime.min.time(), tzinfo=schedule.zone)
        occurrences = [o for o in await self._events.upcoming(start, start + timedelta(days=1))
                       if o.starts_at >= start]
        members = [s for s in await self._subscriptions.active() if s.reminders]
        if not occurrences or not members:
            return 0
        queued = 0
        async with self._database.transaction() as session:
            for member in members:
                for occurrence in occurrences:
                    if member.tags and set(member.tags).isdisjoint(occurrence.event.tags):
                        continue
                    text = PHRASES.say("reminder", member.language, line=event_line(occurrence, member.language))
                    key = f"reminder:{member.person}:{occurrence.event.id}:{tomorrow.isoformat()}"
                    queued += await enqueue(session, key, member.person, Reply(text), now)
        return queued
