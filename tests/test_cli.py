"""The `lotse` command line, run as a person would run it."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.core import SAMPLE_KB

ENTRY_COUNT = len(list(SAMPLE_KB.glob("*.md")))
ENCODER = {"LOTSE_KNOWLEDGE__ENCODER": "none"}
"""These tests answer lexically; tests/knowledge/test_ask.py runs `lotse ask` with the encoder."""


def lotse(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[1]), **ENCODER},
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A working directory whose lotse.toml keeps the starter out, so only the sample entries count."""
    (tmp_path / "lotse.toml").write_text("[knowledge]\nload_starter = false\n\n[kompass]\nload_starter = false\n",
                                         encoding="utf-8")
    return tmp_path


def test_ask_prints_the_answer(workdir: Path) -> None:
    result = lotse("ask", "--kb", str(SAMPLE_KB), "Wie mache ich ein PDF barrierefrei?", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Wie erstelle ich ein barrierefreies PDF?\n\nNutzen Sie Formatvorlagen")


def test_ask_json_prints_one_object(workdir: Path) -> None:
    result = lotse("ask", "--kb", str(SAMPLE_KB), "--json", "PDF barrierefrei machen", cwd=workdir)
    found = json.loads(result.stdout)
    assert found["outcome"] == "answer" and found["id"] == "barrierefreies-pdf"
    assert set(found) == {"outcome", "id", "score", "choices"}


def test_ask_without_a_question_answers_each_line_of_input_in_order(workdir: Path) -> None:
    result = lotse("ask", "--kb", str(SAMPLE_KB), cwd=workdir,
                   stdin="PDF barrierefrei machen\nWann fährt der Bus?\n2FA einführen\n")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["barrierefreies-pdf", None, "zwei-faktor"]
    assert lines[1]["outcome"] == "unknown"


def test_ask_uses_the_database_without_kb(workdir: Path) -> None:
    assert lotse("kb", "import", str(SAMPLE_KB), cwd=workdir).returncode == 0
    result = lotse("ask", "--json", "2FA einführen", cwd=workdir)
    assert json.loads(result.stdout)["id"] == "zwei-faktor"


def test_chat_reads_piped_messages_and_exits_at_the_end(workdir: Path) -> None:
    assert lotse("kb", "import", str(SAMPLE_KB), cwd=workdir).returncode == 0
    result = lotse("chat", "--user", "anna", cwd=workdir,
                   stdin="/lang en\nPDF barrierefrei machen\n+\nFördermittel beantragen\n1\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "All right, I will answer you in English from now on." in out
    assert "Wie erstelle ich ein barrierefreies PDF?" in out
    assert "Thank you for your feedback!" in out
    assert "Did you mean one of these questions?" in out and "  1) " in out


def test_kb_import_reports_every_malformed_file_and_writes_nothing(workdir: Path) -> None:
    folder = workdir / "kb"
    shutil.copytree(SAMPLE_KB, folder)
    (folder / "broken.md").write_text("---\nid: broken\nquestion: [unclosed\nlang: de\n---\nText\n")
    (folder / "no-lang.md").write_text("---\nid: no-lang\nquestion: Frage?\n---\nText\n")
    result = lotse("kb", "import", str(folder), cwd=workdir)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{folder / 'broken.md'}:4: front matter is not valid YAML: expected ',' or ']', but got ':'",
        f"{folder / 'no-lang.md'}:2: missing required key 'lang'",
    ]
    exported = workdir / "out"
    assert lotse("kb", "export", str(exported), cwd=workdir).returncode == 0
    assert list(exported.glob("*.md")) == []


def test_kb_import_then_export_reproduces_the_files_byte_for_byte(workdir: Path) -> None:
    imported = lotse("kb", "import", str(SAMPLE_KB), cwd=workdir)
    assert imported.stdout.strip() == f"imported {ENTRY_COUNT} entries: {ENTRY_COUNT} new, 0 updated, 0 unchanged"
    assert lotse("kb", "export", str(workdir / "out"), cwd=workdir).returncode == 0
    for original in SAMPLE_KB.glob("*.md"):
        assert (workdir / "out" / original.name).read_bytes() == original.read_bytes()


def test_a_fresh_database_gets_the_starter_knowledge_base(tmp_path: Path) -> None:
    assert lotse("kb", "export", str(tmp_path / "out"), cwd=tmp_path).returncode == 0
    assert len(list((tmp_path / "out").glob("*.md"))) >= 40


@pytest.mark.parametrize("command", [[], ["run"], ["chat"], ["ask"], ["kb", "import"], ["kb", "export"],
                                     ["db", "upgrade"]])
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    result = lotse(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("usage: lotse")
