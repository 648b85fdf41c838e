"""The outbox: everything Lotse sends on its own, written in the transaction that caused it.

A worker on every instance claims due messages (`FOR UPDATE SKIP LOCKED` on PostgreSQL), sends them
through the platform's adapter, retries with capped backoff and marks them sent. A unique key per
message makes enqueueing the same notice twice a no-op.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, cast, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.bindings import ActionBindings
from bot.messages import Attachment, ChatId, ChatPlatform, Choice, PersonId, Reply, platform_of
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=1)


class OutboxRow(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    recipient: Mapped[str] = mapped_column(String(255), index=True)
    invite: Mapped[list[str]] = mapped_column(JSON, default=list)
    """People to bring into a new room with the recipient, where the platform can."""
    reply: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    leased_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


@dataclass(frozen=True)
class Delivery:
    """One message waiting to be sent: its key, recipient and what to say."""

    id: int
    key: str
    recipient: str
    reply: Reply
    invite: tuple[PersonId, ...] = ()


async def enqueue(
    session: AsyncSession,
    key: str,
    recipient: ChatId | PersonId,
    reply: Reply,
    now: datetime,
    due_at: datetime | None = None,
    invite: Sequence[PersonId] = (),
) -> bool:
    """Queue `reply` for `recipient` in the caller's transaction; False if `key` was queued before.

    With `invite`, the reply opens a room with the recipient and those people (see `ChatPlatform.send`)."""
    if await session.scalar(select(OutboxRow.id).where(OutboxRow.key == key)) is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(OutboxRow(key=key, recipient=recipient, invite=list(invite), reply=reply_to_json(reply),
                                  created_at=now, due_at=due_at or now, attempts=0))
    except IntegrityError:
        return False
    return True


async def enqueue_many(session: AsyncSession, messages: Sequence[tuple[str, ChatId | PersonId, Reply]],
                       now: datetime) -> int:
    """Queue many (key, recipient, reply) at once in the caller's transaction, as `enqueue` does
    one: keys queued before are skipped. One insert for all, so a digest to 10,000 members takes
    seconds; a key queued concurrently raises `IntegrityError`. Returns how many were queued."""
    keys = [key for key, _, _ in messages]
    taken: set[str] = set()
    for start in range(0, len(keys), 500):
        taken.update(await session.scalars(select(OutboxRow.key).where(OutboxRow.key.in_(keys[start:start + 500]))))
    rows = [{"key": key, "recipient": recipient, "invite": [], "reply": reply_to_json(reply), "created_at": now,
             "due_at": now, "attempts": 0} for key, recipient, reply in messages if key not in taken]
    if rows:
        await session.execute(insert(OutboxRow), rows)
    return len(rows)


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox: how many, since when, and how many were given up."""

    waiting: int
    oldest: datetime | None
    given_up: int


@dataclass(frozen=True)
class DeliveryProblem:
    """A delivery whose last attempt failed, for operators."""

    key: str
    recipient: str
    attempts: int
    error: str
    given_up: bool
    next_attempt: datetime


class Outbox:
    """Claims due deliveries and records how they went."""

    def __init__(self, database: Database, clock: Callable[[], datetime], bindings: ActionBindings) -> None:
        self._database = database
        self._clock = clock
        self._bindings = bindings

    async def claim(self, platforms: set[str], limit: int = 50) -> list[Delivery]:
        """Lease up to `limit` due deliveries for the given platforms; other instances skip them."""
        now = self._clock()
        async with self._database.transaction() as session:
            rows = list(
                await session.scalars(
                    select(OutboxRow)
                    .where(
                        OutboxRow.sent_at.is_(None),
                        OutboxRow.failed_at.is_(None),
                        OutboxRow.due_at <= now,
                        or_(OutboxRow.leased_until.is_(None), OutboxRow.leased_until < now),
                        or_(*(OutboxRow.recipient.startswith(f"{platform}:") for platform in platforms)),
                    )
                    .order_by(OutboxRow.due_at, OutboxRow.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            for row in rows:
                row.leased_until = now + LEASE
            # Choices act for the recipient only (see bot.bindings).
            return [
                Delivery(row.id, row.key, row.recipient, self._bindings.bind(reply_from_json(row.reply), row.recipient),
                         tuple(PersonId(person) for person in row.invite or ()))
                for row in rows
            ]

    async def sent(self, delivery: Delivery) -> None:
        async with self._database.transaction() as session:
            row = await session.get(OutboxRow, delivery.id)
            if row is not None:
                row.sent_at = self._clock()
                row.leased_until = None

    async def failed(self, delivery: Delivery, error: str) -> None:
        """Try again later with capped exponential backoff; give up after MAX_ATTEMPTS."""
        now = self._clock()
        async with self._database.transaction() as session:
            row = await session.get(OutboxRow, delivery.id)
            if row is None:
                return
            row.attempts += 1
            row.last_error = error[:2000]
            row.leased_until = None
            if row.attempts >= MAX_ATTEMPTS:
                row.failed_at = now
                log.error("giving up on %s to %s after %d attempts: %s", row.key, row.recipient, row.attempts, error)
            else:
                row.due_at = now + min(timedelta(seconds=5 * 2 ** (row.attempts - 1)), MAX_BACKOFF)

    async def backlog(self) -> Backlog:
        async with self._database.reading() as session:
            waiting, oldest = (await session.execute(
                select(func.count(OutboxRow.id), func.min(OutboxRow.created_at))
                .where(OutboxRow.sent_at.is_(None), OutboxRow.failed_at.is_(None))
            )).one()
            given_up = await session.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.failed_at.is_not(None)))
        return Backlog(int(waiting), oldest, int(given_up or 0))

    async def problems(self, limit: int = 20) -> list[DeliveryProblem]:
        """Unsent deliveries whose last attempt failed, the most recently due first."""
        async with self._database.reading() as session:
            rows = await session.scalars(
                select(OutboxRow).where(OutboxRow.sent_at.is_(None), OutboxRow.last_error.is_not(None))
                .order_by(OutboxRow.due_at.desc(), OutboxRow.id.desc()).limit(limit)
            )
            return [DeliveryProblem(row.key, row.recipient, row.attempts, row.last_error or "",
                                    row.failed_at is not None, row.due_at) for row in rows]

    async def pending(self) -> int:
        """How many deliveries are neither sent nor given up."""
        async with self._database.transaction() as session:
            rows = await session.scalars(
                select(OutboxRow.id).where(OutboxRow.sent_at.is_(None), OutboxRow.failed_at.is_(None))
            )
            return len(list(rows))


class OutboxWorker:
    """Sends due deliveries through the running platforms until stopped."""

    def __init__(self, outbox: Outbox, platforms: Mapping[str, ChatPlatform], interval: float = 2.0) -> None:
        self._outbox = outbox
        self._platforms = dict(platforms)
        self._interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop())

    def wake(self) -> None:
        """Look for deliveries now instead of at the next interval."""
        self._wake.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def deliver_due(self) -> int:
        """Send what is due now; returns how many were sent."""
        sent = 0
        while deliveries := await self._outbox.claim(set(self._platforms)):
            for delivery in deliveries:
                platform = self._platforms[platform_of(delivery.recipient)]
                try:
                    await platform.send(
                        ChatId(delivery.recipient), delivery.reply, key=delivery.key, invite=delivery.invite
                    )
                except Exception as error:
                    log.warning("delivery %s to %s failed: %r", delivery.key, delivery.recipient, error)
                    await self._outbox.failed(delivery, repr(error))
                else:
                    await self._outbox.sent(delivery)
                    sent += 1
        return sent

    async def _loop(self) -> None:
        while True:
            try:
                await self.deliver_due()
            except Exception:
                log.exception("outbox delivery round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._interval)
            self._wake.clear()


def reply_to_json(reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = {
        "text": reply.text,
        "choices": [[c.label, c.action] for c in reply.choices],
        "feedback": [[c.label, c.action] for c in reply.feedback],
    }
    if reply.attachment is not None:
        data["attachment"] = {
            "filename": reply.attachment.filename,
            "media_type": reply.attachment.media_type,
            "data": base64.b64encode(reply.attachment.data).decode("ascii"),
        }
    return data


def reply_from_json(data: Mapping[str, Any]) -> Reply:
    attached = data.get("attachment")
    return Reply(
        text=str(data["text"]),
        choices=tuple(Choice(str(label), str(action)) for label, action in data.get("choices", [])),
        feedback=tuple(Choice(str(label), str(action)) for label, action in data.get("feedback", [])),
        attachment=None
        if attached is None
        else Attachment(str(attached["filename"]), str(attached["media_type"]), base64.b64decode(attached["data"])),
    )


RETENTION_CHECK_EVERY = timedelta(hours=1)


class SentMessages:
    """What the outbox keeps about people, and for how long.

    A member's messages (addressed to them, or opening a room with them) are part of their
    `/mydata` and go with `/forget`; delivered and given-up messages are deleted `keep` after
    they were sent or given up (`run_due`, a scheduler job, at most hourly).
    """

    name = "outbox"
    """Its part in a member's `/mydata`, and the name of its job."""

    def __init__(self, database: Database, clock: Callable[[], datetime], keep: timedelta) -> None:
        self._database = database
        self._clock = clock
        self._keep = keep
        self._pruned_at: datetime | None = None

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        async with self._database.reading() as session:
            rows = await self._rows_of(session, person)
            return {"messages": [
                {"text": row.reply.get("text", ""), "queued_at": row.created_at.isoformat(),
                 "sent_at": row.sent_at.isoformat() if row.sent_at else None,
                 "given_up_at": row.failed_at.isoformat() if row.failed_at else None}
                for row in rows
            ]}

    async def forget(self, person: PersonId) -> None:
        async with self._database.transaction() as session:
            for row in await self._rows_of(session, person):
                await session.delete(row)

    async def run_due(self, now: datetime) -> None:
        if self._pruned_at is None or now - self._pruned_at >= RETENTION_CHECK_EVERY:
            pruned = await self.prune(now)
            self._pruned_at = now
            if pruned:
                log.info("deleted %d outbox messages sent or given up more than %s ago", pruned, self._keep)

    async def prune(self, now: datetime) -> int:
        """Delete what was sent or given up before `now - keep`; returns how many."""
        before = now - self._keep
        async with self._database.transaction() as session:
            result = await session.execute(
                delete(OutboxRow).where(or_(OutboxRow.sent_at < before, OutboxRow.failed_at < before))
            )
            return int(getattr(result, "rowcount", 0) or 0)

    @staticmethod
    async def _rows_of(session: AsyncSession, person: str) -> list[OutboxRow]:
        rows = await session.scalars(
            select(OutboxRow)
            .where(or_(OutboxRow.recipient == person, cast(OutboxRow.invite, String).contains(person)))
            .order_by(OutboxRow.id)
        )
        return [row for row in rows if row.recipient == person or person in (row.invite or [])]


async def forget_queued(session: AsyncSession, key_prefix: str) -> None:
    """Delete every message whose key begins with `key_prefix`, sent or not: a feature erasing what it
    queued about someone (their name in another member's introduction)."""
    await session.execute(delete(OutboxRow).where(OutboxRow.key.startswith(key_prefix, autoescape=True)))
