"""Long polling that confirms an update to Telegram only after it was handled.

Updates of one batch are handled concurrently across chats and in order within a chat; the
offset moves past the batch once all of it is done, so a crash re-fetches what was unfinished.
When Lotse stops, the batch in hand gets a few seconds to finish rather than being cut off.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable

from telegram import Bot, Update

from adapters.telegram.ledger import UpdateLedger
from adapters.telegram.retry import Backoff, RetryPolicy

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
CHATS_AT_ONCE = 32
"""How many chats of one batch are handled concurrently; more only adds contention."""
FINISHING_TIME = 10.0
"""Seconds a stop waits for the batch in hand; what is left is fetched again after the restart."""


class Polling:
    def __init__(
        self,
        bot: Bot,
        ledger: UpdateLedger,
        process: Callable[[Update], Awaitable[None]],
        backoff: Backoff,
        timeout: int,
    ) -> None:
        self._bot = bot
        self._ledger = ledger
        self._process = process
        self._policy = RetryPolicy(backoff, attempts=None)
        self._timeout = timeout
        self._slots = asyncio.Semaphore(CHATS_AT_ONCE)

    async def run(self) -> None:
        """Poll until cancelled; raises `PlatformStopped` when the token is rejected."""
        await self._policy.run(lambda: self._bot.delete_webhook(), "deleteWebhook")
        while True:
            updates = await self._policy.run(self._fetch, "getUpdates")
            if updates:
                batch = asyncio.create_task(self._handle_batch(updates), name="telegram-batch")
                try:
                    await asyncio.shield(batch)
                except asyncio.CancelledError:
                    await self._finish(batch)
                    raise

    async def _finish(self, batch: asyncio.Task[None]) -> None:
        """Let the batch in hand finish, within `FINISHING_TIME`, before polling stops."""
        done, _ = await asyncio.wait({batch}, timeout=FINISHING_TIME)
        if not done:
            batch.cancel()
        await asyncio.gather(batch, return_exceptions=True)

    async def _fetch(self) -> tuple[Update, ...]:
        return await self._bot.get_updates(
            offset=self._ledger.offset or None, timeout=self._timeout, allowed_updates=ALLOWED_UPDATES
        )

    async def _handle_batch(self, updates: tuple[Update, ...]) -> None:
        """Handle the batch, then confirm it: the next getUpdates starts after its last update."""
        by_chat: dict[int, list[Update]] = defaultdict(list)
        for update in updates:
            chat, user = update.effective_chat, update.effective_user
            by_chat[chat.id if chat else user.id if user else 0].append(update)
        async with asyncio.TaskGroup() as group:
            for chat_updates in by_chat.values():
                group.create_task(self._in_order(chat_updates))
        await self._ledger.advance(updates[-1].update_id + 1)

    async def _in_order(self, updates: list[Update]) -> None:
        async with self._slots:
            for update in updates:
                await self._process(update)
