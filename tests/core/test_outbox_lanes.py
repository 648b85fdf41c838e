"""Outbox lanes and leases: one platform's trouble delays only its own messages, and a message is
sent by one instance only, however long the instance before it took."""

import asyncio
from collections.abc import Sequence

from bot.bindings import ActionBindings
from bot.composition import Lotse
from bot.messages import ChatId, PersonId, Reply
from bot.outbox import Outbox, OutboxWorker, enqueue
from tests.support.core import FakeClock, eventually
from tests.support.recording import RecordingPlatform


async def queue(lotse: Lotse, key: str, recipient: str, text: str = "Hallo") -> None:
    async with lotse.database.transaction() as session:
        await enqueue(session, key, ChatId(recipient), Reply(text), lotse.clock())


class HangingPlatform(RecordingPlatform):
    """A platform whose sends never return, like a Bot API that accepts connections and then says nothing."""

    async def send(self, to: ChatId | PersonId, reply: Reply, key: str | None = None,
                   invite: Sequence[PersonId] = ()) -> None:
        self.attempts += 1
        await asyncio.Event().wait()


class SlowPlatform(RecordingPlatform):
    """Each send takes two minutes of the clock, as when a platform's rate limit makes Lotse wait."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__("console")
        self._clock = clock

    async def send(self, to: ChatId | PersonId, reply: Reply, key: str | None = None,
                   invite: Sequence[PersonId] = ()) -> None:
        self._clock.advance(minutes=2)
        await asyncio.sleep(0)
        await super().send(to, reply, key, invite)


async def test_a_platform_that_does_not_answer_delays_no_other_platform(lotse: Lotse) -> None:
    await queue(lotse, "tg", "telegram:42")
    await queue(lotse, "mx", "matrix:!room:example.org")
    telegram, matrix = HangingPlatform("telegram"), RecordingPlatform("matrix")
    worker = OutboxWorker(lotse.outbox, {"telegram": telegram, "matrix": matrix}, drain=0.1)
    worker.start()
    try:
        await eventually(lambda: matrix.sent, "delivery on Matrix while Telegram hangs", within=5)
    finally:
        await worker.stop()
    assert telegram.attempts == 1


async def test_a_second_instance_never_sends_again_what_a_slow_first_one_is_still_sending(
        lotse: Lotse, clock: FakeClock) -> None:
    for number in range(30):
        await queue(lotse, f"notice:{number}", "console:room", f"Nachricht {number}")
    platform = SlowPlatform(clock)
    first = OutboxWorker(lotse.outbox, {"console": platform})
    second = OutboxWorker(Outbox(lotse.database, clock, ActionBindings(lotse.pseudonyms)), {"console": platform})
    sending = asyncio.create_task(first.deliver_due())
    await eventually(lambda: len(platform.sent) >= 3, "the first instance's first sends")
    await second.deliver_due()
    await sending
    texts = [reply.text for _, reply in platform.sent]
    assert sorted(texts) == sorted(f"Nachricht {number}" for number in range(30))
    assert await lotse.outbox.pending() == 0
