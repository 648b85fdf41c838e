"""Long polling that never waits for a batch to finish and never loses what it confirmed.

Each batch is read update by update (a poison update is logged once and skipped), held in the
ledger, and only then confirmed to Telegram by the next getUpdates; the updates go to per-chat
lanes while polling goes on. After a crash the held updates are taken up first. A database
error while holding is retried with backoff and shows on the health board; network errors and
409 Conflict are retried without end; a rejected token raises `TokenRejected`.
When Lotse stops, the updates in hand get a few seconds to finish rather than being cut off.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from telegram import Bot, Update
from telegram.request import BaseRequest

from adapters.retry import Backoff, classify_storage, retry
from adapters.telegram.intake import ALLOWED_UPDATES, Poison, chat_key, read
from adapters.telegram.lanes import Lanes
from adapters.telegram.ledger import UpdateLedger
from adapters.telegram.retry import classify
from bot.health import State

log = logging.getLogger(__name__)

FINISHING_TIME = 10.0
"""Seconds a stop waits for the updates in hand; what is left is taken up again after the restart."""

Report = Callable[[State, str], None]


class Polling:
    def __init__(
        self,
        bot: Bot,
        transport: BaseRequest,
        ledger: UpdateLedger,
        lanes: Lanes,
        backoff: Backoff,
        timeout: int,
        report: Report,
    ) -> None:
        self._bot = bot
        self._transport = transport
        self._ledger = ledger
        self._lanes = lanes
        self._backoff = backoff
        self._timeout = timeout
        self._report = report

    async def run(self) -> None:
        """Poll until cancelled; raises `TokenRejected` when the token is rejected."""
        await retry(self._bot.delete_webhook, classify, what="Telegram deleteWebhook", max_attempts=None,
                    backoff=self._backoff.fresh())
        try:
            self._take_up(self._ledger.held(), "held before the restart")
            backoff = self._backoff.fresh()
            while True:
                await self._lanes.room()
                raws = await retry(self._fetch, classify, what="Telegram getUpdates", max_attempts=None,
                                   backoff=backoff, on_failure=self._polling_trouble)
                if raws:
                    await self._accept(raws)
                self._report(State.RUNNING, "polling")
        finally:
            await self._lanes.drain(FINISHING_TIME)

    def _polling_trouble(self, reason: str) -> None:
        self._report(State.DEGRADED, f"getUpdates failed, retrying: {reason}")

    async def _fetch(self) -> list[Any]:
        """One getUpdates, unparsed: PTB's `get_updates` would fail the whole batch for one bad update."""
        query = {"timeout": self._timeout, "allowed_updates": json.dumps(ALLOWED_UPDATES)}
        if self._ledger.offset:
            query["offset"] = self._ledger.offset
        result = await self._transport.post(
            f"{self._bot.base_url}/getUpdates?{urlencode(query)}", read_timeout=self._timeout + 10.0
        )
        if not isinstance(result, list):
            log.error("Telegram getUpdates answered %r instead of a list; polling again", type(result).__name__)
            return []
        return result

    async def _accept(self, raws: list[Any]) -> None:
        """Read, hold, then hand out one batch; the offset moves past every update in it, poison too."""
        readable: list[tuple[dict[str, Any], Update]] = []
        last = self._ledger.offset - 1
        for raw in raws:
            update = read(raw, self._bot)
            if isinstance(update, Poison):
                where = "an update" if update.update_id is None else f"update {update.update_id}"
                log.error("Telegram: skipped %s: %s", where, update.reason)
                last = max(last, update.update_id or last)
                continue
            readable.append((raw, update))
            last = max(last, update.update_id)
        if last < 0:
            return
        await retry(
            lambda: self._ledger.hold([raw for raw, _ in readable], last + 1), classify_storage,
            what="Telegram: storing the updates in hand", max_attempts=None, backoff=self._backoff.fresh(),
            on_failure=lambda reason: self._report(State.DEGRADED, f"storing updates failed, retrying: {reason}"),
        )
        for raw, update in readable:
            if not self._ledger.is_done(update.update_id):
                self._lanes.put(chat_key(raw), update)

    def _take_up(self, raws: list[dict[str, Any]], why: str) -> None:
        for raw in raws:
            update = read(raw, self._bot)
            if isinstance(update, Update):
                log.info("Telegram: taking up update %s, %s", update.update_id, why)
                self._lanes.put(chat_key(raw), update)
