"""The knowledge-base entry: one curated question with its phrasings and answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal

Language = Literal["de", "en"]
LANGUAGES: tuple[Language, ...] = ("de", "en")


def as_language(value: object) -> Language:
    """A stored or configured language code as a `Language`; anything but English is German."""
    return "en" if value == "en" else "de"


class Status(StrEnum):
    """Only published entries are used to answer members."""

    DRAFT = "draft"
    PUBLISHED = "published"


@dataclass(frozen=True)
class Entry:
    """What a moderator curates: the canonical question, other phrasings, the answer in Markdown."""

    id: str
    question: str
    answer: str
    alternatives: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    lang: Language = "de"
    status: Status = Status.PUBLISHED
    review_by: date | None = None
    """When a moderator should look at the answer again (funding and legal answers go stale)."""
    offers: tuple[str, ...] = ()
    """Ids of Beratungskompass offers to show beside the answer."""

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question followed by its alternatives."""
        return (self.question, *self.alternatives)
