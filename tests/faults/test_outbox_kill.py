"""kill -9 of the instance delivering a digest, after the platform got it and before the outbox
recorded it: members get the digest once, and the outbox says what happened."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from bot.bindings import ActionBindings
from bot.composition import utc_now
from bot.messages import ChatId, PersonId, Reply
from bot.outbox import Outbox, OutboxWorker, enqueue
from bot.privacy import Pseudonyms
from bot.storage.database import Database
from tests.support.core import TEST_KEY
from tests.support.recording import RecordingPlatform

ROOT = Path(__file__).resolve().parents[2]
ROOM = ChatId("telegram:-1001234")
KEY = "digest:room:telegram:-1001234:2026-W49"


class KilledAfterSending(RecordingPlatform):
    """Delivers to a file the test reads as the members' chat, then the process dies with SIGKILL."""

    def __init__(self, received: Path) -> None:
        super().__init__("telegram")
        self._received = received

    async def send(self, to: ChatId | PersonId, reply: Reply, key: str | None = None,
                   invite: Sequence[PersonId] = ()) -> None:
        with self._received.open("a", encoding="utf-8") as chat:
            chat.write(f"{key}\t{reply.text}\n")
            chat.flush()
            os.fsync(chat.fileno())
        os.kill(os.getpid(), signal.SIGKILL)


def bindings() -> ActionBindings:
    return ActionBindings(Pseudonyms(bytes.fromhex(TEST_KEY)))


async def deliver_and_die(url: str, received: Path) -> None:
    """The instance that is killed: its outbox worker sends the digest and dies before recording it."""
    database = Database(url)
    await OutboxWorker(Outbox(database, utc_now, bindings()), {"telegram": KilledAfterSending(received)}).deliver_due()


async def killed_mid_delivery(database: Database, received: Path) -> None:
    async with database.transaction() as session:
        await enqueue(session, KEY, ROOM, Reply("Neue Ressourcen der Woche"), utc_now())
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.faults.test_outbox_kill", database.url, str(received), cwd=ROOT)
    async with asyncio.timeout(60):
        assert await process.wait() == -signal.SIGKILL


def after_the_lease(database: Database) -> Outbox:
    """The instance that takes over once the killed one's lease has run out."""
    return Outbox(database, lambda: utc_now() + timedelta(minutes=6), bindings())


async def test_a_digest_sent_before_a_kill_reaches_members_once(database: Database, tmp_path: Path) -> None:
    received = tmp_path / "chat.txt"
    await killed_mid_delivery(database, received)
    platform = RecordingPlatform("telegram")
    later = after_the_lease(database)
    await OutboxWorker(later, {"telegram": platform}).deliver_due()
    assert len(received.read_text(encoding="utf-8").splitlines()) + len(platform.sent) == 1


async def test_a_digest_cut_off_by_a_kill_is_reported_as_interrupted(database: Database, tmp_path: Path) -> None:
    await killed_mid_delivery(database, tmp_path / "chat.txt")
    later = after_the_lease(database)
    await OutboxWorker(later, {"telegram": RecordingPlatform("telegram")}).deliver_due()
    assert [message.key for message in await later.listing("interrupted")] == [KEY]


async def test_where_the_platform_drops_repeats_the_digest_is_sent_again_with_its_key(
        database: Database, tmp_path: Path) -> None:
    received = tmp_path / "chat.txt"
    await killed_mid_delivery(database, received)
    platform = RecordingPlatform("telegram", idempotent=True)
    later = after_the_lease(database)
    await OutboxWorker(later, {"telegram": platform}).deliver_due()
    first_key = received.read_text(encoding="utf-8").split("\t")[0]
    assert platform.keys == [first_key] and await later.pending() == 0


if __name__ == "__main__":
    asyncio.run(deliver_and_die(sys.argv[1], Path(sys.argv[2])))
