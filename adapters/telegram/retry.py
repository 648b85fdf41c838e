"""The one place that classifies Bot API errors and decides whether and when to try again.

Flood waits sleep as long as Telegram asks, timeouts and server errors back off exponentially
up to a cap, and a rejected token stops the adapter instead of hammering the server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

from bot.messages import PlatformStopped

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """Capped exponential backoff for timeouts and server errors."""

    first: float = 0.5
    factor: float = 2.0
    cap: float = 30.0

    def delay(self, failures: int) -> float:
        return min(self.cap, self.first * self.factor ** max(0, failures - 1))


DEFAULT_BACKOFF = Backoff()


def retry_after_seconds(error: RetryAfter) -> float:
    """Telegram's flood wait in seconds, whichever type this PTB version reports it as."""
    value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def token_rejected(error: InvalidToken) -> PlatformStopped:
    return PlatformStopped(
        f"Telegram rejected the bot token ({error.message}). Check telegram.token "
        "(or LOTSE_TELEGRAM__TOKEN); Lotse will not retry with this token."
    )


def delay_for(error: Exception, failures: int, backoff: Backoff) -> float:
    """How long to wait before trying again after `error`; raises when retrying cannot help."""
    if isinstance(error, RetryAfter):
        return retry_after_seconds(error)
    if isinstance(error, InvalidToken):
        raise token_rejected(error) from error
    if isinstance(error, BadRequest | Forbidden | ChatMigrated):
        raise error
    if isinstance(error, NetworkError | Conflict):
        return backoff.delay(failures)
    raise error


class RetryPolicy:
    """Runs one Bot API call until it succeeds, gives up after `attempts`, or must stop.

    `on_flood` lets the rate limiter pause every other send while Telegram's flood wait lasts.
    `attempts=None` retries without end (the polling loop, which is stopped by cancellation).
    """

    def __init__(
        self,
        backoff: Backoff = Backoff(),
        attempts: int | None = 5,
        on_flood: Callable[[float], None] | None = None,
    ) -> None:
        self._backoff = backoff
        self._attempts = attempts
        self._on_flood = on_flood

    async def run(self, call: Callable[[], Awaitable[T]], what: str = "request") -> T:
        failures = 0
        while True:
            try:
                return await call()
            except Exception as error:
                failures += 1
                delay = delay_for(error, failures, self._backoff)
                if self._attempts is not None and failures >= self._attempts:
                    raise
                if isinstance(error, RetryAfter) and self._on_flood is not None:
                    self._on_flood(delay)
                log.warning("Telegram %s failed (%s); retrying in %.1f s", what, error, delay)
            await asyncio.sleep(delay)
