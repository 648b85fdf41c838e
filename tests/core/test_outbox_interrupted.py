"""A send cut off by a crash: where the platform cannot drop a repeat, members never get the message
twice (it waits for an operator); where it can, it is sent again under the same key."""

from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.messages import ChatId, Reply
from bot.outbox import Outbox, OutboxWorker, enqueue
from tests.support.core import FakeClock
from tests.support.recording import RecordingPlatform

ROOM = ChatId("console:room")


async def crash_mid_send(lotse: Lotse, clock: FakeClock) -> None:
    """Another instance claims the message, records that it sends it, and dies before it records more."""
    async with lotse.database.transaction() as session:
        await enqueue(session, "digest:room:2026-W48", ROOM, Reply("Digest"), lotse.clock())
    crashed = Outbox(lotse.database, clock, ActionBindings(lotse.pseudonyms))
    [delivery] = await crashed.claim({"console"})
    assert await crashed.begin(delivery)
    clock.advance(minutes=6)


async def test_a_cut_off_send_is_not_repeated_where_the_platform_cannot_drop_repeats(
        lotse: Lotse, clock: FakeClock) -> None:
    await crash_mid_send(lotse, clock)
    platform = RecordingPlatform()
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    assert platform.attempts == 0


async def test_a_cut_off_send_is_listed_as_interrupted(lotse: Lotse, clock: FakeClock) -> None:
    await crash_mid_send(lotse, clock)
    await OutboxWorker(lotse.outbox, {"console": RecordingPlatform()}).deliver_due()
    assert [(m.key, m.state) for m in await lotse.outbox.listing("interrupted")] == [
        ("digest:room:2026-W48", "interrupted")]
    assert (await lotse.outbox.backlog()).interrupted == 1


async def test_an_operator_can_send_an_interrupted_message_again(lotse: Lotse, clock: FakeClock) -> None:
    await crash_mid_send(lotse, clock)
    platform = RecordingPlatform()
    worker = OutboxWorker(lotse.outbox, {"console": platform})
    await worker.deliver_due()
    await lotse.outbox.requeue("cli:test", platform="console")
    await worker.deliver_due()
    assert [reply.text for _, reply in platform.sent] == ["Digest"]


async def test_a_cut_off_send_is_repeated_with_its_key_where_the_platform_drops_repeats(
        lotse: Lotse, clock: FakeClock) -> None:
    await crash_mid_send(lotse, clock)
    platform = RecordingPlatform(idempotent=True)
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    assert platform.keys == ["digest:room:2026-W48"]


async def test_a_send_in_flight_is_left_alone_while_its_lease_lasts(lotse: Lotse, clock: FakeClock) -> None:
    async with lotse.database.transaction() as session:
        await enqueue(session, "notice:1", ROOM, Reply("Hallo"), lotse.clock())
    sending = Outbox(lotse.database, clock, ActionBindings(lotse.pseudonyms))
    [delivery] = await sending.claim({"console"})
    assert await sending.begin(delivery)
    clock.advance(minutes=2)
    platform = RecordingPlatform(idempotent=True)
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    assert platform.attempts == 0 and await lotse.outbox.listing("interrupted") == []


async def test_an_instance_that_lost_the_lease_does_not_send(lotse: Lotse, clock: FakeClock) -> None:
    async with lotse.database.transaction() as session:
        await enqueue(session, "notice:1", ROOM, Reply("Hallo"), lotse.clock())
    slow = Outbox(lotse.database, clock, ActionBindings(lotse.pseudonyms))
    [late] = await slow.claim({"console"})
    clock.advance(minutes=6)
    assert len(await lotse.outbox.claim({"console"})) == 1
    assert not await slow.begin(late)
