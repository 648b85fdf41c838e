"""Whether a text holds any word at all: German and English dictionaries (pyspellchecker's), so
"asdfgh", "?" or a pasted escape sequence are not taken for a question the moderators should see."""

from __future__ import annotations

import re
import threading
from functools import cache

from spellchecker import SpellChecker

from knowledge.normaliser import fold

_MARKUP = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]*>", re.IGNORECASE | re.DOTALL)
_WORD = re.compile(r"[^\W\d_]{2,}")
_LOCK = threading.Lock()


@cache
def _dictionaries() -> tuple[SpellChecker, ...]:
    """Loaded once, on first use (about a second): most conversations never need them."""
    with _LOCK:
        return SpellChecker(language="de", distance=1), SpellChecker(language="en", distance=1)


def has_words(text: str) -> bool:
    """Whether the text, with any markup taken out, holds a word of two or more letters that a
    German or English dictionary knows."""
    prose = _MARKUP.sub(" ", text)
    dictionaries = _dictionaries()
    for word in _WORD.findall(prose):
        lowered = word.lower()
        if any(lowered in dictionary or fold(lowered) in dictionary for dictionary in dictionaries):
            return True
    return False
