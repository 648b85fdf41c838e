"""A budget of messages per member, so one member's flood cannot delay everyone else's answers.

Each member has a token bucket: `burst` messages at once, refilled at `per_minute`. A message
beyond the budget is not queued: the first one gets a polite notice, the rest of the flood is
dropped until the member's budget has refilled.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

SWEEP_EVERY = 4096
"""Every this many messages, members whose budget is full again are forgotten (memory stays small)."""


class Verdict(Enum):
    ADMITTED = "admitted"
    NOTICE = "notice"
    """Over budget for the first time in this flood: say so once."""
    DROPPED = "dropped"


@dataclass
class _Bucket:
    tokens: float
    updated: float
    noticed: bool = False


class Throttle:
    """Decides for each message whether its sender is within their budget."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._burst = float(burst)
        self._rate = per_minute / 60.0
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._seen = 0

    def admit(self, person: str) -> Verdict:
        now = self._clock()
        self._seen += 1
        if self._seen % SWEEP_EVERY == 0:
            self._sweep(now)
        bucket = self._buckets.get(person)
        if bucket is None:
            bucket = self._buckets[person] = _Bucket(self._burst, now)
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * self._rate)
        bucket.updated = now
        if bucket.tokens >= self._burst:
            bucket.noticed = False
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Verdict.ADMITTED
        if bucket.noticed:
            return Verdict.DROPPED
        bucket.noticed = True
        return Verdict.NOTICE

    def wait(self, person: str) -> float:
        """Seconds until `person` may send the next message."""
        bucket = self._buckets.get(person)
        if bucket is None or bucket.tokens >= 1:
            return 0.0
        return (1 - bucket.tokens) / self._rate

    def _sweep(self, now: float) -> None:
        full = [person for person, bucket in self._buckets.items()
                if bucket.tokens + (now - bucket.updated) * self._rate >= self._burst]
        for person in full:
            del self._buckets[person]
