"""The outbox: everything Lotse sends on its own, written in the transaction that caused it.

Each platform has a lane of its own on every instance, so one platform's outage or slowness delays
only its own messages. A lane claims a few due messages at a time (`FOR UPDATE SKIP LOCKED` on
PostgreSQL) under a lease held in its instance's name, renews the lease while it sends, and sends a
message only while it still holds the lease. Before the send it records "sending" (committed); a
message found "sending" by nobody (its instance died mid-send) is sent again with the same key where
the platform drops repeats (Matrix transaction ids) and is otherwise set aside as interrupted for an
operator to requeue, so members never get it twice. A recipient the platform says can never be
reached fails at once; other errors are retried with capped backoff until a configurable age.
A unique key per message makes enqueueing the same notice twice a no-op.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import JSON, Integer, String, Text, cast, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from bot import audit
from bot.bindings import ActionBindings
from bot.health import HealthReporter, State
from bot.messages import (
    Attachment,
    ChatId,
    ChatPlatform,
    Choice,
    PersonId,
    RecipientElsewhere,
    RecipientUnreachable,
    Reply,
)
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
RENEW_EVERY = LEASE / 3
"""A lane renews the lease of the message it is sending this often, so a slow send keeps it."""
BATCH = 10
"""Messages a lane claims at once: few, so the ones waiting behind a slow send are not held long."""
FIRST_BACKOFF = timedelta(seconds=5)
MAX_BACKOFF = timedelta(minutes=10)
"""The longest pause between two attempts, so deliveries resume soon after an outage ends."""
GIVE_UP_AFTER = timedelta(days=3)
"""How long a message is retried before it is failed (`outbox.give_up_after_hours`)."""
ELSEWHERE_PAUSE = timedelta(minutes=1)
"""How long a message for a recipient served by another instance waits before this one looks again."""
INTERRUPTED = ("interrupted: the instance sending it stopped before it recorded whether the platform got it; "
               "not sent again on its own, so nobody gets it twice (lotse outbox requeue sends it again)")


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
    lease_holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The `Outbox` (one per instance) whose lease it is; only the holder may send or record a failure."""
    sending_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """Committed just before the send; still set after a crash means nobody knows whether it arrived."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    interrupted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """Set aside after a crash mid-send on a platform that cannot drop repeats; waits for a requeue."""
    requeued_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    """When an operator last requeued it; its give-up age counts from then."""


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
    """What waits in the outbox: how many, since when, how many were given up and how many interrupted."""

    waiting: int
    oldest: datetime | None
    given_up: int
    interrupted: int = 0


@dataclass(frozen=True)
class DeliveryProblem:
    """A delivery whose last attempt failed, for operators."""

    key: str
    recipient: str
    attempts: int
    error: str
    given_up: bool
    next_attempt: datetime
    id: int = 0
    interrupted: bool = False


MessageState = Literal["waiting", "sending", "sent", "failed", "interrupted"]


@dataclass(frozen=True)
class QueuedMessage:
    """One message as `lotse outbox list` shows it."""

    id: int
    key: str
    recipient: str
    state: MessageState
    attempts: int
    error: str
    created_at: datetime
    due_at: datetime


def _unsettled() -> ColumnElement[bool]:
    """Neither sent, nor failed, nor set aside after a crash."""
    return (OutboxRow.sent_at.is_(None) & OutboxRow.failed_at.is_(None)
            & OutboxRow.interrupted_at.is_(None))


def _on(platforms: Collection[str]) -> ColumnElement[bool]:
    return or_(*(OutboxRow.recipient.startswith(f"{platform}:", autoescape=True) for platform in platforms))


def _state(row: OutboxRow) -> MessageState:
    if row.sent_at is not None:
        return "sent"
    if row.failed_at is not None:
        return "failed"
    if row.interrupted_at is not None:
        return "interrupted"
    return "sending" if row.sending_at is not None else "waiting"


class Outbox:
    """Claims due deliveries under this instance's lease and records how they went."""

    def __init__(self, database: Database, clock: Callable[[], datetime], bindings: ActionBindings,
                 give_up_after: timedelta = GIVE_UP_AFTER, holder: str | None = None) -> None:
        self._database = database
        self._clock = clock
        self._bindings = bindings
        self._give_up_after = give_up_after
        self.holder = holder or secrets.token_hex(8)
        """Names this outbox in the leases it takes; another `Outbox` never sends what this one holds."""

    async def claim(self, platforms: Collection[str], limit: int = BATCH) -> list[Delivery]:
        """Lease up to `limit` due deliveries for the given platforms; other instances skip them."""
        now = self._clock()
        async with self._database.transaction() as session:
            rows = list(
                await session.scalars(
                    select(OutboxRow)
                    .where(
                        _unsettled(),
                        OutboxRow.sending_at.is_(None),
                        OutboxRow.due_at <= now,
                        or_(OutboxRow.leased_until.is_(None), OutboxRow.leased_until < now),
                        _on(platforms),
                    )
                    .order_by(OutboxRow.due_at, OutboxRow.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            for row in rows:
                row.leased_until, row.lease_holder = now + LEASE, self.holder
            # Choices act for the recipient only (see bot.bindings).
            return [
                Delivery(row.id, row.key, row.recipient, self._bindings.bind(reply_from_json(row.reply), row.recipient),
                         tuple(PersonId(person) for person in row.invite or ()))
                for row in rows
            ]

    async def begin(self, delivery: Delivery) -> bool:
        """Record (committed) that the send starts now; False if this outbox no longer holds the lease,
        and then it must not send: another instance may have it."""
        now = self._clock()
        async with self._database.transaction() as session:
            result = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == delivery.id, OutboxRow.lease_holder == self.holder, _unsettled(),
                       OutboxRow.sending_at.is_(None))
                .values(sending_at=now, leased_until=now + LEASE)
            )
            return _count(result) == 1

    async def renew(self, deliveries: Sequence[Delivery]) -> None:
        """Extend the leases this outbox still holds on `deliveries`."""
        if not deliveries:
            return
        now = self._clock()
        async with self._database.transaction() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_([delivery.id for delivery in deliveries]),
                       OutboxRow.lease_holder == self.holder, _unsettled())
                .values(leased_until=now + LEASE)
            )

    async def release(self, deliveries: Sequence[Delivery]) -> None:
        """Give back leases on deliveries not begun (a lane stopping), so another instance may send them now."""
        if not deliveries:
            return
        async with self._database.transaction() as session:
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_([delivery.id for delivery in deliveries]),
                       OutboxRow.lease_holder == self.holder, OutboxRow.sending_at.is_(None), _unsettled())
                .values(leased_until=None, lease_holder=None)
            )

    async def recover(self, platform: str, resend: bool) -> int:
        """Deal with deliveries whose send was cut off (their holder died mid-send and the lease ran out):
        with `resend` (the platform drops repeats of a key) they are sent again; otherwise they are set
        aside as interrupted. Returns how many."""
        now = self._clock()
        cut_off = (_unsettled() & OutboxRow.sending_at.is_not(None) & _on([platform])
                   & or_(OutboxRow.leased_until.is_(None), OutboxRow.leased_until < now))
        async with self._database.reading() as session:
            # Looked for outside the writers' queue: there is nothing to do in almost every round.
            if await session.scalar(select(OutboxRow.id).where(cut_off).limit(1)) is None:
                return 0
        async with self._database.transaction() as session:
            rows = list(await session.scalars(
                select(OutboxRow).where(cut_off).order_by(OutboxRow.id).with_for_update(skip_locked=True)
            ))
            for row in rows:
                row.sending_at, row.leased_until, row.lease_holder = None, None, None
                if resend:
                    log.warning("sending %s to %s again with the same key: its sender stopped mid-send",
                                row.key, row.recipient)
                else:
                    row.interrupted_at, row.last_error = now, INTERRUPTED
                    log.error("delivery %d (%s to %s) was interrupted mid-send; not sending it again on its own",
                              row.id, row.key, row.recipient)
            return len(rows)

    async def sent(self, delivery: Delivery) -> None:
        """Record the delivery as sent, whoever holds it now: the platform has it."""
        async with self._database.transaction() as session:
            row = await session.get(OutboxRow, delivery.id, with_for_update=True)
            if row is not None and row.sent_at is None:
                row.sent_at = self._clock()
                row.leased_until, row.lease_holder, row.sending_at = None, None, None
                row.failed_at, row.interrupted_at = None, None

    async def failed(self, delivery: Delivery, error: str) -> None:
        """Try again later with capped exponential backoff; give up once the message is older than
        the give-up age."""
        now = self._clock()
        async with self._database.transaction() as session:
            row = await self._held(session, delivery)
            if row is None:
                return
            row.attempts += 1
            row.last_error = error[:2000]
            row.leased_until, row.lease_holder, row.sending_at = None, None, None
            if now - (row.requeued_at or row.created_at) >= self._give_up_after:
                row.failed_at = now
                log.error("giving up on %s to %s after %d attempts over %s: %s", row.key, row.recipient,
                          row.attempts, self._give_up_after, error)
            else:
                row.due_at = now + min(FIRST_BACKOFF * 2 ** min(row.attempts - 1, 20), MAX_BACKOFF)

    async def unreachable(self, delivery: Delivery, reason: str) -> None:
        """Fail the delivery at once: the platform says this recipient can never get it."""
        async with self._database.transaction() as session:
            row = await self._held(session, delivery)
            if row is None:
                return
            row.attempts += 1
            row.last_error = f"unreachable: {reason}"[:2000]
            row.failed_at = self._clock()
            row.leased_until, row.lease_holder, row.sending_at = None, None, None
            log.warning("delivery %s to %s failed for good: %s", row.key, row.recipient, reason)

    async def elsewhere(self, delivery: Delivery) -> None:
        """Leave the delivery for the instance that serves its recipient: no attempt counted, no give-up."""
        async with self._database.transaction() as session:
            row = await self._held(session, delivery)
            if row is None:
                return
            row.due_at = self._clock() + ELSEWHERE_PAUSE
            row.leased_until, row.lease_holder, row.sending_at = None, None, None

    async def _held(self, session: AsyncSession, delivery: Delivery) -> OutboxRow | None:
        row = await session.get(OutboxRow, delivery.id, with_for_update=True)
        if row is None or row.lease_holder != self.holder or row.sent_at is not None:
            return None
        return row

    async def backlog(self) -> Backlog:
        async with self._database.reading() as session:
            waiting, oldest = (await session.execute(
                select(func.count(OutboxRow.id), func.min(OutboxRow.created_at)).where(_unsettled())
            )).one()
            given_up = await session.scalar(select(func.count(OutboxRow.id)).where(OutboxRow.failed_at.is_not(None)))
            interrupted = await session.scalar(
                select(func.count(OutboxRow.id)).where(OutboxRow.interrupted_at.is_not(None)))
        return Backlog(int(waiting), oldest, int(given_up or 0), int(interrupted or 0))

    async def troubles(self, platform: str) -> tuple[int, int]:
        """How many of the platform's deliveries were failed for good, and how many interrupted."""
        async with self._database.reading() as session:
            failed, interrupted = (await session.execute(
                select(func.count(OutboxRow.failed_at), func.count(OutboxRow.interrupted_at))
                .where(OutboxRow.sent_at.is_(None), _on([platform]))
            )).one()
        return int(failed or 0), int(interrupted or 0)

    async def problems(self, limit: int = 20) -> list[DeliveryProblem]:
        """Unsent deliveries whose last attempt failed or was interrupted, the most recently due first."""
        async with self._database.reading() as session:
            rows = await session.scalars(
                select(OutboxRow).where(OutboxRow.sent_at.is_(None), OutboxRow.last_error.is_not(None))
                .order_by(OutboxRow.due_at.desc(), OutboxRow.id.desc()).limit(limit)
            )
            return [DeliveryProblem(row.key, row.recipient, row.attempts, row.last_error or "",
                                    row.failed_at is not None, row.due_at, row.id, row.interrupted_at is not None)
                    for row in rows]

    async def listing(self, state: Literal["failed", "interrupted"] | None = None,
                      limit: int = 1000) -> list[QueuedMessage]:
        """Unsent messages (only failed or only interrupted ones, if asked), oldest first."""
        query = select(OutboxRow).where(OutboxRow.sent_at.is_(None))
        if state == "failed":
            query = query.where(OutboxRow.failed_at.is_not(None))
        elif state == "interrupted":
            query = query.where(OutboxRow.interrupted_at.is_not(None))
        async with self._database.reading() as session:
            rows = await session.scalars(query.order_by(OutboxRow.id).limit(limit))
            return [QueuedMessage(row.id, row.key, row.recipient, _state(row), row.attempts, row.last_error or "",
                                  row.created_at, row.due_at) for row in rows]

    async def requeue(self, by: str, ids: Collection[int] = (), platform: str | None = None) -> list[int]:
        """Send failed and interrupted messages again (those with `ids`, or all of `platform`, or both
        narrowed together), each recorded in the audit log; returns the ids requeued."""
        now = self._clock()
        query = select(OutboxRow).where(
            OutboxRow.sent_at.is_(None), or_(OutboxRow.failed_at.is_not(None), OutboxRow.interrupted_at.is_not(None)))
        if ids:
            query = query.where(OutboxRow.id.in_(list(ids)))
        if platform is not None:
            query = query.where(_on([platform]))
        async with self._database.transaction() as session:
            rows = list(await session.scalars(query.order_by(OutboxRow.id).with_for_update()))
            for row in rows:
                before = {"state": _state(row), "attempts": row.attempts, "error": row.last_error}
                row.failed_at, row.interrupted_at, row.sending_at = None, None, None
                row.leased_until, row.lease_holder = None, None
                row.attempts, row.due_at, row.requeued_at = 0, now, now
                await audit.record(session, now, by, "outbox.requeue", f"outbox:{row.id}", before,
                                   {"state": "waiting", "key": row.key, "recipient": row.recipient})
            return [row.id for row in rows]

    async def pending(self) -> int:
        """How many deliveries are neither sent nor given up nor interrupted."""
        async with self._database.reading() as session:
            return int(await session.scalar(select(func.count(OutboxRow.id)).where(_unsettled())) or 0)


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


class OutboxLane:
    """One platform's deliveries, sent one after another and apart from every other platform's."""

    def __init__(self, outbox: Outbox, name: str, platform: ChatPlatform, health: HealthReporter | None,
                 stopping: asyncio.Event) -> None:
        self.name = name
        self._outbox = outbox
        self._platform = platform
        self._health = health
        self._stopping = stopping
        self.wake = asyncio.Event()
        self._troubled: str | None = None

    @property
    def component(self) -> str:
        return f"outbox:{self.name}"

    async def deliver_due(self) -> int:
        """Send what is due now on this platform; returns how many were sent."""
        await self._outbox.recover(self.name, resend=self._platform.capabilities.idempotent_sends)
        sent = 0
        while not self._stopping.is_set() and (batch := await self._outbox.claim([self.name])):
            for position, delivery in enumerate(batch):
                if self._stopping.is_set():
                    await self._outbox.release(batch[position:])
                    return sent
                outcome = await self._deliver(delivery, batch[position + 1:])
                if outcome is None:
                    # The platform is in trouble: try the others again next round, not all of them now.
                    await self._outbox.release(batch[position + 1:])
                    return sent
                sent += outcome
        return sent

    async def run(self, interval: float) -> None:
        while not self._stopping.is_set():
            try:
                await self.deliver_due()
                await self.report()
            except Exception as error:
                log.exception("outbox delivery round for %s failed", self.name)
                self._report(State.DEGRADED, f"delivery round failed: {error!r}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=interval)
            self.wake.clear()

    async def _deliver(self, delivery: Delivery, waiting: Sequence[Delivery]) -> int | None:
        """1 if sent, 0 if not (the recipient is unreachable, the lease passed on), None if the send
        failed and will be retried."""
        if not await self._outbox.begin(delivery):
            log.info("delivery %s: the lease passed to another instance, which sends it", delivery.key)
            return 0
        try:
            async with self._renewing([delivery, *waiting]):
                await self._platform.send(ChatId(delivery.recipient), delivery.reply, key=delivery.key,
                                          invite=delivery.invite)
        except RecipientUnreachable as error:
            await self._outbox.unreachable(delivery, str(error) or type(error).__name__)
            return 0
        except RecipientElsewhere:
            await self._outbox.elsewhere(delivery)
            return 0
        except Exception as error:
            log.warning("delivery %s to %s failed: %r", delivery.key, delivery.recipient, error)
            await self._outbox.failed(delivery, repr(error))
            self._troubled = f"last send failed, retrying: {error!r}"[:300]
            return None
        await self._outbox.sent(delivery)
        self._troubled = None
        return 1

    @contextlib.asynccontextmanager
    async def _renewing(self, deliveries: Sequence[Delivery]) -> AsyncIterator[None]:
        """Keep the leases of the message in flight and those waiting behind it while the send lasts."""
        async def renew() -> None:
            while True:
                await asyncio.sleep(RENEW_EVERY.total_seconds())
                try:
                    await self._outbox.renew(deliveries)
                except Exception as error:
                    log.warning("could not renew the outbox leases for %s: %r", self.name, error)

        task = asyncio.create_task(renew(), name=f"{self.component}-lease")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def report(self) -> None:
        """Tell the health board how the lane does, with its failed and interrupted messages."""
        if self._health is None:
            return
        if self._troubled is not None:
            self._report(State.DEGRADED, self._troubled)
            return
        failed, interrupted = await self._outbox.troubles(self.name)
        detail = "" if not (failed or interrupted) else (
            f"{failed} failed, {interrupted} interrupted (lotse outbox list; lotse outbox requeue)")
        self._report(State.RUNNING, detail)

    def stopped(self) -> None:
        """The lane ended on purpose (its worker was stopped or rebuilt for other platforms)."""
        self._report(State.STOPPED, "")

    def _report(self, state: State, detail: str) -> None:
        if self._health is not None:
            self._health.report(self.component, state, detail)


class OutboxWorker:
    """Sends due deliveries through the running platforms until stopped, one lane per platform."""

    def __init__(self, outbox: Outbox, platforms: Mapping[str, ChatPlatform], interval: float = 2.0,
                 health: HealthReporter | None = None, drain: float = 10.0) -> None:
        self._stopping = asyncio.Event()
        self._lanes = {name: OutboxLane(outbox, name, platform, health, self._stopping)
                       for name, platform in platforms.items()}
        self._interval = interval
        self._drain = drain
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(lane.run(self._interval), name=lane.component)
                       for lane in self._lanes.values()]

    def wake(self) -> None:
        """Look for deliveries now instead of at the next interval."""
        for lane in self._lanes.values():
            lane.wake.set()

    async def stop(self) -> None:
        """Let each lane finish the send in flight (up to `drain` seconds), then stop it."""
        self._stopping.set()
        self.wake()
        if not self._tasks:
            return
        _, unfinished = await asyncio.wait(self._tasks, timeout=self._drain)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for lane in self._lanes.values():
            lane.stopped()

    async def deliver_due(self) -> int:
        """Send what is due now on every platform, the lanes side by side; returns how many were sent."""
        return sum(await asyncio.gather(*(lane.deliver_due() for lane in self._lanes.values())))


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
