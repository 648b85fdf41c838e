"""The check's catalogue: Markdown files in both languages, read whole or not at all, with a version."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.features.check.catalogue import CatalogueError, read_catalogue, starter_catalogue_folder


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(starter_catalogue_folder(), tmp_path / "checks")
    return tmp_path / "checks"


def test_the_starter_catalogue_has_the_seven_dimensions_with_three_to_five_statements_each() -> None:
    catalogue = read_catalogue(starter_catalogue_folder())
    assert [d.id for d in catalogue.dimensions] == [
        "strategy", "people", "processes", "data", "security", "accessibility", "infrastructure"]
    assert all(3 <= len(d.statements) <= 5 and d.measures for d in catalogue.dimensions)
    assert all(m.source["de"] and m.source["en"] for d in catalogue.dimensions for m in d.measures)


def test_every_starter_file_names_its_sources() -> None:
    for path in starter_catalogue_folder().rglob("*.md"):
        assert "Quellen" in path.read_text() or "Sources" in path.read_text(), path


def test_a_broken_measure_is_reported_with_its_file_and_line_and_nothing_is_read(copy: Path) -> None:
    path = copy / "de" / "5-sicherheit.md"
    path.write_text(path.read_text().replace("    effort: 2\n", "    effort: lots\n", 1))
    with pytest.raises(CatalogueError) as raised:
        read_catalogue(copy)
    [problem] = raised.value.problems
    assert problem.path == path
    assert path.read_text().splitlines()[problem.line - 1].strip() == "- id: backup-321"
    reason = "measure 'backup-321': effort must be 1 (low), 2 (medium) or 3 (high)"
    assert str(problem) == f"{path}:{problem.line}: {reason}"


def test_a_statement_missing_in_one_language_is_refused(copy: Path) -> None:
    path = copy / "en" / "6-accessibility.md"
    text = path.read_text()
    start = text.index("  - id: easy-language")
    path.write_text(text[:start] + text[text.index("measures:"):])
    with pytest.raises(CatalogueError, match="statements must have the same ids"):
        read_catalogue(copy)


def test_a_changed_text_makes_a_new_version(copy: Path) -> None:
    before = read_catalogue(copy).version
    path = copy / "en" / "1-strategy.md"
    path.write_text(path.read_text().replace("a written mandate", "a signed mandate"))
    assert read_catalogue(copy).version != before
