"""The outbox: what Lotse sends on its own is sent once, retried when the platform fails."""

import asyncio

from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.messages import Attachment, ChatId, Reply
from bot.outbox import Outbox, OutboxWorker, enqueue
from tests.support.core import FakeClock
from tests.support.recording import RecordingPlatform

ROOM = ChatId("console:room")


async def queue(lotse: Lotse, key: str, text: str = "Hallo") -> bool:
    async with lotse.database.transaction() as session:
        return await enqueue(session, key, ROOM, Reply(text), lotse.clock())


async def test_a_queued_message_is_sent_once(lotse: Lotse) -> None:
    platform = RecordingPlatform()
    worker = OutboxWorker(lotse.outbox, {"console": platform})
    await queue(lotse, "notice:1")
    assert await worker.deliver_due() == 1
    assert await worker.deliver_due() == 0
    assert platform.sent == [(ROOM, Reply("Hallo"))]


async def test_the_platform_gets_the_key_so_it_can_drop_a_repeat(lotse: Lotse) -> None:
    platform = RecordingPlatform()
    await queue(lotse, "notice:7")
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    assert platform.keys == ["notice:7"]


async def test_the_same_key_is_queued_only_once(lotse: Lotse) -> None:
    assert await queue(lotse, "digest:room:2026-W48")
    assert not await queue(lotse, "digest:room:2026-W48", "again")
    assert await lotse.outbox.pending() == 1


async def test_a_message_queued_in_a_failed_transaction_is_not_sent(lotse: Lotse) -> None:
    try:
        async with lotse.database.transaction() as session:
            await enqueue(session, "lost", ROOM, Reply("x"), lotse.clock())
            raise RuntimeError("the change that caused it failed")
    except RuntimeError:
        pass
    assert await lotse.outbox.pending() == 0


async def test_a_failed_send_is_retried_after_a_backoff(lotse: Lotse, clock: FakeClock) -> None:
    platform = RecordingPlatform(failures=1)
    worker = OutboxWorker(lotse.outbox, {"console": platform})
    await queue(lotse, "notice:1")
    assert await worker.deliver_due() == 0
    assert await worker.deliver_due() == 0
    clock.advance(seconds=6)
    assert await worker.deliver_due() == 1
    assert len(platform.sent) == 1


async def test_a_delivery_claimed_by_a_crashed_worker_is_sent_after_its_lease(lotse: Lotse, clock: FakeClock) -> None:
    await queue(lotse, "notice:1")
    assert len(await Outbox(lotse.database, clock, ActionBindings(lotse.pseudonyms)).claim({"console"})) == 1
    platform = RecordingPlatform()
    worker = OutboxWorker(lotse.outbox, {"console": platform})
    assert await worker.deliver_due() == 0
    clock.advance(minutes=6)
    assert await worker.deliver_due() == 1


async def test_messages_for_a_platform_that_is_not_running_wait(lotse: Lotse) -> None:
    async with lotse.database.transaction() as session:
        await enqueue(session, "tg", ChatId("telegram:42"), Reply("x"), lotse.clock())
    assert await OutboxWorker(lotse.outbox, {"console": RecordingPlatform()}).deliver_due() == 0
    assert await lotse.outbox.pending() == 1


async def test_two_workers_never_send_the_same_message_twice(lotse: Lotse) -> None:
    platform = RecordingPlatform()
    for number in range(40):
        await queue(lotse, f"notice:{number}")
    workers = [OutboxWorker(lotse.outbox, {"console": platform}) for _ in range(2)]
    await asyncio.gather(*(worker.deliver_due() for worker in workers))
    assert sorted(reply.text for _, reply in platform.sent) == ["Hallo"] * 40


async def test_an_attachment_survives_the_outbox(lotse: Lotse) -> None:
    platform = RecordingPlatform()
    calendar = Attachment("termin.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    async with lotse.database.transaction() as session:
        await enqueue(session, "ics:1", ROOM, Reply("Ihr Termin", attachment=calendar), lotse.clock())
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    assert platform.sent == [(ROOM, Reply("Ihr Termin", attachment=calendar))]
