"""Digests of new resources and upcoming events, to rooms and to members who subscribe.

`build` wires the parts from the configuration: the chat commands, the stores, and three jobs
(composing digests, polling feeds, event reminders) for the scheduler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.config import Settings
from bot.dialogues import Dialogues
from bot.features.digest.commands import DigestCommands
from bot.features.digest.delivery import ChallengeSource, DigestExtras, DigestJob
from bot.features.digest.events import Events
from bot.features.digest.feeds import FeedPoller, Fetcher
from bot.features.digest.phrases import PHRASES
from bot.features.digest.reminders import ReminderJob
from bot.features.digest.resources import Resources
from bot.features.digest.subscriptions import Subscriptions
from bot.features.digest.tables import DigestRow
from bot.knowledge_base import KnowledgeBase
from bot.platforms import Platforms
from bot.roles import Roles
from bot.scheduler import Job
from bot.storage.database import Database
from knowledge.entry import Language

__all__ = ["Digest", "build"]


@dataclass(frozen=True)
class Digest:
    """The assembled digest feature: `commands` for the router, `jobs` for the scheduler."""

    commands: DigestCommands
    resources: Resources
    events: Events
    subscriptions: Subscriptions
    job: DigestJob
    feeds: FeedPoller
    reminders: ReminderJob
    database: Database

    @property
    def jobs(self) -> list[Job]:
        return [self.feeds, self.job, self.reminders]

    async def stats_section(self, language: Language, now: datetime) -> str:
        """The `StatsSource` port: counts for moderators' `/stats`."""
        return PHRASES.say("stats", language, **await self.figures(now))

    async def figures(self, now: datetime) -> dict[str, int]:
        """Resources standing, events in the next four weeks, subscribers, digests sent in 30 days."""
        upcoming = await self.events.upcoming(now, now + timedelta(weeks=4))
        async with self.database.transaction() as session:
            digests = await session.scalar(select(func.count()).select_from(DigestRow).where(
                DigestRow.sent.is_(True), DigestRow.composed_at >= now - timedelta(days=30)))
        return {"resources": await self.resources.count(), "events": len(upcoming),
                "subscribers": await self.subscriptions.count(), "digests": int(digests or 0)}


def build(database: Database, settings: Settings, roles: Roles, dialogues: Dialogues, platforms: Platforms,
          knowledge_base: KnowledgeBase, clock: Callable[[], datetime] = lambda: datetime.now(UTC),
          challenges: ChallengeSource | None = None,
          fetcher: Fetcher | None = None, extras: DigestExtras | None = None) -> Digest:
    digest = settings.digest
    rooms: dict[str, Language] = {room.chat: room.language for room in digest.rooms}
    resources = Resources(database, rooms, clock)
    events = Events(database, rooms, clock)
    subscriptions = Subscriptions(database, clock)
    return Digest(
        commands=DigestCommands(digest, resources, events, subscriptions, roles, dialogues, clock),
        resources=resources,
        events=events,
        subscriptions=subscriptions,
        job=DigestJob(database, digest, resources, events, subscriptions, platforms, knowledge_base, challenges,
                      extras),
        feeds=FeedPoller(database, digest, settings.moderation.rooms, settings.default_language, fetcher),
        reminders=ReminderJob(database, digest, events, subscriptions),
        database=database,
    )
