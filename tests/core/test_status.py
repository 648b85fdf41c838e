"""`lotse status` shows what the running instances record: each part's state, since when, the last error."""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.health import HealthBoard, HealthRecords, State
from bot.storage.database import Database


def status(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", "status", *args], cwd=workdir, capture_output=True,
                          text=True, timeout=120)


async def recorded(workdir: Path, at: datetime) -> None:
    database = Database(f"sqlite+aiosqlite:///{workdir / 'lotse.db'}")
    await database.upgrade()
    board = HealthBoard(lambda: at)
    board.report("telegram", State.FAILED, "database is locked")
    board.report("telegram", State.RUNNING)
    board.report("matrix", State.STANDBY, "matrix account @lotse:example.org is served by host-b:7")
    await HealthRecords(database, lambda: at).record("host-a:42:beef", board.current())
    await database.close()


async def test_status_lists_each_part_with_its_state_since_and_last_error(tmp_path: Path) -> None:
    await recorded(tmp_path, datetime.now(UTC))
    result = status(tmp_path)
    assert result.returncode == 0, result.stderr
    [matrix, telegram] = result.stdout.splitlines()
    assert matrix.startswith("matrix     standby  since ") and "served by host-b:7" in matrix
    assert telegram.startswith("telegram   running  since ") and "host-a:42:beef" in telegram
    assert "(last error " in telegram and "database is locked" in telegram


async def test_status_of_a_part_in_trouble_exits_with_1_and_json_has_every_field(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}")
    await database.upgrade()
    now = datetime.now(UTC)
    board = HealthBoard(lambda: now)
    board.report("telegram", State.FAILED, "Bot API answers 502")
    await HealthRecords(database, lambda: now).record("host-a:42:beef", board.current())
    await database.close()
    result = status(tmp_path, "--json")
    assert result.returncode == 1
    [part] = [json.loads(line) for line in result.stdout.splitlines()]
    assert part["state"] == "failed" and part["live"] is True and part["last_error"] == "Bot API answers 502"


async def test_an_instance_that_stopped_recording_is_shown_as_gone(tmp_path: Path) -> None:
    await recorded(tmp_path, datetime.now(UTC) - timedelta(hours=2))
    result = status(tmp_path)
    assert result.returncode == 1
    assert "no instance of Lotse is running" in result.stderr
    assert all(" gone (last seen " in line for line in result.stdout.splitlines())


async def test_parts_shut_down_on_purpose_are_no_trouble(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}")
    await database.upgrade()
    now = datetime.now(UTC)
    board = HealthBoard(lambda: now)
    board.report("telegram", State.RUNNING)
    board.report("scheduler", State.STOPPED)
    await HealthRecords(database, lambda: now).record("host-a:42:beef", board.current())
    await database.close()
    assert status(tmp_path).returncode == 0
