"""Telegram's send limits, enforced in front of every message the bot sends.

About 30 messages per second overall for messages Lotse sends on its own (digests, notices),
about one per second in one chat (short bursts allowed) and 20 per minute in one group.
A slot counts from the moment its request leaves until `period` after Telegram answered, so
the server never sees more than the limit in any window, however the requests were delayed.
Windows read `time.monotonic()`, not the event loop's clock: uvloop's ticks in whole milliseconds,
enough for a burst to cross Telegram's window a fraction of a millisecond early.

Sends are retried here, through the shared policy (`adapters.retry`): a flood wait closes one
gate for every send and is not an attempt, and an outage is retried for a patience window, after
which `RequestFailed(exhausted=True)` tells the caller to hand the message to the outbox. Other
calls (polling, getMe, callback answers) go out once; their callers decide how to retry.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from telegram.ext import BaseRateLimiter

from adapters.retry import SEND_PATIENCE_S, Backoff, RateGate, retry
from adapters.telegram.retry import classify

_Result = bool | dict[str, Any] | list[dict[str, Any]]

BULK = "bulk"
"""`rate_limit_args` for messages Lotse sends on its own: they also share the overall limit."""

_SENDING = ("send", "edit", "copy", "forward")
BULK_PATIENCE_S = 60.0
"""Messages from the outbox wait less long in one try: the outbox tries them again later anyway."""


@dataclass(frozen=True)
class Limits:
    overall: tuple[int, float] = (30, 1.0)
    per_chat: tuple[int, float] = (3, 3.0)
    per_group: tuple[int, float] = (20, 60.0)


DEFAULT_LIMITS = Limits()


class SlidingWindow:
    """At most `limit` requests in any `period` seconds, counting requests still in flight."""

    def __init__(self, limit: int, period: float) -> None:
        self._limit = limit
        self._period = period
        self._finished: deque[float] = deque()
        self._in_flight = 0
        self._queue: tuple[asyncio.Lock, asyncio.Condition] | None = None
        """Made when a request first has to wait: most chats never need one."""

    def idle(self, now: float) -> bool:
        return self._in_flight == 0 and (not self._finished or self._finished[-1] <= now - self._period)

    def _wait_time(self, now: float) -> float:
        while self._finished and self._finished[0] <= now - self._period:
            self._finished.popleft()
        if len(self._finished) + self._in_flight < self._limit:
            return 0.0
        return self._finished[0] + self._period - now if self._finished else math.inf

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._has_waiters() or self._wait_time(time.monotonic()) > 0:
            if self._queue is None:
                self._queue = (asyncio.Lock(), asyncio.Condition())
            turn, changed = self._queue
            # Waiters queue on `turn` (first come, first served); only the first watches the window.
            async with turn, changed:
                while (wait := self._wait_time(time.monotonic())) > 0:
                    try:
                        await asyncio.wait_for(changed.wait(), None if wait == math.inf else wait)
                    except TimeoutError:
                        pass
                self._in_flight += 1
        else:
            self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            self._finished.append(time.monotonic())
            if self._has_waiters() and self._queue is not None:
                _, changed = self._queue
                async with changed:
                    changed.notify_all()

    def _has_waiters(self) -> bool:
        return self._queue is not None and self._queue[0].locked()


class TelegramRateLimiter(BaseRateLimiter[str]):
    """PTB's rate-limiter seam: throttles sends and retries every call through one `RetryPolicy`."""

    def __init__(
        self, limits: Limits = DEFAULT_LIMITS, backoff: Backoff | None = None, patience_s: float = SEND_PATIENCE_S
    ) -> None:
        self._limits = limits
        self._overall = SlidingWindow(*limits.overall)
        self._chats: dict[int | str, SlidingWindow] = {}
        self._groups: dict[int | str, SlidingWindow] = {}
        self._backoff = backoff or Backoff(first=0.5, cap=30.0)
        self._patience_s = patience_s
        self._gate = RateGate()
        self._calls = 0

    async def initialize(self) -> None:
        """Nothing to set up: windows are created on first use."""

    async def shutdown(self) -> None:
        self._chats.clear()
        self._groups.clear()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, _Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> _Result:
        if not endpoint.startswith(_SENDING) or endpoint == "sendChatAction":
            return await callback(*args, **kwargs)
        chat_id = data.get("chat_id")

        async def attempt() -> _Result:
            async with self._slots(chat_id, bulk=rate_limit_args == BULK):
                # A window may have held this send past the start of another chat's flood wait.
                await self._gate.hold()
                return await callback(*args, **kwargs)

        return await retry(
            attempt, classify, what=f"Telegram {endpoint} to {chat_id}", max_attempts=None,
            backoff=self._backoff.fresh(), gate=self._gate,
            patience_s=min(self._patience_s, BULK_PATIENCE_S) if rate_limit_args == BULK else self._patience_s,
        )

    @asynccontextmanager
    async def _slots(self, chat_id: object, bulk: bool) -> AsyncIterator[None]:
        self._forget_idle(time.monotonic())
        async with AsyncExitStack() as stack:
            if isinstance(chat_id, int | str):
                chat = self._window(self._chats, chat_id, self._limits.per_chat)
                await stack.enter_async_context(chat.slot())
                if _is_group(chat_id):
                    window = self._window(self._groups, chat_id, self._limits.per_group)
                    await stack.enter_async_context(window.slot())
            if bulk:
                await stack.enter_async_context(self._overall.slot())
            yield

    @staticmethod
    def _window(
        windows: dict[int | str, SlidingWindow], key: int | str, limit: tuple[int, float]
    ) -> SlidingWindow:
        if key not in windows:
            windows[key] = SlidingWindow(*limit)
        return windows[key]

    def _forget_idle(self, now: float) -> None:
        """Drop windows of quiet chats now and then, so memory does not grow with every chat seen."""
        self._calls += 1
        if self._calls % 500:
            return
        for windows in (self._chats, self._groups):
            for key in [key for key, window in windows.items() if window.idle(now)]:
                del windows[key]


def _is_group(chat_id: int | str) -> bool:
    if isinstance(chat_id, str):
        return not chat_id.lstrip("-").isdigit() or chat_id.startswith("-")
    return chat_id < 0
