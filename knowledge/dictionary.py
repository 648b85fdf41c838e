"""Whether a word is a real German or English word (pyspellchecker's dictionaries, folded as the
normaliser folds): then it is no typo of a knowledge-base word ("backen" is not "bauen"), and a
text holding none ("asdfgh", "?", an escape sequence) is not a question for the moderators."""

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
def _words() -> frozenset[str]:
    """Loaded once, on first use (a second or two): most conversations never need it."""
    with _LOCK:
        found: set[str] = set()
        for language in ("de", "en"):
            found.update(fold(word) for word in SpellChecker(language=language, distance=1).word_frequency.keys()
                         if len(word) > 1)
        return frozenset(found)


def is_word(word: str) -> bool:
    """Whether a dictionary knows the word, in any case and with umlauts folded ("Brötchen", "broetchen")."""
    return fold(word) in _words()


def has_words(text: str) -> bool:
    """Whether the text, with any markup taken out, holds a word of two or more letters that a
    German or English dictionary knows."""
    return any(is_word(word) for word in _WORD.findall(_MARKUP.sub(" ", text)))
