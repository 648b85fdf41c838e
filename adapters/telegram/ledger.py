"""Which updates are handled, kept durable so a restart neither repeats nor loses one.

The offset confirms everything below it to Telegram; `done` holds the updates handled above it
(a batch in progress, or webhook deliveries that may come again after a crash).
"""

from __future__ import annotations

import asyncio
import json

from bot.messages import PlatformState

KEY = "telegram.updates"
_REMEMBERED = 1000


class UpdateLedger:
    def __init__(self, state: PlatformState) -> None:
        self._state = state
        self._lock = asyncio.Lock()
        self.offset = 0
        self._done: set[int] = set()
        self._changes = 0
        self._saved = 0

    async def load(self) -> None:
        saved = json.loads(await self._state.get(KEY) or "{}")
        self.offset = int(saved.get("offset", 0))
        self._done = {int(update_id) for update_id in saved.get("done", [])}

    def is_done(self, update_id: int) -> bool:
        return update_id < self.offset or update_id in self._done

    async def mark_done(self, update_id: int) -> None:
        self._done.add(update_id)
        if len(self._done) > _REMEMBERED:
            self._done = set(sorted(self._done)[-_REMEMBERED:])
        await self._save()

    async def advance(self, offset: int) -> None:
        """Everything below `offset` is handled: the next getUpdates confirms it to Telegram."""
        self.offset = max(self.offset, offset)
        self._done = {update_id for update_id in self._done if update_id >= self.offset}
        await self._save()

    async def _save(self) -> None:
        """Return once a snapshot containing this change is stored; concurrent changes share one write."""
        self._changes += 1
        change = self._changes
        async with self._lock:
            if self._saved >= change:
                return
            covered = self._changes
            await self._state.put(KEY, json.dumps({"offset": self.offset, "done": sorted(self._done)}))
            self._saved = covered
