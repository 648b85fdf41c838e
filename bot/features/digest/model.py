"""The digest feature's vocabulary: resources, events and their occurrences, new answers.

Frozen values, free of storage, so composing and the calendar can be tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from knowledge.entry import Language

Kind = str
"""`resource` or `event`: what a digest item, a correction or a command is about."""


@dataclass(frozen=True)
class Resource:
    """A guide, report or good-practice example worth a line in the digest."""

    id: int
    title: str
    link: str
    summary: str = ""
    tags: tuple[str, ...] = ()
    language: Language = "de"
    source: str = "chat"
    added_by: str = ""
    added_at: datetime | None = None
    version: int = 1
    withdrawn: bool = False


@dataclass(frozen=True)
class Event:
    """An event as stored: `starts_at`/`ends_at` in UTC, `timezone` for showing and repeating it.
    All-day events start at local midnight and end (exclusively) at a later local midnight."""

    id: int
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime | None = None
    timezone: str = "Europe/Berlin"
    all_day: bool = False
    place: str = ""
    link: str = ""
    organiser: str = ""
    tags: tuple[str, ...] = ()
    language: Language = "de"
    recurrence: str | None = None
    source: str = "chat"
    added_by: str = ""
    added_at: datetime | None = None
    version: int = 1
    withdrawn: bool = False


@dataclass(frozen=True)
class Occurrence:
    """One time an event takes place; a recurring event has many."""

    event: Event
    starts_at: datetime
    ends_at: datetime | None


@dataclass(frozen=True)
class NewAnswer:
    """A knowledge-base entry that is new or was updated since an audience's last digest."""

    id: str
    question: str
    tags: tuple[str, ...]
    language: Language
    updated_at: datetime
