"""`lotse audit`, `lotse kb export` and `lotse kb import` next to a running, curated installation."""

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.composition import Lotse
from knowledge.files import read_files
from tests.curation.conftest import ANNA, MONA, say
from tests.support.core import SAMPLE_KB, TEST_KEY, FakeClock


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> Path:
    path = tmp_path / "lotse.toml"
    path.write_text(f'[database]\nurl = "{database_url}"\n\n[knowledge]\nload_starter = false\n\n'
                    '[kompass]\nload_starter = false\n\n'
                    f'[privacy]\nkey = "{TEST_KEY}"\n', encoding="utf-8")
    return path


async def lotse_command(config: Path, *args: str) -> int:
    return await asyncio.to_thread(main, ["--config", str(config), *args])


async def test_lotse_audit_lists_who_changed_what(curated: Lotse, config: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    await say(curated, MONA, "/faq edit zwei-faktor answer Eine Authenticator-App genügt.")
    assert await lotse_command(config, "audit", "--subject", "entry:zwei-faktor") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"2026-11-23 09:00:00 {MONA} entry.edit entry:zwei-faktor (answer)"
    assert lines[1] == "2026-11-23 09:00:00 test entry.create entry:zwei-faktor"


async def test_lotse_audit_json_has_before_and_after(curated: Lotse, config: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    await say(curated, MONA, "/faq delete zwei-faktor")
    assert await lotse_command(config, "audit", "--json", "--limit", "1") == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["actor"], record["action"], record["before"]["id"], record["after"]) == (
        MONA, "entry.delete", "zwei-faktor", None)


async def test_kb_export_reflects_curation_changes(curated: Lotse, config: Path, tmp_path: Path) -> None:
    await say(curated, MONA, "/faq alias zwei-faktor MFA einrichten")
    await say(curated, MONA, "/faq delete video-conference")
    assert await lotse_command(config, "kb", "export", str(tmp_path / "export")) == 0
    exported = {file.entry.id: file.entry for file in read_files(tmp_path / "export")}
    assert "video-conference" not in exported
    assert exported["zwei-faktor"].alternatives[-1] == "MFA einrichten"
    assert (tmp_path / "export" / "barrierefreies-pdf.md").read_bytes() == (
        SAMPLE_KB / "barrierefreies-pdf.md").read_bytes()


async def test_an_import_is_picked_up_by_the_running_bot(curated: Lotse, config: Path, tmp_path: Path,
                                                          clock: FakeClock) -> None:
    [before] = await say(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")
    changed = (SAMPLE_KB / "zwei-faktor.md").read_text(encoding="utf-8").replace(
        "Eine Authenticator-App genügt für den Anfang", "Ein Hardware-Schlüssel ist noch besser")
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "zwei-faktor.md").write_text(changed, encoding="utf-8")
    assert await lotse_command(config, "kb", "import", str(tmp_path / "kb")) == 0
    clock.advance(seconds=10)
    [after] = await say(curated, ANNA, "Wie richten wir Zwei-Faktor-Authentisierung ein?")
    assert "Hardware-Schlüssel" in after.text and "Hardware-Schlüssel" not in before.text
