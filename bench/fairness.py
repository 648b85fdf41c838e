"""Fairness: how long other members wait for their answers while one member floods Lotse.

One member sends 200 questions in 10 s; meanwhile ten other members each ask one question a
second. Everything runs end to end: the fake Bot API (in a process of its own, as Telegram's
servers would not share Lotse's CPU) → the real python-telegram-bot adapter → the real core
(SQLite, starter knowledge base, the default per-member budget) → sendMessage. The server
times each of the other members' questions from injecting the update to receiving the answer;
the same run without the budget shows what it saves.

Target: p99 of the other members' answer time at most 2 s. Run from the repository root:
`python bench/fairness.py`. The last line is JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bench.telegram_throughput import RemoteApi  # noqa: E402
from bot.cli import run_event_loop  # noqa: E402
from bot.composition import assemble, starter_folder  # noqa: E402
from bot.config import Settings  # noqa: E402
from knowledge.files import load_entries  # noqa: E402
from tests.support.telegram_api import ANNA, JOHN, FakeBotApi, running_platform, settings_for  # noqa: E402

FLOOD = 200
FLOOD_SECONDS = 10.0
OTHERS = 10
QUESTIONS_EACH = 10
FLOODER = 9_000


class TimedBotApi(FakeBotApi):
    """Records when each chat's answers arrive."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[int, list[float]] = defaultdict(list)

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        message = await super()._api_sendMessage(params)
        self.arrivals[message["chat"]["id"]].append(time.monotonic())
        return message


def _questions() -> list[str]:
    return [text for entry in load_entries(starter_folder()) for text in entry.phrasings]


async def _measure(api: TimedBotApi, flood: bool) -> dict[str, Any]:
    """Flood (or not) from one member while the others ask; each other question's answer time in s.

    Each measurement has members of its own: the same ten asking again at once would use up
    their own budget (ten at once, then 20 a minute) and be throttled like the flooder.
    """
    questions = _questions()
    asked: list[tuple[int, int, float]] = []  # chat, answers before, when
    started = time.monotonic()
    ticks = int(FLOOD_SECONDS * 20)
    for tick in range(ticks):
        if flood and tick < FLOOD:
            await api.user_says(questions[tick % len(questions)], user={**JOHN, "id": FLOODER})
        if tick % (ticks // QUESTIONS_EACH) == 0:
            for other in range(OTHERS):
                chat = (21_000 if flood else 20_000) + other
                asked.append((chat, len(api.arrivals[chat]), time.monotonic()))
                await api.user_says(questions[(tick + other * 7) % len(questions)], user={**ANNA, "id": chat})
        await asyncio.sleep(max(0.0, started + (tick + 1) / 20 - time.monotonic()))

    def answered() -> bool | None:
        return True if all(len(api.arrivals[chat]) > before for chat, before, _ in asked) else None

    await api.wait_until(answered, 300, "answers to every other member")
    await _settled(api, FLOODER)
    latencies = sorted(api.arrivals[chat][before] - at for chat, before, at in asked)
    return {
        "p50_s": round(statistics.median(latencies), 3),
        "p99_s": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 3),
        "questions": len(latencies),
        "flooder_answers": len(api.arrivals[FLOODER]),
    }


async def _settled(api: TimedBotApi, chat: int, quiet: float = 3.0, within: float = 600.0) -> None:
    """Wait until `chat` got no answer for `quiet` seconds: the flood is worked off (or dropped)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        count = len(api.arrivals[chat])
        await asyncio.sleep(quiet)
        if len(api.arrivals[chat]) == count:
            return


def _serve(control: Connection) -> None:
    asyncio.run(_serve_until_stopped(control))


async def _serve_until_stopped(control: Connection) -> None:
    api = TimedBotApi()
    await api.start()
    try:
        control.send(api.url)
        while True:
            command, argument = await asyncio.to_thread(control.recv)
            if command == "stop":
                return
            if command == "ready":
                await api.wait_for("setMyCommands", count=3, within=30)
                control.send(None)
            elif command == "measure":
                control.send(await _measure(api, flood=argument))
    finally:
        await api.stop()


async def _run(budget: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(quiet, flooded) figures of a fresh Lotse, with the per-member budget on or off."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database={"url": f"sqlite+aiosqlite:///{folder}/lotse.db"},
                            privacy={"key_file": f"{folder}/pseudonym.key"}, throttle={"enabled": budget})
        lotse = await assemble(settings)
        try:
            await lotse.faq.warm_up()
            async with RemoteApi(_serve) as api, running_platform(
                settings_for(api), lotse.platform_state("telegram"), lotse.conversation  # type: ignore[arg-type]
            ):
                await api.ask("ready")
                quiet = await api.ask("measure", False, within=600)
                flooded = await api.ask("measure", True, within=600)
        finally:
            await lotse.close()
    return quiet, flooded


async def main() -> dict[str, Any]:
    logging.basicConfig(level=logging.ERROR)
    quiet, flooded = await _run(budget=True)
    _, unbudgeted = await _run(budget=False)
    return {
        "bench": "fairness",
        "flood": f"{FLOOD} messages in {FLOOD_SECONDS:.0f} s from one member",
        "others": OTHERS,
        "other_p50_s": flooded["p50_s"],
        "other_p99_s": flooded["p99_s"],
        "other_questions": flooded["questions"],
        "flooder_answers": flooded["flooder_answers"],
        "other_p50_s_without_budget": unbudgeted["p50_s"],
        "other_p99_s_without_budget": unbudgeted["p99_s"],
        "quiet_p50_s": quiet["p50_s"],
        "quiet_p99_s": quiet["p99_s"],
        "target_p99_s": 2.0,
    }


if __name__ == "__main__":
    print(json.dumps(run_event_loop(main())))
