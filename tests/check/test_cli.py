"""The check in the terminal (`lotse chat`) and the operators' `lotse check export` and `import`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.features.check.catalogue import starter_catalogue_folder
from tests.test_cli import lotse


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "lotse.toml").write_text("[knowledge]\nload_starter = false\n\n[kompass]\nload_starter = false\n\n"
                                         "[throttle]\nenabled = false\n",
                                         encoding="utf-8")
    return tmp_path


def test_a_check_typed_in_the_terminal_is_exported_by_the_operator(workdir: Path) -> None:
    typed = "/check\n1\nSachsen\n1, Fachverfahren\n" + "3\n" * 29 + "/check share\n"
    chat = lotse("chat", "--user", "anna", cwd=workdir, stdin=typed)
    assert chat.returncode == 0, chat.stderr
    assert "Aussage 29 von 29" in chat.stdout and "Keine Lücken" in chat.stdout
    found = re.search(r"/check join ([A-Z0-9]{8})", chat.stdout)
    assert found is not None
    result = lotse("check", "export", found.group(1), str(workdir / "check.md"), cwd=workdir)
    assert result.returncode == 0, result.stderr
    document = (workdir / "check.md").read_text()
    assert "Organisation: Kommunalverwaltung, Sachsen" in document
    assert "Vorhandene Systeme: Microsoft 365 / Office, Fachverfahren" in document
    assert lotse("check", "export", found.group(1), str(workdir / "check.pdf"), cwd=workdir).returncode == 0
    assert (workdir / "check.pdf").read_bytes().startswith(b"%PDF-")


def test_an_unknown_code_is_an_error(workdir: Path) -> None:
    result = lotse("check", "export", "NOSUCH22", str(workdir / "x.md"), cwd=workdir)
    assert result.returncode == 1 and "NOSUCH22" in result.stderr


def test_a_broken_catalogue_is_refused_with_path_and_line(workdir: Path) -> None:
    folder = workdir / "checks"
    shutil.copytree(starter_catalogue_folder(), folder)
    path = folder / "de" / "6-barrierefreiheit.md"
    path.write_text(path.read_text().replace("system: existing", "system: somewhere", 1))
    result = lotse("check", "import", str(folder), cwd=workdir)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{path}:")
    assert "system must be one of existing, neutral, island" in result.stderr


def test_a_changed_catalogue_is_imported_as_a_new_version(workdir: Path) -> None:
    folder = workdir / "checks"
    shutil.copytree(starter_catalogue_folder(), folder)
    path = folder / "en" / "1-strategy.md"
    path.write_text(path.read_text().replace("written mandate", "signed mandate"))
    result = lotse("check", "import", str(folder), cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("imported")
