"""Updates handled in per-chat lanes: one chat's updates in order, chats side by side.

A slow chat holds up only its own lane, and at most `width` chats are handled at once (more only
adds contention). `depth` bounds the updates in hand, so the poller stops fetching while the
lanes are full instead of piling up work it has already confirmed to Telegram.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

from telegram import Update

log = logging.getLogger(__name__)

WIDTH = 32
DEPTH = 256


class Lanes:
    def __init__(
        self, handle: Callable[[Update], Awaitable[None]], width: int = WIDTH, depth: int = DEPTH
    ) -> None:
        self._handle = handle
        self._depth = depth
        self._slots = asyncio.Semaphore(width)
        self._queues: dict[int, deque[Update]] = {}
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._in_hand = 0
        self._changed = asyncio.Condition()

    @property
    def in_hand(self) -> int:
        return self._in_hand

    def put(self, chat: int, update: Update) -> None:
        """Queue `update` behind its chat's earlier ones; `handle` must not raise."""
        self._in_hand += 1
        self._queues.setdefault(chat, deque()).append(update)
        if chat not in self._tasks:
            self._tasks[chat] = asyncio.create_task(self._lane(chat), name=f"telegram-chat-{chat}")

    async def room(self) -> None:
        """Wait until the lanes can take another batch."""
        async with self._changed:
            await self._changed.wait_for(lambda: self._in_hand < self._depth)

    async def drain(self, within: float) -> None:
        """Let the updates in hand finish, for up to `within` seconds; cut off the rest."""
        tasks = set(self._tasks.values())
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=within)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _lane(self, chat: int) -> None:
        queue = self._queues[chat]
        try:
            async with self._slots:
                while queue:
                    update = queue.popleft()
                    try:
                        await self._handle(update)
                    finally:
                        self._in_hand -= 1
                        async with self._changed:
                            self._changed.notify_all()
        finally:
            # No await between the last check of the queue and this: a `put` cannot slip between.
            if not queue:
                del self._queues[chat]
            del self._tasks[chat]
