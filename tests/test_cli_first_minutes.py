"""What an operator meets in the first minutes with `lotse` (issue 14): the version, errors of the
operating system named as such, and no claim of recording what was not recorded."""

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from tests.support.core import SAMPLE_KB
from tests.test_cli import ENCODER, lotse, workdir

__all__ = ["workdir"]


def test_version_is_printed(tmp_path: Path) -> None:
    result = lotse("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("lotse 0.")


def test_a_reader_that_goes_away_ends_the_command_quietly_with_status_141(workdir: Path) -> None:
    assert lotse("kb", "import", str(SAMPLE_KB), cwd=workdir).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "audit"], cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[1]), **ENCODER},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    error = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 141
    assert "Broken pipe" not in error and "database" not in error


def test_exporting_onto_an_existing_file_says_so(workdir: Path) -> None:
    (workdir / "taken").write_text("", encoding="utf-8")
    result = lotse("kb", "export", "taken", cwd=workdir)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("taken: File exists")
    assert "database" not in result.stderr


def test_ask_does_not_claim_to_note_what_it_does_not_record(workdir: Path) -> None:
    result = lotse("ask", "--kb", str(SAMPLE_KB), "Wann fährt der Bus?", cwd=workdir)
    assert result.stdout.strip() == "Darauf habe ich noch keine Antwort."


def test_a_problem_from_the_environment_names_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LOTSE_DATABASE__URL", "mysql://db")
    with pytest.raises(ConfigError) as raised:
        load_settings()
    assert str(raised.value.problems[0]).endswith("(from the environment variable LOTSE_DATABASE__URL)")


def test_a_top_level_key_below_a_table_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "lotse.toml"
    path.write_text('[database]\nurl = "sqlite+aiosqlite:///x.db"\nadmins = ["telegram:1"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    problem = str(raised.value.problems[0])
    assert problem.startswith("database.admins: unknown key in [database]; `admins` belongs at the top of the file")


def test_a_key_in_another_section_is_pointed_there(tmp_path: Path) -> None:
    path = tmp_path / "lotse.toml"
    path.write_text('[database]\ntoken = "123:abc"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert "`token` belongs in [telegram]" in str(raised.value.problems[0])
