"""Outbox failures: a recipient that can never be reached fails at once, an outage is waited out for
as long as configured, and an operator can requeue what was failed."""

from datetime import UTC, datetime

from bot.composition import Lotse
from bot.health import ComponentHealth, HealthBoard, State
from bot.messages import ChatId, RecipientElsewhere, RecipientUnreachable, Reply
from bot.outbox import OutboxWorker, enqueue
from tests.support.core import FakeClock, eventually
from tests.support.recording import RecordingPlatform

ROOM = ChatId("console:room")


async def queue(lotse: Lotse, key: str = "notice:1") -> None:
    async with lotse.database.transaction() as session:
        await enqueue(session, key, ROOM, Reply("Hallo"), lotse.clock())


async def test_a_recipient_who_blocked_lotse_is_not_tried_again(lotse: Lotse, clock: FakeClock) -> None:
    platform = RecordingPlatform(error=RecipientUnreachable("the member blocked the bot"))
    worker = OutboxWorker(lotse.outbox, {"console": platform})
    await queue(lotse)
    await worker.deliver_due()
    clock.advance(hours=1)
    await worker.deliver_due()
    assert platform.attempts == 1


async def test_an_unreachable_recipient_is_reported_with_its_reason(lotse: Lotse) -> None:
    await queue(lotse)
    platform = RecordingPlatform(error=RecipientUnreachable("the member blocked the bot"))
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    [problem] = await lotse.outbox.problems()
    assert problem.given_up and "the member blocked the bot" in problem.error


async def test_a_six_hour_outage_loses_nothing(lotse: Lotse, clock: FakeClock) -> None:
    platform = RecordingPlatform(failures=1_000_000)
    worker = OutboxWorker(lotse.outbox, {"console": platform})
    await queue(lotse)
    for _ in range(36):
        await worker.deliver_due()
        clock.advance(minutes=10)
    platform.failures = 0
    await worker.deliver_due()
    assert [reply.text for _, reply in platform.sent] == ["Hallo"]


async def test_retries_are_never_more_than_ten_minutes_apart(lotse: Lotse, clock: FakeClock) -> None:
    platform = RecordingPlatform(failures=1_000_000)
    worker = OutboxWorker(lotse.outbox, {"console": platform})
    await queue(lotse)
    for _ in range(12 * 6):
        await worker.deliver_due()
        clock.advance(minutes=10)
    assert platform.attempts >= 60


async def test_a_message_is_failed_after_the_give_up_age(lotse: Lotse, clock: FakeClock) -> None:
    worker = OutboxWorker(lotse.outbox, {"console": RecordingPlatform(failures=1_000_000)})
    await queue(lotse)
    for _ in range(7 * 3):
        await worker.deliver_due()
        clock.advance(hours=4)
    assert [message.state for message in await lotse.outbox.listing("failed")] == ["failed"]


async def test_a_requeued_message_is_sent(lotse: Lotse) -> None:
    await queue(lotse)
    await OutboxWorker(lotse.outbox, {"console": RecordingPlatform(error=RecipientUnreachable("blocked"))}
                       ).deliver_due()
    [message] = await lotse.outbox.listing("failed")
    assert await lotse.outbox.requeue("cli:test", ids=[message.id]) == [message.id]
    platform = RecordingPlatform()
    await OutboxWorker(lotse.outbox, {"console": platform}).deliver_due()
    assert [reply.text for _, reply in platform.sent] == ["Hallo"]


async def test_a_requeue_is_in_the_audit_log(lotse: Lotse) -> None:
    await queue(lotse)
    await OutboxWorker(lotse.outbox, {"console": RecordingPlatform(error=RecipientUnreachable("blocked"))}
                       ).deliver_due()
    [requeued] = await lotse.outbox.requeue("cli:operator", platform="console")
    [record] = await lotse.audit_log.records(subject=f"outbox:{requeued}")
    assert (record.actor, record.action, record.before["state"]) == ("cli:operator", "outbox.requeue", "failed")


async def test_requeueing_by_platform_leaves_other_platforms_alone(lotse: Lotse) -> None:
    async with lotse.database.transaction() as session:
        await enqueue(session, "tg", ChatId("telegram:42"), Reply("x"), lotse.clock())
        await enqueue(session, "mx", ChatId("matrix:!r:example.org"), Reply("y"), lotse.clock())
    unreachable = RecipientUnreachable("gone")
    await OutboxWorker(lotse.outbox, {"telegram": RecordingPlatform("telegram", error=unreachable),
                                      "matrix": RecordingPlatform("matrix", error=unreachable)}).deliver_due()
    await lotse.outbox.requeue("cli:test", platform="matrix")
    assert [message.recipient for message in await lotse.outbox.listing("failed")] == ["telegram:42"]


async def test_the_lane_shows_its_failed_messages_on_the_health_board(lotse: Lotse, clock: FakeClock) -> None:
    board = HealthBoard(clock)
    await queue(lotse)
    worker = OutboxWorker(lotse.outbox, {"console": RecordingPlatform(error=RecipientUnreachable("blocked"))},
                          health=board, drain=1)
    worker.start()
    try:
        await eventually(lambda: "1 failed" in lane_of(board).detail, "the failed message on the board", within=10)
        assert lane_of(board).state is State.RUNNING
    finally:
        await worker.stop()


def lane_of(board: HealthBoard) -> ComponentHealth:
    return next((part for part in board.current() if part.component == "outbox:console"),
                ComponentHealth("outbox:console", State.STARTING, "", datetime.now(UTC)))


async def test_a_message_for_a_recipient_served_elsewhere_waits_for_them_without_being_failed(
        lotse: Lotse, clock: FakeClock) -> None:
    await queue(lotse)
    elsewhere = RecordingPlatform(error=RecipientElsewhere("console:room is not at this terminal"))
    for _ in range(5):
        await OutboxWorker(lotse.outbox, {"console": elsewhere}).deliver_due()
        clock.advance(days=1)
    assert await lotse.outbox.problems() == []
    their_terminal = RecordingPlatform()
    assert await OutboxWorker(lotse.outbox, {"console": their_terminal}).deliver_due() == 1
    assert their_terminal.sent == [(ROOM, Reply("Hallo"))]
