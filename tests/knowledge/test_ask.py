"""`lotse ask` with the bundled encoder, run as a person would: the vectors of a folder are kept in a
cache file, so a second run encodes nothing; `--json` keeps its shape; `--explain` says why."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.files import write_files
from tests.support.knowledge import ENTRIES

ROOT = Path(__file__).parents[2]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write_files([(entry, None) for entry in ENTRIES[:10]], tmp_path / "kb")
    (tmp_path / "lotse.toml").write_text(
        f'[knowledge]\nload_starter = false\nencoder = "bundled"\nvector_cache = "{tmp_path / "vectors.sqlite"}"\n',
        encoding="utf-8")
    return tmp_path


def ask(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--kb", str(folder / "kb"), *args],
        cwd=folder, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(folder)},
    )


def test_the_vectors_of_a_folder_are_kept_so_a_second_run_encodes_nothing(folder: Path) -> None:
    first = ask(folder, "--json", "Wie organisieren wir unsere Datensicherung?")
    assert first.returncode == 0, first.stderr
    assert "encoding" in first.stderr
    assert (folder / "vectors.sqlite").is_file()
    second = ask(folder, "--json", "Wie organisieren wir unsere Datensicherung?")
    assert "encoding" not in second.stderr
    assert json.loads(second.stdout)["id"] == "datensicherung"


def test_json_keeps_its_shape_and_gives_each_choice_both_scores(folder: Path) -> None:
    result = ask(folder, "--json", "Backup")
    found = json.loads(result.stdout)
    assert set(found) == {"outcome", "id", "score", "choices"}
    for choice in found["choices"]:
        assert set(choice) == {"id", "score", "lexical", "semantic"}
        assert choice["semantic"] is not None


def test_explain_says_which_rule_answered_and_shows_both_views(folder: Path) -> None:
    result = ask(folder, "--explain", "Wie organisieren wir unsere Datensicherung?")
    assert result.returncode == 0, result.stderr
    assert "why (lexical and semantic): the lexical rules answer" in result.stdout
    assert "datensicherung" in result.stdout.split("why", 1)[1]
    as_json = json.loads(ask(folder, "--json", "--explain", "Wer gewinnt die Bundesliga?").stdout)
    assert as_json["explain"]["rule"] == "none" and as_json["explain"]["semantic_view"] is True
    assert {"id", "score", "lexical", "semantic", "standout", "signals"} <= set(as_json["explain"]["candidates"][0])
