"""`enqueue_many`, the outbox's way in for many messages at once (digests), keeps `enqueue`'s rules."""

from bot.composition import Lotse
from bot.messages import ChatId, PersonId, Reply
from bot.outbox import OutboxWorker, enqueue, enqueue_many
from tests.support.recording import RecordingPlatform

ROOM = ChatId("console:room")
ANNA = PersonId("console:anna")


async def test_many_are_queued_in_one_go_and_each_is_sent_once(lotse: Lotse) -> None:
    async with lotse.database.transaction() as session:
        queued = await enqueue_many(session, [("digest:room:W48", ROOM, Reply("Raum")),
                                              ("digest:anna:W48", ANNA, Reply("Anna"))], lotse.clock())
    assert queued == 2
    platform = RecordingPlatform()
    assert await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due() == 2
    assert sorted(platform.sent) == [(ANNA, Reply("Anna")), (ROOM, Reply("Raum"))]
    assert platform.keys.count("digest:room:W48") == 1


async def test_a_key_queued_before_is_skipped_as_enqueue_skips_it(lotse: Lotse) -> None:
    async with lotse.database.transaction() as session:
        assert await enqueue(session, "digest:room:W48", ROOM, Reply("first"), lotse.clock())
    async with lotse.database.transaction() as session:
        queued = await enqueue_many(session, [("digest:room:W48", ROOM, Reply("again")),
                                              ("digest:anna:W48", ANNA, Reply("Anna"))], lotse.clock())
    assert queued == 1
    assert await lotse.outbox.pending() == 2
    platform = RecordingPlatform()
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    assert sorted(reply.text for _, reply in platform.sent) == ["Anna", "first"]


async def test_nothing_to_queue_writes_nothing(lotse: Lotse) -> None:
    async with lotse.database.transaction() as session:
        assert await enqueue_many(session, [], lotse.clock()) == 0
    assert await lotse.outbox.pending() == 0
