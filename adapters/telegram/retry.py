"""Bot API failures in the shared retry vocabulary (`adapters.retry`); the loop itself is shared.

A flood wait is `RateLimited` for as long as Telegram asks, timeouts, connection errors, 5xx and
409 Conflict (another poller, or a webhook being removed) are `Transient`, a rejected token stops
the adapter, and any other client error (400, 403, a migrated chat) cannot be fixed by retrying.
"""

from __future__ import annotations

from datetime import timedelta

from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter

from adapters.retry import Classification, Permanent, RateLimited, Transient
from bot.messages import PlatformStopped


def retry_after_seconds(error: RetryAfter) -> float:
    """Telegram's flood wait in seconds, whichever type this PTB version reports it as."""
    value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def classify(error: BaseException) -> Classification:
    """What to do about one failed Bot API call."""
    if isinstance(error, RetryAfter):
        return RateLimited(retry_after_seconds(error), f"flood wait: {error}")
    if isinstance(error, InvalidToken):
        # The library's message quotes the token itself, which must not reach the log.
        return Permanent("Telegram rejected the bot token (401 Unauthorized)", stops_adapter=True)
    # BadRequest is a NetworkError in PTB's hierarchy, but retrying a malformed request never helps.
    if isinstance(error, BadRequest | Forbidden | ChatMigrated):
        return Permanent(f"{type(error).__name__}: {error}")
    if isinstance(error, NetworkError | Conflict):
        return Transient(f"{type(error).__name__}: {error}")
    return Permanent(f"{type(error).__name__}: {error}")


def token_rejected(reason: str) -> PlatformStopped:
    return PlatformStopped(
        f"{reason}. Check telegram.token (or LOTSE_TELEGRAM__TOKEN); Lotse will not retry with this token."
    )
