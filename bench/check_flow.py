"""One Digitalisierungscheck completed by 1,000 simulated pilots at once, through the core.

Run from the repository root: `python bench/check_flow.py [--pilots N] [--database-url URL]`. Each pilot
is a Telegram member who types `/check`, taps an organisation type, writes a region and the systems in
use, answers all statements by tapping (a fixed-seed mix of no / partly / yes / don't know, with
importance after no and partly), names a requirement for each gap and so ends with proposed measures;
then `/measures`. All pilots run concurrently on one event loop against one database (SQLite in a
temporary folder by default). Each step is one `Conversation.handle` call, timed from the call to its
replies. The last line is one JSON object: `{"bench": "check_flow", "pilots": …, "steps": …,
"seconds": …, "step_p50_ms": …, "step_p99_ms": …, "step_max_ms": …, "peak_rss_mb": …}`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os  # noqa: E402

os.environ.setdefault("LOTSE_KNOWLEDGE__ENCODER", "none")

from bot.composition import Lotse, assemble  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.messages import Chat, ChatId, IncomingMessage, PersonId, Reply, Sender  # noqa: E402

PILOTS = 1_000
SEED = 20261202
ORG_TYPES = ("municipality", "culture", "social", "sme", "other")
STATES = ("n", "p", "y", "y", "u")


class Pilot:
    def __init__(self, lotse: Lotse, number: int, rng: random.Random, timings: list[float]) -> None:
        self._lotse = lotse
        self._sender = Sender(PersonId(f"telegram:{500000 + number}"), f"Pilot {number}", "de")
        self._chat = Chat(ChatId(f"telegram:{500000 + number}"))
        self._rng = rng
        self._timings = timings

    async def _step(self, text: str = "", action: str | None = None) -> Sequence[Reply]:
        started = time.perf_counter()
        replies = await self._lotse.conversation.handle(IncomingMessage(self._sender, self._chat, text, action))
        self._timings.append(time.perf_counter() - started)
        return replies

    @staticmethod
    def _offered(replies: Sequence[Reply], infix: str) -> str | None:
        for reply in replies:
            for choice in reply.choices:
                if infix in choice.action:
                    return choice.action
        return None

    async def run(self) -> None:
        replies = await self._step("/check")
        replies = await self._step(action=self._offered(replies, f":o:{self._rng.choice(ORG_TYPES)}"))
        await self._step("Sachsen")
        replies = await self._step("1, 4, Zeiterfassung")
        while True:
            statement = self._offered(replies, "check:a:")
            if statement is not None:
                number = statement.split(":")[2]
                replies = await self._step(action=self._offered(replies, f":a:{number}:{self._rng.choice(STATES)}"))
                continue
            importance = self._offered(replies, "check:i:")
            if importance is not None:
                number = importance.split(":")[2]
                replies = await self._step(action=self._offered(replies, f":i:{number}:{self._rng.randint(1, 3)}"))
                continue
            if "leisten?" in replies[-1].text or "must a future solution" in replies[-1].text:
                replies = await self._step("Die Lösung muss mit unserem vorhandenen System arbeiten.")
                continue
            break
        if "Maßnahmen vorgeschlagen" not in replies[-1].text:
            raise RuntimeError(f"pilot {self._sender.id} did not finish: {replies[-1].text[:200]}")
        await self._step("/measures")


async def main(pilots: int, database_url: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{folder}/bench.db"
        settings = Settings(database={"url": url}, knowledge={"load_starter": False},
                            kompass={"load_starter": False}, throttle={"enabled": False},
                            privacy={"key": "5e" * 32})
        lotse = await assemble(settings)
        try:
            rng = random.Random(SEED)
            timings: list[float] = []
            crowd = [Pilot(lotse, number, random.Random(rng.random()), timings) for number in range(pilots)]
            started = time.perf_counter()
            await asyncio.gather(*(pilot.run() for pilot in crowd))
            seconds = time.perf_counter() - started
        finally:
            await lotse.close()
    ordered = sorted(timings)
    return {
        "bench": "check_flow", "pilots": pilots, "database": url.partition(":")[0], "steps": len(timings),
        "seconds": round(seconds, 2),
        "step_p50_ms": round(statistics.median(ordered) * 1000, 1),
        "step_p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
        "step_max_ms": round(ordered[-1] * 1000, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilots", type=int, default=PILOTS)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    print(json.dumps(asyncio.run(main(arguments.pilots, arguments.database_url))))
