"""A budget of messages per member, so one member's flood cannot delay everyone else's answers.

Each member has a token bucket: `burst` messages at once, refilled at `per_minute`. On top of it a
member's messages are paced: at most `pace` in any `pace_seconds`, the rate at which a platform lets
Lotse answer in one chat (Telegram: about one message a second, bursts of three). A burst admitted
faster than its answers can be sent only waits in the adapter, and there it holds up other members'
updates fetched with it (measured: ten admitted at once delayed everyone else by up to 9 s).
A message beyond the budget is not queued: the first one gets a polite notice, the rest of the
flood is dropped until the member's budget has refilled.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

SWEEP_EVERY = 4096
"""Every this many messages, members whose budget is full again are forgotten (memory stays small)."""
PACE = 3
PACE_SECONDS = 3.0


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
    admitted: deque[float] = field(default_factory=deque)
    """When the member's latest messages (at most `pace`) were admitted."""


class Throttle:
    """Decides for each message whether its sender is within their budget."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic,
                 pace: int = PACE, pace_seconds: float = PACE_SECONDS) -> None:
        self._burst = float(burst)
        self._rate = per_minute / 60.0
        self._clock = clock
        self._pace = pace
        self._pace_seconds = pace_seconds
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
        while bucket.admitted and bucket.admitted[0] <= now - self._pace_seconds:
            bucket.admitted.popleft()
        if bucket.tokens >= self._burst and not bucket.admitted:
            bucket.noticed = False
        if bucket.tokens >= 1 and len(bucket.admitted) < self._pace:
            bucket.tokens -= 1
            bucket.admitted.append(now)
            return Verdict.ADMITTED
        if bucket.noticed:
            return Verdict.DROPPED
        bucket.noticed = True
        return Verdict.NOTICE

    def wait(self, person: str) -> float:
        """Seconds until `person` may send the next message."""
        bucket = self._buckets.get(person)
        if bucket is None:
            return 0.0
        refill = 0.0 if bucket.tokens >= 1 else (1 - bucket.tokens) / self._rate
        paced = (0.0 if len(bucket.admitted) < self._pace
                 else max(0.0, bucket.admitted[0] + self._pace_seconds - self._clock()))
        return max(refill, paced)

    def _sweep(self, now: float) -> None:
        full = [person for person, bucket in self._buckets.items()
                if bucket.tokens + (now - bucket.updated) * self._rate >= self._burst
                and (not bucket.admitted or bucket.admitted[-1] <= now - self._pace_seconds)]
        for person in full:
            del self._buckets[person]
