"""Telegram adapter throughput: the real python-telegram-bot Application against the fake Bot API.

1. Updates handled per second end to end (getUpdates → core → sendMessage), each from a member
   Lotse has not seen before: the starter knowledge base's phrasings in turn, some `/help`, some
   questions it cannot answer. With the real core (SQLite) answering through the hybrid matcher
   (the bundled encoder on; a question asked before is answered from memory, a new one is
   encoded on the encoder's thread), and with the scripted test conversation, which shows what
   the adapter itself can do.
2. A fan-out of 2,000 messages to 2,000 chats through `send`, with the server enforcing Telegram's
   flood limits: the achieved rate and how many 429 answers it took (should be none).

The fake server runs in a process of its own, as Telegram's servers would not share Lotse's CPU;
it times the end-to-end run itself: from queueing the updates to receiving the last answer.

Run from the repository root: `python bench/telegram_throughput.py`. The last line is JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("PTB_TIMEDELTA", "true")

from bot.cli import run_event_loop  # noqa: E402
from bot.composition import assemble, starter_folder  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.messages import PersonId, Reply  # noqa: E402
from knowledge.bundled_encoder import load_bundled_encoder  # noqa: E402
from knowledge.files import load_entries  # noqa: E402
from tests.support.telegram_api import (  # noqa: E402
    JOHN,
    TOKEN,
    FakeBotApi,
    MemoryState,
    ScriptedConversation,
    ServerLimits,
    running_api,
    running_platform,
    settings_for,
)

UPDATES = 2_000
FANOUT = 2_000


OFF_TOPIC = [("Wie wird das Wetter morgen in Rostock?", "de"), ("Who won the football match yesterday?", "en")]


def _traffic(count: int) -> list[tuple[str, str]]:
    """(text, language) of `count` messages: the starter entries' phrasings in turn, with every
    tenth message a `/help` and every tenth a question the knowledge base cannot answer."""
    phrasings = [(text, entry.lang) for entry in load_entries(starter_folder()) for text in entry.phrasings]
    messages = []
    for number in range(count):
        if number % 10 == 3:
            messages.append(("/help", "de" if number % 20 == 3 else "en"))
        elif number % 10 == 7:
            messages.append(OFF_TOPIC[number % 20 // 10])
        else:
            messages.append(phrasings[number % len(phrasings)])
    return messages


# ----- the fake Bot API, in its own process, steered over a pipe


def _serve(control: Connection) -> None:
    asyncio.run(_serve_until_stopped(control))


async def _serve_until_stopped(control: Connection) -> None:
    async with running_api() as api:
        control.send(api.url)
        while True:
            command, argument = await asyncio.to_thread(control.recv)
            if command == "stop":
                return
            control.send(await _COMMANDS[command](api, argument))


async def _commands_registered(api: FakeBotApi, _: Any) -> None:
    await api.wait_for("setMyCommands", count=3, within=30)


async def _answer_updates(api: FakeBotApi, count: int) -> float:
    """Queue `count` messages from as many members; seconds until every member had an answer."""
    members = {10_000 + number for number in range(count)}
    api.chats_answered -= members
    started = time.perf_counter()
    for number, (text, language) in enumerate(_traffic(count)):
        await api.user_says(text, user={**JOHN, "id": 10_000 + number, "language_code": language})
    await api.wait_until(lambda: True if members <= api.chats_answered else None, 300, f"{count} answers")
    return time.perf_counter() - started


async def _enforce_limits(api: FakeBotApi, _: Any) -> None:
    api.limits = ServerLimits()
    api.rate_limited = 0


async def _rate_limited(api: FakeBotApi, _: Any) -> int:
    return api.rate_limited


_COMMANDS = {
    "commands_registered": _commands_registered,
    "answer_updates": _answer_updates,
    "enforce_limits": _enforce_limits,
    "rate_limited": _rate_limited,
}


class RemoteApi:
    """The parent's handle on the server process; `serve` runs there (bench/fairness.py has its own)."""

    def __init__(self, serve: Callable[[Connection], None] | None = None) -> None:
        self._control, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(target=serve or _serve, args=(child,),
                                                                     daemon=True)
        self.token = TOKEN
        self.url = ""

    async def __aenter__(self) -> RemoteApi:
        self._process.start()
        self.url = await self._receive(30)
        return self

    async def __aexit__(self, *_: object) -> None:
        self._control.send(("stop", None))
        await asyncio.to_thread(self._process.join, 10)
        if self._process.is_alive():
            self._process.kill()

    async def ask(self, command: str, argument: Any = None, within: float = 300) -> Any:
        self._control.send((command, argument))
        return await self._receive(within)

    async def _receive(self, within: float) -> Any:
        if not await asyncio.to_thread(self._control.poll, within):
            raise TimeoutError("the fake Bot API process did not answer")
        return self._control.recv()


# ----- the measurements


async def _fanout(api: RemoteApi, platform: Any) -> tuple[float, int]:
    await api.ask("enforce_limits")
    reply = Reply("**Wochenrückblick**: drei neue Leitfäden und zwei Termine.")
    started = time.perf_counter()
    await asyncio.wait_for(
        asyncio.gather(*(platform.send(PersonId(f"telegram:{50_000 + n}"), reply) for n in range(FANOUT))), 300
    )
    return FANOUT / (time.perf_counter() - started), await api.ask("rate_limited")


@dataclass(frozen=True)
class Figures:
    updates_per_s: float
    cpu_ms_per_update: float
    """Lotse's CPU time (all its threads) per update: a figure that drifts less with the host's speed."""
    fanout_per_s: float = 0.0
    fanout_429: int = 0


async def _run(conversation: Any, state: Any, fanout: bool) -> Figures:
    async with RemoteApi() as api, running_platform(settings_for(api), state, conversation) as platform:  # type: ignore[arg-type]
        await api.ask("commands_registered")
        cpu_before = time.process_time()
        seconds = await api.ask("answer_updates", UPDATES)
        cpu_ms = (time.process_time() - cpu_before) * 1000 / UPDATES
        fanout_per_s, fanout_429 = await _fanout(api, platform) if fanout else (0.0, 0)
    return Figures(UPDATES / seconds, cpu_ms, fanout_per_s, fanout_429)


async def _semantic_ready(lotse: Any) -> str:
    """Put the starter entries' vectors in the bench's fresh database (from the benchmarks' vector
    cache, encoding them there on the first run) and wait for the hybrid matcher."""
    from _faq import CACHE

    from knowledge.encoder import EncoderThread, EncodingSettings
    from knowledge.semantic import entry_texts
    from knowledge.vectors import FileVectors, Vectorizer

    encoder = await asyncio.to_thread(load_bundled_encoder, EncodingSettings())
    thread = EncoderThread(encoder)
    try:
        texts = [text for entry in load_entries(starter_folder()) for text in entry_texts(entry)]
        vectors = await Vectorizer(thread, FileVectors(CACHE)).vectors(texts)
    finally:
        thread.close()
    await lotse.vectors.save(encoder.model_id, {key: row.tobytes() for key, row in vectors.items()})
    await lotse.faq.index.wait_until_ready()
    return "hybrid" if lotse.faq.index.semantic_ready else "lexical (the encoder is unavailable)"


async def main() -> dict[str, Any]:
    logging.basicConfig(level=logging.ERROR)
    adapter = await _run(ScriptedConversation(), MemoryState(), fanout=True)
    with tempfile.TemporaryDirectory() as folder:
        lotse = await assemble(Settings(database={"url": f"sqlite+aiosqlite:///{folder}/lotse.db"},
                                        knowledge={"encoder": "bundled"},
                                        privacy={"key_file": f"{folder}/pseudonym.key"}))
        try:
            matcher = await _semantic_ready(lotse)
            core = await _run(lotse.conversation, lotse.platform_state("telegram"), fanout=False)
        finally:
            await lotse.close()
    return {
        "bench": "telegram_throughput",
        "core": "real core (SQLite)",
        "matcher": matcher,
        "updates": UPDATES,
        "updates_per_s": round(core.updates_per_s, 1),
        "cpu_ms_per_update": round(core.cpu_ms_per_update, 2),
        "updates_per_s_scripted_conversation": round(adapter.updates_per_s, 1),
        "cpu_ms_per_update_scripted_conversation": round(adapter.cpu_ms_per_update, 2),
        "fanout_msgs": FANOUT,
        "fanout_msgs_per_s": round(adapter.fanout_per_s, 1),
        "fanout_429": adapter.fanout_429,
    }


if __name__ == "__main__":
    print(json.dumps(run_event_loop(main())))
