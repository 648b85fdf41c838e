"""Reading and writing knowledge-base entries as Markdown files with YAML front matter.

Reading is all or nothing: every problem in every file is collected with its path and line,
and nothing is returned unless all files are sound.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from knowledge.entry import LANGUAGES, Entry, Status

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
KNOWN_KEYS = ("id", "question", "alternatives", "tags", "lang", "status", "review_by", "offers")
REQUIRED_KEYS = ("id", "question", "lang")
FENCE = "---"


@dataclass(frozen=True)
class Problem:
    """What is wrong with a knowledge-base file, and where."""

    path: Path
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class KnowledgeFileError(Exception):
    """One or more files could not be read; `problems` lists each of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class EntryFile:
    """An entry together with the exact text it was read from, so an export can reproduce it."""

    path: Path
    entry: Entry
    source: str


def load_entries(path: Path) -> list[Entry]:
    """The entries in a file or a folder of files; raises `KnowledgeFileError` listing every problem."""
    return [file.entry for file in read_files(path)]


def read_files(path: Path) -> list[EntryFile]:
    """Parse a file or every `*.md` file below a folder, checking ids are unique across them."""
    if path.is_dir():
        paths = sorted(p for p in path.rglob("*.md") if not p.name.startswith("."))
    elif path.is_file():
        paths = [path]
    else:
        raise KnowledgeFileError([Problem(path, 0, "no such file or folder")])
    files: list[EntryFile] = []
    problems: list[Problem] = []
    first_seen: dict[str, Path] = {}
    for file_path in paths:
        try:
            file = parse_file(file_path)
        except KnowledgeFileError as error:
            problems.extend(error.problems)
            continue
        if file.entry.id in first_seen:
            problems.append(
                Problem(file_path, 2, f"id {file.entry.id!r} is also used by {first_seen[file.entry.id]}")
            )
            continue
        first_seen[file.entry.id] = file_path
        files.append(file)
    if problems:
        raise KnowledgeFileError(problems)
    return files


def parse_file(path: Path) -> EntryFile:
    """Read one entry file."""
    source = read_source(path)
    return EntryFile(path, parse_text(source, path), source)


def read_source(path: Path) -> str:
    """A file's text as UTF-8; a file that cannot be read or decoded is a `KnowledgeFileError`."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise KnowledgeFileError([Problem(path, 0, f"cannot be read: {error.strerror}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise KnowledgeFileError([Problem(path, line, "is not valid UTF-8")]) from None


@dataclass(frozen=True)
class FrontMatter:
    """A file split at its front matter: the values, the file line of each key, the text after it."""

    fields: dict[str, Any]
    key_lines: dict[str, int]
    body: str
    body_line: int
    """The line of the closing fence, where a problem with the body is reported."""


def split_front_matter(source: str, path: Path) -> FrontMatter:
    """Read the YAML front matter of any file of this layout; `path` is only used in problem reports."""
    lines = source.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise KnowledgeFileError([Problem(path, 1, "must start with a '---' line opening the front matter")])
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if closing is None:
        raise KnowledgeFileError([Problem(path, 1, "front matter is not closed by a '---' line")])
    fields, key_lines = _front_matter("\n".join(lines[1:closing]), path)
    return FrontMatter(fields, key_lines, "\n".join(lines[closing + 1 :]).strip(), closing + 1)


def parse_text(source: str, path: Path) -> Entry:
    """Parse the text of one entry file; `path` is only used in problem reports."""
    front = split_front_matter(source, path)
    fields, key_lines, answer = front.fields, front.key_lines, front.body
    problems = _check_fields(fields, key_lines, path)
    if not answer:
        problems.append(Problem(path, front.body_line, "the answer after the front matter is empty"))
    if problems:
        raise KnowledgeFileError(problems)
    return Entry(
        id=fields["id"],
        question=fields["question"].strip(),
        answer=answer,
        alternatives=tuple(a.strip() for a in fields.get("alternatives") or ()),
        tags=tuple(str(t) for t in fields.get("tags") or ()),
        lang=fields["lang"],
        status=Status(fields.get("status", Status.PUBLISHED.value)),
        review_by=fields.get("review_by"),
        offers=tuple(str(offer) for offer in fields.get("offers") or ()),
    )


def _front_matter(front: str, path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter's values and the file line of each key (line 1 is the opening fence)."""
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
        values = yaml.safe_load(front)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2
        reason = getattr(error, "problem", None) or str(error)
        raise KnowledgeFileError([Problem(path, line, f"front matter is not valid YAML: {reason}")]) from None
    if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
        raise KnowledgeFileError([Problem(path, 2, "front matter must be a mapping of keys to values")])
    key_lines = {str(key.value): key.start_mark.line + 2 for key, _ in node.value}
    return {str(key): value for key, value in values.items()}, key_lines


def _check_fields(fields: dict[str, Any], key_lines: dict[str, int], path: Path) -> list[Problem]:
    problems: list[Problem] = []

    def problem(key: str, reason: str) -> None:
        problems.append(Problem(path, key_lines.get(key, 2), reason))

    for key in fields:
        if key not in KNOWN_KEYS:
            problem(key, f"unknown key {key!r} (known: {', '.join(KNOWN_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in fields:
            problems.append(Problem(path, 2, f"missing required key {key!r}"))
    if "id" in fields and not (isinstance(fields["id"], str) and ID_PATTERN.match(fields["id"])):
        problem("id", "id must be lowercase letters, digits and hyphens, at most 80 characters")
    if "question" in fields and not (isinstance(fields["question"], str) and fields["question"].strip()):
        problem("question", "question must be a non-empty text")
    for key in ("alternatives", "tags", "offers"):
        value = fields.get(key)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
        ):
            problem(key, f"{key} must be a list of non-empty texts")
    if "lang" in fields and not (isinstance(fields["lang"], str) and fields["lang"] in LANGUAGES):
        problem("lang", f"lang must be one of {', '.join(LANGUAGES)}")
    if "status" in fields and not (isinstance(fields["status"], str) and fields["status"] in set(Status)):
        problem("status", "status must be draft or published")
    if "review_by" in fields and not isinstance(fields["review_by"], date):
        problem("review_by", "review_by must be a date such as 2027-06-30")
    return problems


def render_entry(entry: Entry) -> str:
    """The canonical file text of an entry, in the layout DESIGN.md shows."""
    lines = [FENCE, f"id: {entry.id}", f"question: {yaml_scalar(entry.question)}"]
    if entry.alternatives:
        lines.append("alternatives:")
        lines.extend(f"  - {yaml_scalar(alternative)}" for alternative in entry.alternatives)
    lines.append(f"tags: [{', '.join(yaml_scalar(tag, flow=True) for tag in entry.tags)}]")
    lines.append(f"lang: {entry.lang}")
    if entry.status is not Status.PUBLISHED:
        lines.append(f"status: {entry.status.value}")
    if entry.review_by is not None:
        lines.append(f"review_by: {entry.review_by.isoformat()}")
    if entry.offers:
        lines.append(f"offers: [{', '.join(yaml_scalar(offer, flow=True) for offer in entry.offers)}]")
    lines.extend([FENCE, entry.answer.strip("\n"), ""])
    return "\n".join(lines)


def export_text(entry: Entry, source: str | None) -> str:
    """The original file text while it still says exactly what the entry says, else the canonical text."""
    if source is not None:
        try:
            if parse_text(source, Path(entry.id)) == entry:
                return source
        except KnowledgeFileError:
            pass
    return render_entry(entry)


def write_files(entries: Iterable[tuple[Entry, str | None]], folder: Path) -> list[Path]:
    """Write each entry to `<folder>/<id>.md` (the stored source text where it still applies)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for entry, source in entries:
        target = folder / f"{entry.id}.md"
        target.write_bytes(export_text(entry, source).encode("utf-8"))
        written.append(target)
    return written


def yaml_scalar(text: str, flow: bool = False) -> str:
    """`text` as a YAML scalar: plain where YAML reads it back unchanged, otherwise double-quoted."""
    unsafe_in_flow = flow and any(c in text for c in ",[]{}")
    if not unsafe_in_flow and text == text.strip() and "\n" not in text:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)

