"""Reading what moderators type: the one-message `/faq add` form, lists, languages, dates, new ids.

Pure functions, so the guided dialogue and the one-message form read input the same way.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from knowledge.entry import LANGUAGES, Language
from knowledge.files import ID_PATTERN
from knowledge.normaliser import fold

SKIP = frozenset({"-", "–", "keine", "kein", "none", "no", "nein"})
"""What a moderator types to leave an optional step empty."""

MAX_ID_LENGTH = 60


@dataclass(frozen=True)
class Draft:
    """A new entry as a moderator described it, before it has an id."""

    question: str
    alternatives: tuple[str, ...]
    answer: str
    tags: tuple[str, ...]
    lang: Language


class FormError(ValueError):
    """The text does not fit the form; the message is a phrasebook key."""


def parse_form(text: str, default_language: Language) -> Draft:
    """`Question? | alternative; alternative | answer | tags | de`; the last two parts are optional."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) < 3 or len(parts) > 5 or not parts[0] or not parts[2]:
        raise FormError("form-usage")
    language = parse_language(parts[4]) if len(parts) == 5 and parts[4] else default_language
    if language is None:
        raise FormError("language-usage")
    return Draft(
        question=parts[0],
        alternatives=parse_list(parts[1], ";"),
        answer=parts[2],
        tags=parse_tags(parts[3]) if len(parts) >= 4 else (),
        lang=language,
    )


def parse_list(text: str, separator: str = ";") -> tuple[str, ...]:
    """Items separated by `separator` or by lines; a skip word means none."""
    if text.strip().casefold() in SKIP:
        return ()
    items = (item.strip().lstrip("-•").strip() for line in text.splitlines() for item in line.split(separator))
    return tuple(dict.fromkeys(item for item in items if item))


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags separated by commas or spaces, lowercase, without a leading `#`."""
    if text.strip().casefold() in SKIP:
        return ()
    tags = (tag.strip().lstrip("#").casefold() for tag in re.split(r"[,\s;]+", text))
    return tuple(dict.fromkeys(tag for tag in tags if tag))


def parse_language(text: str) -> Language | None:
    wanted = text.strip().casefold()
    aliases: dict[str, Language] = {"deutsch": "de", "german": "de", "englisch": "en", "english": "en"}
    for language in LANGUAGES:
        if wanted == language:
            return language
    return aliases.get(wanted)


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def new_id(question: str, taken: Collection[str]) -> str:
    """A readable id from the question's words ("Wie beantrage ich Fördergeld?" → `wie-beantrage-ich-foerdergeld`),
    numbered when it is taken already."""
    words = re.findall(r"[a-z0-9]+", fold(question))
    base = ""
    for word in words:
        candidate = f"{base}-{word}" if base else word
        if len(candidate) > MAX_ID_LENGTH:
            break
        base = candidate
    base = base or "eintrag"
    candidate, number = base, 2
    while candidate in taken or not ID_PATTERN.match(candidate):
        candidate = f"{base}-{number}"
        number += 1
    return candidate
