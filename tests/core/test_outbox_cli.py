"""`lotse outbox list` and `lotse outbox requeue`, run as an operator would run them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bindings import ActionBindings
from bot.composition import assemble
from bot.messages import ChatId, Reply
from bot.outbox import Outbox, OutboxWorker, enqueue
from tests.support.core import TEST_KEY, FakeClock, sample_settings
from tests.support.recording import RecordingPlatform


def lotse(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2]),
             "LOTSE_KNOWLEDGE__ENCODER": "none", "LOTSE_PRIVACY__KEY": TEST_KEY},
    )


@pytest.fixture
async def interrupted(tmp_path: Path) -> Path:
    """A database with one message cut off by a crash on Telegram; the folder with its lotse.toml."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'lotse.db'}"
    (tmp_path / "lotse.toml").write_text(
        f'[database]\nurl = "{url}"\n\n[knowledge]\nload_starter = false\n\n[kompass]\nload_starter = false\n',
        encoding="utf-8")
    clock = FakeClock()
    core = await assemble(sample_settings(url), clock=clock)
    try:
        async with core.database.transaction() as session:
            await enqueue(session, "digest:room:telegram:-1:2026-W48", ChatId("telegram:-1"), Reply("x"), clock())
        crashed = Outbox(core.database, clock, ActionBindings(core.pseudonyms))
        [delivery] = await crashed.claim({"telegram"})
        await crashed.begin(delivery)
        clock.advance(minutes=6)
        await OutboxWorker(core.outbox, {"telegram": RecordingPlatform("telegram")}).deliver_due()
    finally:
        await core.close()
    return tmp_path


def test_list_shows_an_interrupted_message(interrupted: Path) -> None:
    result = lotse("outbox", "list", "--interrupted", "--json", cwd=interrupted)
    assert result.returncode == 0, result.stderr
    [message] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (message["key"], message["state"]) == ("digest:room:telegram:-1:2026-W48", "interrupted")


def test_requeue_by_platform_puts_it_back_in_line(interrupted: Path) -> None:
    result = lotse("outbox", "requeue", "--platform", "telegram", cwd=interrupted)
    assert result.returncode == 0, result.stderr
    listed = lotse("outbox", "list", "--json", cwd=interrupted)
    assert [json.loads(line)["state"] for line in listed.stdout.splitlines()] == ["waiting"]


def test_requeue_without_naming_messages_is_refused(interrupted: Path) -> None:
    assert lotse("outbox", "requeue", cwd=interrupted).returncode == 2
