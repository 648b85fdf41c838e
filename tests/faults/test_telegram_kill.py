"""`lotse run` with a Telegram configuration against the fake Bot API, killed with SIGKILL at random
points while members ask in a group: no answer ever comes twice, and each kill loses at most the
one answer that was in flight (Telegram has no idempotency key, so Lotse marks an update done
before its answer goes out)."""

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

from tests.support.telegram_api import GROUP, FakeBotApi
from tests.telegram import conftest as telegram_fixtures

api = telegram_fixtures.api
_timedelta_periods = telegram_fixtures._timedelta_periods

QUESTIONS = 9
KILLS = 3
MEMBER: dict[str, Any] = {"id": 4242, "is_bot": False, "first_name": "Petra", "language_code": "de"}


def config(api: FakeBotApi, directory: Path) -> Path:
    path = directory / "lotse.toml"
    path.write_text(f"""
[database]
url = "sqlite+aiosqlite:///{directory}/lotse.db"

[privacy]
key_file = "{directory}/pseudonym.key"

[knowledge]
encoder = "none"

[throttle]
enabled = false

[web]
enabled = false

[lease]
seconds = 10

[telegram]
enabled = true
token = "{api.token}"
api_url = "{api.url}"
""")
    return path


LotseProcess = Callable[[], subprocess.Popen[bytes]]


@pytest.fixture
async def lotse_process(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[LotseProcess]:
    path = config(api, tmp_path)
    started: list[subprocess.Popen[bytes]] = []
    log = (tmp_path / "lotse.log").open("ab")

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "--config", str(path), "run"],
                                   stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy(),
                                   cwd=Path(__file__).parents[2])
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        await asyncio.to_thread(process.wait, 30)
    log.close()


def answers(api: FakeBotApi) -> Counter[tuple[int, str]]:
    """Lotse's messages in the group, by the question each replies to."""
    return Counter((call.params["reply_parameters"]["message_id"], call.params["text"])
                   for call in api.sent(GROUP["id"]) if call.params.get("reply_parameters"))


async def test_kill_9_at_random_points_never_doubles_an_answer_and_loses_at_most_the_one_in_flight(
    api: FakeBotApi, lotse_process: LotseProcess
) -> None:
    chance = random.Random(13)
    process = lotse_process()
    kill_after = set(chance.sample(range(QUESTIONS - 1), KILLS))
    questions: list[int] = []

    def answered(question: int) -> bool | None:
        return True if any(replied == question for replied, _ in answers(api)) else None

    for n in range(QUESTIONS):
        update = await api.group_says(f"@LotseBot Was ist die BundID? ({n})", user=MEMBER)
        questions.append(update["message"]["message_id"])
        if n in kill_after:
            await asyncio.sleep(chance.uniform(0.0, 1.5))
            process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(process.wait, 30)
            process = lotse_process()
        else:
            await api.wait_until(lambda: answered(questions[-1]), 60, f"an answer to question {n}")
    last = await api.group_says("@LotseBot Zum Schluss", user=MEMBER)
    await api.wait_until(lambda: answered(last["message"]["message_id"]), 60, "the last answer")

    given = answers(api)
    assert [key for key, count in given.items() if count > 1] == []
    lost = [question for question in questions if not answered(question)]
    assert len(lost) <= KILLS
