"""Members' digest subscriptions: how often, on which tags, in which language, with reminders.

A subscription is personal data: `/mydata` shows it and `/forget` deletes it with the record of
which digests the member got.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from bot.features.digest.tables import DigestRow, SubscriptionRow
from bot.messages import PersonId
from bot.storage.database import Database
from knowledge.entry import Language, as_language

MEMBER_PREFIX = "member:"


@dataclass(frozen=True)
class Subscription:
    person: PersonId
    frequency: str
    tags: tuple[str, ...]
    language: Language
    reminders: bool
    subscribed_at: datetime


class Subscriptions:
    """Stores subscriptions; implements the `PersonalData` port under the name `digest`."""

    name = "digest"

    def __init__(self, database: Database, clock: Callable[[], datetime]) -> None:
        self._database = database
        self._clock = clock

    async def get(self, person: PersonId) -> Subscription | None:
        async with self._database.transaction() as session:
            row = await session.get(SubscriptionRow, person)
            return _subscription(row) if row is not None else None

    async def save(self, person: PersonId, frequency: str, tags: Sequence[str], language: Language,
                   reminders: bool | None = None) -> Subscription:
        """Subscribe or change; keeps the reminder choice unless `reminders` is given."""
        async with self._database.transaction() as session:
            row = await session.get(SubscriptionRow, person)
            if row is None:
                row = SubscriptionRow(person_id=person, reminders=False, subscribed_at=self._clock())
                session.add(row)
            elif row.frequency == "off" and frequency != "off":
                row.subscribed_at = self._clock()
            row.frequency = frequency
            row.tags = list(tags)
            row.language = language
            if reminders is not None:
                row.reminders = reminders
            await session.flush()
            return _subscription(row)

    async def active(self) -> list[Subscription]:
        """Every subscription that wants a digest or reminders."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(SubscriptionRow).where((SubscriptionRow.frequency != "off") | SubscriptionRow.reminders)
            )
            return [_subscription(row) for row in rows]

    async def count(self) -> int:
        async with self._database.transaction() as session:
            query = select(func.count()).select_from(SubscriptionRow).where(SubscriptionRow.frequency != "off")
            return int(await session.scalar(query) or 0)

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        subscription = await self.get(person)
        if subscription is None:
            return {}
        async with self._database.transaction() as session:
            periods = list(await session.scalars(
                select(DigestRow.period).where(DigestRow.audience == MEMBER_PREFIX + person).order_by(DigestRow.period)
            ))
        return {"frequency": subscription.frequency, "tags": list(subscription.tags),
                "language": subscription.language, "reminders": subscription.reminders,
                "subscribed_at": subscription.subscribed_at.isoformat(), "digests": periods}

    async def forget(self, person: PersonId) -> None:
        async with self._database.transaction() as session:
            await session.execute(delete(SubscriptionRow).where(SubscriptionRow.person_id == person))
            await session.execute(delete(DigestRow).where(DigestRow.audience == MEMBER_PREFIX + person))


def _subscription(row: SubscriptionRow) -> Subscription:
    return Subscription(PersonId(row.person_id), row.frequency, tuple(row.tags),
                        as_language(row.language), row.reminders, row.subscribed_at)
