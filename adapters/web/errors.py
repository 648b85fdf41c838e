"""Recent warnings and errors of this process, kept in memory for the operators' page."""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime

KEPT = 50


@dataclass(frozen=True)
class LoggedProblem:
    at: datetime
    level: str
    source: str
    message: str


class RecentErrors(logging.Handler):
    """A logging handler that remembers the last `KEPT` records of WARNING and above."""

    def __init__(self, kept: int = KEPT) -> None:
        super().__init__(level=logging.WARNING)
        self._records: deque[LoggedProblem] = deque(maxlen=kept)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message}: {record.exc_info[1]!r}"
        self._records.append(LoggedProblem(datetime.fromtimestamp(record.created, UTC), record.levelname,
                                           record.name, message[:2000]))

    def newest_first(self) -> list[LoggedProblem]:
        return list(reversed(self._records))
