"""Which updates are in hand and which are handled, kept durable across a crash.

The poller fetches the next batch while earlier ones are still being answered, and each fetch
confirms everything below its offset to Telegram. So updates are *held* (stored with their raw
JSON) before the offset that confirms them is used, and a restart takes them up again. An update
is marked done before its reply is sent: a crash can lose the reply in flight, never double it.
`done` also remembers webhook deliveries, which Telegram may repeat after a crash.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from bot.messages import PlatformState

KEY = "telegram.updates"
_REMEMBERED = 1000


class UpdateLedger:
    def __init__(self, state: PlatformState) -> None:
        self._state = state
        self._lock = asyncio.Lock()
        self.offset = 0
        self._done: set[int] = set()
        self._held: dict[int, dict[str, Any]] = {}
        self._changes = 0
        self._saved = 0

    async def load(self) -> None:
        saved = json.loads(await self._state.get(KEY) or "{}")
        self.offset = int(saved.get("offset", 0))
        self._done = {int(update_id) for update_id in saved.get("done", [])}
        self._held = {int(raw["update_id"]): raw for raw in saved.get("held", [])}

    def is_done(self, update_id: int) -> bool:
        return update_id in self._done or (update_id < self.offset and update_id not in self._held)

    def held(self) -> list[dict[str, Any]]:
        """Updates confirmed to Telegram but not yet handled, oldest first (after a crash)."""
        return [self._held[update_id] for update_id in sorted(self._held)]

    async def hold(self, updates: list[dict[str, Any]], offset: int) -> None:
        """Keep `updates` until they are done; the next getUpdates may then confirm up to `offset`."""
        for raw in updates:
            if not self.is_done(int(raw["update_id"])):
                self._held[int(raw["update_id"])] = raw
        self.offset = max(self.offset, offset)
        await self._save()

    async def mark_done(self, update_id: int) -> None:
        self._held.pop(update_id, None)
        self._done.add(update_id)
        if len(self._done) > _REMEMBERED:
            self._done = set(sorted(self._done)[-_REMEMBERED:])
        await self._save()

    async def _save(self) -> None:
        """Return once a snapshot containing this change is stored; concurrent changes share one write."""
        self._changes += 1
        change = self._changes
        async with self._lock:
            if self._saved >= change:
                return
            covered = self._changes
            snapshot = {"offset": self.offset, "done": sorted(self._done), "held": self.held()}
            await self._state.put(KEY, json.dumps(snapshot))
            self._saved = covered
