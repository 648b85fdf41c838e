"""Round trip on Matrix: a member's question to the answer arriving at the member's client.

Starts its own Synapse (tests/support/synapse.py), runs Lotse (real core, starter knowledge base,
SQLite) and, as the floor, a plain matrix-nio echo bot, and asks both the same number of questions
in alternation so that both see the same homeserver conditions. Prints p50/p99 per bot; the last
line is one JSON object.

    python bench/matrix_roundtrip.py [--questions 200]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from nio import AsyncClient, MatrixRoom, RoomMessageText  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from adapters.matrix.platform import MatrixPlatform  # noqa: E402
from bot.composition import assemble  # noqa: E402
from bot.config import MatrixSettings, Settings  # noqa: E402
from tests.matrix.members import Member  # noqa: E402
from tests.support.synapse import MatrixUser, new_server  # noqa: E402

QUESTIONS = (
    "Was ist die BundID?",
    "Welchen Passwortmanager sollen wir einsetzen?",
    "Barrierefreiheit",
    "what is BundID",
)
WARM_UP = 10
SETTLE_S = 0.15
"""Pause after each answer, so that Lotse's reactions under it (👍/👎, keycaps) do not slow the
next question, whoever it goes to; a member does not ask the next question within milliseconds."""


class EchoBot:
    """The floor: receives by long-polling sync, answers each text with an m.notice reply."""

    def __init__(self, url: str, user: MatrixUser) -> None:
        self.client = AsyncClient(url, user.user_id)
        self.client.restore_login(user.user_id, user.device_id, user.access_token)
        self.client.add_event_callback(self._echo, RoomMessageText)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.client.sync(timeout=0)
        for room_id in list(self.client.invited_rooms):
            await self.client.join(room_id)
        self.client.add_response_callback(self._join_invites)
        self._task = asyncio.create_task(self.client.sync_forever(timeout=30_000))

    async def _join_invites(self, _response: object) -> None:
        for room_id in list(self.client.invited_rooms):
            await self.client.join(room_id)

    async def _echo(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.client.user_id:
            return
        content = {
            "msgtype": "m.notice",
            "body": event.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        await self.client.room_send(room.room_id, "m.room.message", content)

    async def close(self) -> None:
        if self._task is not None:
            self.client.stop_sync_forever()
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.client.close()


async def round_trip(member: Member, room: str, bot: str, question: str, index: int) -> float:
    started = time.perf_counter()
    await member.say(room, question)
    await member.answer_from(bot, room, after=index, within_s=30)
    return (time.perf_counter() - started) * 1000


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered), 2), "p99_ms": round(p99, 2)}


async def main(count: int) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="lotse-bench-"))
    server = new_server()
    await server.start()
    core = None
    platform = None
    echo = None
    member = None
    try:
        lotse_user = await server.register("lotse")
        echo_user = await server.register("echo")
        core = await assemble(Settings(database={"url": f"sqlite+aiosqlite:///{work}/lotse.db"},
                                       privacy={"key_file": f"{work}/pseudonym.key"},
                                       throttle={"enabled": False}))  # one member asks them all
        settings = MatrixSettings(
            enabled=True,
            homeserver=server.url,
            user_id=lotse_user.user_id,
            password=SecretStr(lotse_user.password),
            store_dir=work / "matrix",
        )
        platform = MatrixPlatform(settings, core.platform_state("matrix"))
        await platform.initialize()
        await platform.start(core.conversation)
        echo = EchoBot(server.url, echo_user)
        await echo.start()
        member = await Member.join_server(server, "anna")
        lotse_room = await member.create_room([lotse_user.user_id], direct=True)
        echo_room = await member.create_room([echo_user.user_id], direct=True)
        await member.wait_joined(lotse_room, lotse_user.user_id)
        await member.wait_joined(echo_room, echo_user.user_id)

        samples: dict[str, list[float]] = {"lotse": [], "echo": []}
        for index in range(count + WARM_UP):
            question = QUESTIONS[index % len(QUESTIONS)]
            bots = [("lotse", lotse_room, lotse_user.user_id), ("echo", echo_room, echo_user.user_id)]
            # Alternate who goes first, so neither always follows the other's traffic.
            for name, room, bot in bots if index % 2 == 0 else reversed(bots):
                elapsed = await round_trip(member, room, bot, question, index)
                await asyncio.sleep(SETTLE_S)
                if index >= WARM_UP:
                    samples[name].append(elapsed)
        lotse_stats = percentiles(samples["lotse"])
        echo_stats = percentiles(samples["echo"])
        return {
            "bench": "matrix_roundtrip",
            "questions": count,
            "lotse": lotse_stats,
            "echo": echo_stats,
            "ratio_p50": round(lotse_stats["p50_ms"] / echo_stats["p50_ms"], 3),
        }
    finally:
        if member is not None:
            await member.close()
        if echo is not None:
            await echo.close()
        if platform is not None:
            await platform.shutdown()
        if core is not None:
            await core.close()
        await server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    result = asyncio.run(main(arguments.questions))
    print(f"lotse p50 {result['lotse']['p50_ms']} ms, p99 {result['lotse']['p99_ms']} ms")  # type: ignore[index]
    print(f"echo  p50 {result['echo']['p50_ms']} ms, p99 {result['echo']['p99_ms']} ms")  # type: ignore[index]
    print(json.dumps(result))
