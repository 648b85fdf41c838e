"""Every part's state is kept, and each change of state is logged once."""

import logging

import pytest

from bot.health import HealthBoard, State
from tests.support.core import FakeClock


def test_a_stopped_part_is_logged_at_error_once_per_change(caplog: pytest.LogCaptureFixture) -> None:
    board = HealthBoard(FakeClock())
    with caplog.at_level(logging.INFO, logger="bot.health"):
        board.report("telegram", State.RUNNING)
        board.report("telegram", State.FAILED, "database is locked")
        board.report("telegram", State.FAILED, "database is locked")
        board.report("telegram", State.RUNNING)
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("INFO", "telegram: running"),
        ("ERROR", "telegram: failed (database is locked)"),
        ("INFO", "telegram: running"),
    ]


def test_the_current_states_say_since_when_and_why() -> None:
    clock = FakeClock()
    board = HealthBoard(clock)
    board.report("matrix", State.DEGRADED, "homeserver does not answer")
    clock.advance(minutes=5)
    board.report("outbox:matrix", State.RUNNING)
    [matrix, outbox] = board.current()
    assert (matrix.component, matrix.state, matrix.detail) == ("matrix", State.DEGRADED, "homeserver does not answer")
    assert outbox.since - matrix.since == clock.now - matrix.since
