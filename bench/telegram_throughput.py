"""Telegram adapter throughput: the real python-telegram-bot Application against the fake Bot API.

1. Updates handled per second end to end (getUpdates → core → sendMessage), from many members:
   with the real core (SQLite) when it can be assembled, and with the scripted test conversation,
   which shows what the adapter itself can do. The fake server shares the process and its CPU.
2. A fan-out of 2,000 messages to 2,000 chats through `send`, with the server enforcing Telegram's
   flood limits: the achieved rate and how many 429 answers it took (should be none).

Run from the repository root: `python bench/telegram_throughput.py`. The last line is JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.messages import PersonId, Reply  # noqa: E402
from tests.support.telegram_api import (  # noqa: E402
    JOHN,
    MemoryState,
    ScriptedConversation,
    ServerLimits,
    running_api,
    running_platform,
    settings_for,
)

UPDATES = 2_000
FANOUT = 2_000


async def _core(folder: str) -> tuple[Any, Any, Any, str]:
    """The real core when it can be assembled, else the scripted stand-in the tests use."""
    try:
        from bot.composition import assemble
        from bot.config import Settings

        lotse = await assemble(Settings(database={"url": f"sqlite+aiosqlite:///{folder}/lotse.db"}))
        return lotse.conversation, lotse.platform_state("telegram"), lotse, "real core (SQLite)"
    except ImportError:
        return ScriptedConversation(), MemoryState(), None, "scripted conversation"


async def _updates_per_second(api: Any) -> float:
    questions = ["Welchen Passwortmanager sollen wir einsetzen?", "/help", "Wie beantrage ich Fördermittel?"]
    started = time.perf_counter()
    for number in range(UPDATES):
        user = {**JOHN, "id": 10_000 + number, "language_code": "de" if number % 2 else "en"}
        await api.user_says(questions[number % len(questions)], user=user)
    await api.wait_until(lambda: True if len(api.sent()) >= UPDATES else None, 120, f"{UPDATES} answers")
    return UPDATES / (time.perf_counter() - started)


async def _fanout(api: Any, platform: Any) -> tuple[float, int]:
    api.limits = ServerLimits()
    api.rate_limited = 0
    reply = Reply("**Wochenrückblick**: drei neue Leitfäden und zwei Termine.")
    started = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(platform.send(PersonId(f"telegram:{50_000 + n}"), reply) for n in range(FANOUT))), 300
    )
    return FANOUT / (time.perf_counter() - started), api.rate_limited


async def _run(conversation: Any, state: Any, fanout: bool) -> tuple[float, float, int]:
    async with running_api() as api, running_platform(settings_for(api), state, conversation) as platform:
        await api.wait_for("setMyCommands", count=3, within=30)
        updates_per_s = await _updates_per_second(api)
        fanout_per_s, fanout_429 = await _fanout(api, platform) if fanout else (0.0, 0)
    return updates_per_s, fanout_per_s, fanout_429


async def main() -> dict[str, Any]:
    logging.basicConfig(level=logging.ERROR)
    adapter_per_s, fanout_per_s, fanout_429 = await _run(ScriptedConversation(), MemoryState(), fanout=True)
    with tempfile.TemporaryDirectory() as folder:
        conversation, state, lotse, core = await _core(folder)
        try:
            core_per_s, _, _ = await _run(conversation, state, fanout=False)
        finally:
            if lotse is not None:
                await lotse.close()
    return {
        "bench": "telegram_throughput",
        "core": core,
        "updates": UPDATES,
        "updates_per_s": round(core_per_s, 1),
        "updates_per_s_scripted_conversation": round(adapter_per_s, 1),
        "fanout_msgs": FANOUT,
        "fanout_msgs_per_s": round(fanout_per_s, 1),
        "fanout_429": fanout_429,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main())))
