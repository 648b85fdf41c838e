"""Providers and offers as Markdown files with YAML front matter, like knowledge-base entries.

One provider or offer per file; the front matter says which (`provider: ID` or `offer: ID` first),
the text after it is the description. Reading is all or nothing: every problem of every file is
collected as `path:line: reason`. Writing reproduces an imported file byte for byte while it still
says what is stored, and writes the canonical layout otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from bot.features.kompass.model import (
    AUDIENCES,
    COSTS,
    FUNDING_TYPES,
    NATIONWIDE,
    OFFER_KINDS,
    PROVIDER_KINDS,
    Item,
    Offer,
    Provider,
)
from knowledge.entry import LANGUAGES
from knowledge.files import (
    FENCE,
    ID_PATTERN,
    KnowledgeFileError,
    Problem,
    read_source,
    split_front_matter,
    yaml_scalar,
)

URL = re.compile(r"^https?://\S+$")
KEY_LENGTHS = (2, 3, 5, 9, 12)


@dataclass(frozen=True)
class Field:
    """One front-matter key: how it is checked and which attribute it fills."""

    key: str
    kind: str
    """id, text, url, choice, choices, topics, area, date, dates, languages or person."""
    attribute: str = ""
    required: bool = False
    choices: Mapping[str, object] | None = None

    @property
    def name(self) -> str:
        return self.attribute or self.key


PROVIDER_FIELDS = (
    Field("provider", "id", "id", required=True),
    Field("name", "text", required=True),
    Field("kind", "choice", required=True, choices=PROVIDER_KINDS),
    Field("website", "url"),
    Field("contact", "text"),
    Field("contact_person", "person"),
    Field("area", "area"),
    Field("source", "text", required=True),
    Field("licence", "text"),
    Field("checked", "date", required=True),
)
OFFER_FIELDS = (
    Field("offer", "id", "id", required=True),
    Field("provider", "id", required=True),
    Field("kind", "choice", required=True, choices=OFFER_KINDS),
    Field("title", "text", required=True),
    Field("topics", "topics"),
    Field("audiences", "choices", choices=AUDIENCES),
    Field("area", "area"),
    Field("cost", "choice", choices=COSTS),
    Field("languages", "languages"),
    Field("link", "url"),
    Field("eligible", "text"),
    Field("funding_type", "choice", choices=FUNDING_TYPES),
    Field("deadlines", "dates"),
    Field("source", "text", required=True),
    Field("licence", "text"),
    Field("checked", "date", required=True),
)
SPECS: Mapping[str, tuple[Field, ...]] = {"provider": PROVIDER_FIELDS, "offer": OFFER_FIELDS}
BUILDERS: Mapping[str, Callable[..., Item]] = {"provider": Provider, "offer": Offer}


@dataclass(frozen=True)
class Vocabulary:
    """What the files may name: topic ids, region keys and members (ids on a platform Lotse knows)."""

    topics: frozenset[str]
    is_region: Callable[[str], bool]
    is_member: Callable[[str], bool]


@dataclass(frozen=True)
class ItemFile:
    """A provider or offer with the exact text it was read from and where its keys are."""

    path: Path
    item: Item
    source: str
    key_lines: Mapping[str, int]

    @property
    def kind(self) -> str:
        return kind_of(self.item)


def kind_of(item: Item) -> str:
    return "provider" if isinstance(item, Provider) else "offer"


def read_items(paths: Iterable[Path], vocabulary: Vocabulary) -> list[ItemFile]:
    """Parse every `*.md` file below the given folders (or the files themselves), with unique ids."""
    files: list[ItemFile] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in _markdown_files(paths, problems):
        try:
            file = parse_file(path, vocabulary)
        except KnowledgeFileError as error:
            problems.extend(error.problems)
            continue
        identity = (file.kind, file.item.id)
        if identity in seen:
            problems.append(Problem(path, 2, f"{file.kind} id {file.item.id!r} is also used by {seen[identity]}"))
            continue
        seen[identity] = path
        files.append(file)
    if problems:
        raise KnowledgeFileError(problems)
    return files


def parse_file(path: Path, vocabulary: Vocabulary) -> ItemFile:
    source = read_source(path)
    item, key_lines = parse_text(source, path, vocabulary)
    return ItemFile(path, item, source, key_lines)


def parse_text(source: str, path: Path, vocabulary: Vocabulary) -> tuple[Item, dict[str, int]]:
    """One provider or offer from the text of its file; `path` is only used in problem reports."""
    front = split_front_matter(source, path)
    kinds = [kind for kind in SPECS if kind in front.fields and SPECS[kind][0].kind == "id"]
    kind = "offer" if "offer" in kinds else kinds[0] if kinds else None
    if kind is None:
        raise KnowledgeFileError([Problem(path, 2, "front matter must name a 'provider: ID' or an 'offer: ID'")])
    values, problems = read_fields(SPECS[kind], front.fields, lambda key: front.key_lines.get(key, 2), path,
                                   vocabulary)
    if problems:
        raise KnowledgeFileError(problems)
    return BUILDERS[kind](**values, description=front.body), front.key_lines


def read_fields(spec: Sequence[Field], raw: Mapping[str, Any], line_of: Callable[[str], int], path: Path,
                vocabulary: Vocabulary) -> tuple[dict[str, Any], list[Problem]]:
    """Check raw values against a spec; the attributes to build the item from, and what is wrong."""
    problems: list[Problem] = []
    known = [field.key for field in spec]
    for key in raw:
        if key not in known:
            problems.append(Problem(path, line_of(key), f"unknown key {key!r} (known: {', '.join(known)})"))
    values: dict[str, Any] = {}
    for field in spec:
        value = raw.get(field.key)
        if value is None or value == "" or value == []:
            if field.required:
                problems.append(Problem(path, line_of(field.key) if field.key in raw else 2,
                                        f"missing required key {field.key!r}"))
            continue
        checked, reason = _check(field, value, vocabulary)
        if reason is not None:
            problems.append(Problem(path, line_of(field.key), f"{field.key}: {reason}"))
        else:
            values[field.name] = checked
    return values, problems


def render(item: Item) -> str:
    """The canonical file text of a provider or offer."""
    kind = kind_of(item)
    defaults = BUILDERS[kind](**{field.name: getattr(item, field.name) for field in SPECS[kind] if field.required})
    lines = [FENCE]
    for field in SPECS[kind]:
        value = getattr(item, field.name)
        if not field.required and value == getattr(defaults, field.name):
            continue
        lines.append(f"{field.key}: {_render_value(field, value)}")
    lines.append(FENCE)
    if item.description.strip():
        lines.append(item.description.strip("\n"))
    return "\n".join(lines) + "\n"


def export_text(item: Item, source: str | None, vocabulary: Vocabulary) -> str:
    """The imported text while it still says exactly what is stored, else the canonical text."""
    if source is not None:
        try:
            if parse_text(source, Path(item.id), vocabulary)[0] == item:
                return source
        except KnowledgeFileError:
            pass
    return render(item)


def write_items(items: Iterable[tuple[Item, str | None]], folder: Path, vocabulary: Vocabulary) -> list[Path]:
    """Write `providers/<id>.md` and `offers/<id>.md` below `folder`."""
    written = []
    for item, source in items:
        target = folder / f"{kind_of(item)}s" / f"{item.id}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(export_text(item, source, vocabulary).encode("utf-8"))
        written.append(target)
    return written


def with_changes(item: Item, changes: Mapping[str, Any]) -> Item:
    """The item with some attributes replaced (for edits in chat)."""
    return replace(item, **changes)


def attributes(item: Item) -> dict[str, Any]:
    """The item's values as JSON-friendly data, for versions and the audit log."""
    data: dict[str, Any] = {}
    for attribute in fields(item):
        value = getattr(item, attribute.name)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = [part.isoformat() if isinstance(part, date) else part for part in value]
        data[attribute.name] = value
    return data


def from_attributes(kind: str, data: Mapping[str, Any]) -> Item:
    """The inverse of `attributes`."""
    values: dict[str, Any] = {}
    for field in (*SPECS[kind], Field("description", "text")):
        if field.name not in data:
            continue
        value = data[field.name]
        if field.kind == "date":
            value = date.fromisoformat(value)
        elif field.kind == "dates":
            value = tuple(date.fromisoformat(part) for part in value)
        elif isinstance(value, list):
            value = tuple(value)
        values[field.name] = value
    return BUILDERS[kind](**values)


def region_key(value: object) -> str:
    """A region key as written; a key YAML read as a number gets back its leading zero."""
    if isinstance(value, int) and not isinstance(value, bool):
        digits = str(value)
        return digits.zfill(next((length for length in KEY_LENGTHS if length >= len(digits)), len(digits)))
    return str(value).strip()


def _check(field: Field, value: Any, vocabulary: Vocabulary) -> tuple[Any, str | None]:
    kind = field.kind
    if kind == "id":
        ok = isinstance(value, str) and bool(ID_PATTERN.match(value))
        return value, None if ok else "must be lowercase letters, digits and hyphens, at most 80 characters"
    if kind in ("text", "url", "person", "choice"):
        if not isinstance(value, str) or not value.strip():
            return value, "must be a text"
        value = value.strip()
        if kind == "url" and not URL.match(value):
            return value, "must be a link starting with https://"
        if kind == "person" and not vocabulary.is_member(value):
            return value, "must be a Lotse member id such as telegram:123456 or matrix:@anna:example.org"
        if kind == "choice" and field.choices is not None and value not in field.choices:
            return value, f"must be one of {', '.join(field.choices)}"
        return value, None
    if kind == "date":
        return value, None if isinstance(value, date) else "must be a date such as 2027-06-30"
    values = value if isinstance(value, list) else [value]
    if kind == "dates":
        if not all(isinstance(part, date) for part in values):
            return value, "must be a list of dates such as [2027-03-31, 2027-09-30]"
        return tuple(sorted(set(values))), None
    if kind == "area":
        keys = tuple(dict.fromkeys(region_key(part) for part in values))
        unknown = [key for key in keys if key != NATIONWIDE and not vocabulary.is_region(key)]
        if unknown:
            return value, (f"{', '.join(unknown)} is not a region key ({NATIONWIDE}, or the official key of a "
                           "state, district or municipality, e.g. '11' or '06412')")
        return keys, None
    if not all(isinstance(part, str) and part.strip() for part in values):
        return value, "must be a list of texts"
    parts = tuple(dict.fromkeys(part.strip() for part in values))
    allowed: Iterable[str] = (vocabulary.topics if kind == "topics" else LANGUAGES if kind == "languages"
                              else field.choices or ())
    unknown = [part for part in parts if part not in allowed]
    if unknown:
        return value, f"unknown {', '.join(unknown)} (known: {', '.join(sorted(allowed))})"
    return parts, None


def _render_value(field: Field, value: Any) -> str:
    if field.kind == "date":
        return str(value.isoformat())
    if field.kind == "dates":
        return "[" + ", ".join(part.isoformat() for part in value) + "]"
    if isinstance(value, tuple):
        return "[" + ", ".join(yaml_scalar(str(part), flow=True) for part in value) + "]"
    return yaml_scalar(str(value))


def _markdown_files(paths: Iterable[Path], problems: list[Problem]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.md") if not p.name.startswith(".") and p.name != "README.md"))
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(path, 0, "no such file or folder"))
    return found
