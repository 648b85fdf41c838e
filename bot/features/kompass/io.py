"""Reading what an operator hands over: a folder of Markdown files and CSVs, one file, or one CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.features.kompass.files import ItemFile, read_items
from bot.features.kompass.hsds import CsvRead, Translators, read_csv
from knowledge.files import KnowledgeFileError, Problem

if TYPE_CHECKING:
    from bot.features.kompass import KompassParts


def read_path(path: Path, kompass: KompassParts) -> CsvRead:
    """Every provider and offer below `path`; all files are read before any problem is raised."""
    directory = kompass.directory
    translators = Translators(area=directory.regions.area, topics=directory.topics.find)
    vocabulary = kompass.vocabulary
    csvs = sorted(path.rglob("*.csv")) if path.is_dir() else [path] if path.suffix.casefold() == ".csv" else []
    files: list[ItemFile] = []
    problems: list[Problem] = []
    inactive = 0
    try:
        if path.is_dir() or not csvs:
            files.extend(read_items([path], vocabulary))
    except KnowledgeFileError as error:
        problems.extend(error.problems)
    for csv_path in csvs:
        try:
            read = read_csv(csv_path, vocabulary, translators)
        except KnowledgeFileError as error:
            problems.extend(error.problems)
            continue
        files.extend(read.files)
        inactive += read.inactive
    seen: dict[tuple[str, str], Path] = {}
    for file in files:
        identity = (file.kind, file.item.id)
        if identity in seen and seen[identity] != file.path:
            problems.append(Problem(file.path, file.key_lines.get(file.kind, 2),
                                    f"{file.kind} id {file.item.id!r} is also used by {seen[identity]}"))
        seen.setdefault(identity, file.path)
    if problems:
        raise KnowledgeFileError(problems)
    return CsvRead(files, inactive)
