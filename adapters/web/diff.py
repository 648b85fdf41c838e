"""What changed between two versions of an entry, field by field, line by line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from knowledge.entry import Entry

FIELDS = ("question", "alternatives", "answer", "tags", "lang", "status", "review_by")
LineKind = Literal["same", "added", "removed"]


@dataclass(frozen=True)
class Line:
    kind: LineKind
    text: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    lines: tuple[Line, ...]


def field_lines(entry: Entry, field: str) -> list[str]:
    """A field as lines: one per alternative or tag, the answer's own lines, else one line."""
    value = getattr(entry, field)
    if isinstance(value, tuple):
        return [str(item) for item in value]
    if field == "answer":
        return str(value).splitlines()
    if value is None:
        return []
    return [str(getattr(value, "value", value))]


def changes(before: Entry | None, after: Entry) -> list[FieldChange]:
    """The fields that differ, each with its lines marked kept, added or removed; all fields for a new entry."""
    found = []
    for field in FIELDS:
        old = field_lines(before, field) if before is not None else []
        new = field_lines(after, field)
        if old == new:
            continue
        lines = []
        for line in difflib.ndiff(old, new):
            marker, text = line[:2], line[2:]
            if marker == "+ ":
                lines.append(Line("added", text))
            elif marker == "- ":
                lines.append(Line("removed", text))
            elif marker == "  ":
                lines.append(Line("same", text))
        found.append(FieldChange(field, tuple(lines)))
    return found
