"""The digest job: once per audience and period, compose the digest and queue it in the outbox.

The digest's row (primary key: audience and period) and its outbox message are written in one
transaction. A bot that was down at 09:00 composes it at its next tick while the period is still
current; a second instance racing for the same digest fails on the primary key and writes nothing.
Composing is done once per distinct filter, not once per member, so 10,000 members stay cheap.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from bot.config import DigestSettings
from bot.features.digest.composing import Audience, Content, Sections, compose
from bot.features.digest.composing import select as select_items
from bot.features.digest.corrections import ROOM_PREFIX
from bot.features.digest.events import Events
from bot.features.digest.model import NewAnswer
from bot.features.digest.resources import Resources
from bot.features.digest.schedule import Period, Schedule, current_period
from bot.features.digest.subscriptions import MEMBER_PREFIX, Subscriptions
from bot.features.digest.tables import DigestItemRow, DigestRow
from bot.knowledge_base import KnowledgeBase
from bot.messages import ChatId, PersonId, Reply
from bot.outbox import enqueue_many
from bot.platforms import Platforms
from bot.storage.base import Base
from bot.storage.database import Database
from knowledge.entry import Language

log = logging.getLogger(__name__)

BATCH = 1000
"""Digests per transaction: each batch stands or falls as a whole, and a crash loses no more."""


class ChallengeSource(Protocol):
    """Members' challenges (from matching), whose news come first in their digest."""

    async def challenges_of(self, people: Collection[PersonId]) -> Mapping[PersonId, Sequence[str]]: ...


class DigestExtras(Protocol):
    """A feature that adds a section of its own to members' digests (the Kompass's funding calls)."""

    async def digest_sections(self, people: Mapping[PersonId, Language], now: datetime) -> Mapping[PersonId, str]: ...


@dataclass(frozen=True)
class Plan:
    """One audience's digest for one period, before it is composed."""

    audience: Audience
    period: Period
    since: datetime | None = None


@dataclass(frozen=True)
class Composed:
    plan: Plan
    text: str | None
    """None: nothing for this audience, and empty digests are not sent."""
    sections: Sections


class DigestJob:
    """Implements the scheduler's `Job`: composes and queues every digest that is due."""

    name = "digest"

    def __init__(self, database: Database, settings: DigestSettings, resources: Resources, events: Events,
                 subscriptions: Subscriptions, platforms: Platforms, knowledge_base: KnowledgeBase,
                 challenges: ChallengeSource | None = None, extras: DigestExtras | None = None) -> None:
        self._database = database
        self._knowledge_base = knowledge_base
        self._platforms = platforms
        self._settings = settings
        self._resources = resources
        self._events = events
        self._subscriptions = subscriptions
        self._challenges = challenges
        self._extras = extras

    async def run_due(self, now: datetime) -> None:
        if self._settings.enabled:
            await self.compose_due(now)

    async def compose_due(self, now: datetime, late_subscribers: bool = False) -> int:
        """Queue every digest due at `now`; returns how many were queued. `late_subscribers` also
        includes members who subscribed after the current period began (`lotse digest send-now`)."""
        plans = await self._due_plans(await self.plans(now, late_subscribers))
        if not plans:
            return 0
        composed = await self.compose(plans, now)
        queued = 0
        for start in range(0, len(composed), BATCH):
            queued += await self._store(composed[start:start + BATCH], now)
        return queued

    async def plans(self, now: datetime, late_subscribers: bool = False) -> list[Plan]:
        """Every audience with its current period: configured rooms and subscribed members."""
        settings = self._settings
        plans = []
        for room in settings.rooms:
            schedule = Schedule.from_settings(room.schedule or settings.schedule)
            audience = Audience(ROOM_PREFIX + room.chat, room.chat, room.language, frozenset(room.tags),
                                limit=self._platforms.of(room.chat).max_message_length)
            plans.append(Plan(audience, current_period(schedule, now)))
        subscriptions = [s for s in await self._subscriptions.active() if s.frequency in ("weekly", "monthly")]
        topics = await self._topics([s.person for s in subscriptions])
        extras = await self._extras.digest_sections({s.person: s.language for s in subscriptions}, now) \
            if self._extras is not None and subscriptions else {}
        for subscription in subscriptions:
            schedule = Schedule.from_settings(settings.schedule, "monthly" if subscription.frequency == "monthly"
                                              else "weekly")
            period = current_period(schedule, now)
            if period.starts_at < subscription.subscribed_at and not late_subscribers:
                continue
            audience = Audience(MEMBER_PREFIX + subscription.person, subscription.person, subscription.language,
                                frozenset(subscription.tags), frozenset(topics.get(subscription.person, ())),
                                is_member=True,
                                limit=self._platforms.of(subscription.person).max_message_length,
                                extra=extras.get(subscription.person, ""))
            plans.append(Plan(audience, period))
        return plans

    async def compose(self, plans: Sequence[Plan], now: datetime, keep_empty: bool = False) -> list[Composed]:
        """The digest of each plan, reading the content once for all of them; `keep_empty` words
        empty ones too (for a preview) whatever the configuration says."""
        oldest = min(plan.since or _previous_start(plan.period) for plan in plans)
        resources = await self._resources.added_between(oldest, now)
        occurrences = await self._events.upcoming(now, now + timedelta(weeks=self._settings.events_weeks))
        answers = await self._new_answers(oldest, now)
        texts: dict[tuple[object, ...], Composed] = {}
        composed = []
        for plan in plans:
            since = plan.since or _previous_start(plan.period)
            key = (since, plan.period.key, replace(plan.audience, key="", recipient=""))
            if key not in texts:
                content = Content(
                    tuple(r for r in resources if r.added_at is not None and r.added_at >= since),
                    tuple(occurrences),
                    tuple(a for a in answers if a.updated_at >= since),
                )
                sections = select_items(content, plan.audience)
                text = None
                if not sections.is_empty or plan.audience.extra or self._settings.send_empty or keep_empty:
                    text = compose(sections, plan.audience, plan.period.key, self._settings.events_weeks)
                texts[key] = Composed(plan, text, sections)
            composed.append(replace(texts[key], plan=plan))
        return composed

    async def preview(self, audience_key: str, now: datetime) -> str | None:
        """The digest `audience_key` (`room:CHAT` or `member:PERSON`) would get now, without storing it."""
        for plan in await self.plans(now, late_subscribers=True):
            if plan.audience.key == audience_key:
                since = (await self._last_covered([audience_key])).get(audience_key)
                return (await self.compose([replace(plan, since=since)], now, keep_empty=True))[0].text
        return None

    async def _due_plans(self, plans: Sequence[Plan]) -> list[Plan]:
        """The plans whose digest was not composed yet, each starting where its last one ended."""
        if not plans:
            return []
        keys = {plan.period.key for plan in plans}
        async with self._database.transaction() as session:
            rows = await session.execute(
                select(DigestRow.audience, DigestRow.period).where(DigestRow.period.in_(keys))
            )
            done = {(audience, period) for audience, period in rows}
        due = [plan for plan in plans if (plan.audience.key, plan.period.key) not in done]
        covered = await self._last_covered([plan.audience.key for plan in due])
        return [replace(plan, since=covered.get(plan.audience.key)) for plan in due]

    async def _last_covered(self, audiences: Sequence[str]) -> dict[str, datetime]:
        if not audiences:
            return {}
        async with self._database.transaction() as session:
            query = select(DigestRow.audience, func.max(DigestRow.covered_until)).group_by(DigestRow.audience)
            if len(audiences) < 500:
                query = query.where(DigestRow.audience.in_(audiences))
            return {audience: latest for audience, latest in await session.execute(query) if latest is not None}

    async def _store(self, batch: Sequence[Composed], now: datetime) -> int:
        """Record a batch of digests and queue the non-empty ones, all in one transaction."""
        digests, items = [], []
        messages: list[tuple[str, ChatId | PersonId, Reply]] = []
        for done in batch:
            audience, period = done.plan.audience, done.plan.period
            digests.append({"audience": audience.key, "period": period.key, "composed_at": now,
                            "covered_until": now, "sent": done.text is not None})
            if done.text is None:
                continue
            messages.append((f"digest:{audience.key}:{period.key}", ChatId(audience.recipient), Reply(done.text)))
            if not audience.is_member:
                items += [{"audience": audience.key, "period": period.key, "kind": kind, "item_id": item_id}
                          for kind, item_id in sorted(done.sections.item_ids)]
        try:
            async with self._database.transaction() as session:
                # Core inserts (executemany) for the digests themselves: 10,000 in seconds. Their messages
                # go in through the outbox's one way in, which keeps its own rules (keys, lanes).
                await session.execute(insert(_table(DigestRow)), digests)
                if items:
                    await session.execute(insert(_table(DigestItemRow)), items)
                await enqueue_many(session, messages, now)
        except IntegrityError:
            log.info("another instance composed some of these %d digests first; leaving them to it", len(batch))
            return 0
        return len(messages)

    async def _topics(self, people: Sequence[PersonId]) -> Mapping[PersonId, Sequence[str]]:
        if self._challenges is None or not people:
            return {}
        return await self._challenges.challenges_of(people)

    async def _new_answers(self, since: datetime, until: datetime) -> list[NewAnswer]:
        return [NewAnswer(stored.entry.id, stored.entry.question, tuple(stored.entry.tags), stored.entry.lang,
                          stored.updated_at) for stored in await self._knowledge_base.published_between(since, until)]


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _previous_start(period: Period) -> datetime:
    """Where an audience's first digest begins: one period length before its period."""
    return period.starts_at - (period.ends_at - period.starts_at)


