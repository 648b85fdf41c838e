"""`lotse run` with a Matrix configuration, killed with SIGKILL at random points while a member
asks: after the restarts every question has its answer, and no answer came twice."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.matrix import conftest as matrix_fixtures
from tests.matrix.conftest import NewMember
from tests.support.synapse import SynapseServer

new_member = matrix_fixtures.new_member

QUESTIONS = 9
KILLS = 3


def config(synapse: SynapseServer, user_id: str, password: str, directory: Path) -> Path:
    path = directory / "lotse.toml"
    path.write_text(f"""
[database]
url = "sqlite+aiosqlite:///{directory}/lotse.db"

[privacy]
key_file = "{directory}/pseudonym.key"

[throttle]
enabled = false

[web]
enabled = false

[lease]
seconds = 10

[matrix]
enabled = true
homeserver = "{synapse.url}"
user_id = "{user_id}"
password = "{password}"
store_dir = "{directory}/matrix-store"
""")
    return path


LotseProcess = Callable[[], subprocess.Popen[bytes]]


@pytest.fixture
async def lotse_process(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[tuple[str, LotseProcess]]:
    user = await synapse.register("lotse")
    path = config(synapse, user.user_id, user.password, tmp_path)
    started: list[subprocess.Popen[bytes]] = []
    log = (tmp_path / "lotse.log").open("ab")

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(path), "run"],
                                   stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy(), cwd=tmp_path)
        started.append(process)
        return process

    yield user.user_id, start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
    log.close()


def replies_to(event: Any) -> str | None:
    relates = event.source.get("content", {}).get("m.relates_to", {})
    reply = relates.get("m.in_reply_to") if isinstance(relates, dict) else None
    return reply.get("event_id") if isinstance(reply, dict) else None


async def test_kill_9_at_random_points_neither_loses_nor_doubles_an_answer(
    lotse_process: tuple[str, LotseProcess], new_member: NewMember
) -> None:
    lotse_id, start = lotse_process
    chance = random.Random(13)
    process = start()
    anna = await new_member("anna")
    room = await anna.create_room([lotse_id], direct=True)
    await anna.wait_joined(room, lotse_id, within_s=120)

    def answer_to(question: str) -> Callable[[str, Any], bool]:
        return lambda rid, event: rid == room and event.sender == lotse_id and replies_to(event) == question

    kill_after = set(chance.sample(range(QUESTIONS - 1), KILLS))
    questions: list[str] = []

    for n in range(QUESTIONS):
        questions.append(await anna.say(room, f"Was ist die BundID? ({n})"))
        if n in kill_after:
            await asyncio.sleep(chance.uniform(0.0, 1.5))
            process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(process.wait, 30)
            process = start()
        else:
            await anna.wait_for(answer_to(questions[-1]), within_s=120)
    for question in questions:
        await anna.wait_for(answer_to(question), within_s=120)
    await anna.say(room, "Zum Schluss")
    await anna.wait_for(lambda rid, event: rid == room and event.sender == lotse_id
                        and replies_to(event) is not None and replies_to(event) not in questions, within_s=120)

    answers = Counter((replies_to(event), event.body) for event in anna.from_user(lotse_id, room)
                      if replies_to(event) in questions)
    assert {question for question, _ in answers} == set(questions)
    assert [key for key, count in answers.items() if count > 1] == []
