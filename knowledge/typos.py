"""Typo correction to the nearest word of the knowledge base's own vocabulary.

A misspelt word that is close to a known word is read as that word; anything else stays unknown,
which is exactly what lets the matcher refuse questions about things the knowledge base lacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

MIN_LENGTH = 5
"""Shorter words are too often other real words one edit away."""

_SOUND_ALIKE = (("ph", "f"), ("th", "t"), ("ck", "k"), ("dt", "t"))


def skeleton(word: str) -> str:
    """Spelling variants that sound alike ("fishing"/"phishing") compare as equal."""
    for written, heard in _SOUND_ALIKE:
        word = word.replace(written, heard)
    return word


def max_distance(length: int) -> int:
    """Edits allowed for a word of this length: one for short words, more for long compounds."""
    if length < MIN_LENGTH:
        return 0
    if length < 8:
        return 1
    if length < 13:
        return 2
    return 3


@dataclass(frozen=True)
class Correction:
    """The known word a typo stands for and how many edits apart they are."""

    word: str
    distance: int


class TypoCorrector:
    """Finds the closest known word, preferring the most common one among equally close words.

    Known words are grouped by first letter and length (after `skeleton`), so a lookup compares a
    typo with a few hundred words at most; a typo in the very first letter is not corrected.
    """

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        buckets: dict[tuple[str, int], list[tuple[int, str, str]]] = {}
        for word, frequency in frequencies.items():
            if len(word) >= MIN_LENGTH - 1 and word.isalpha():
                key = skeleton(word)
                buckets.setdefault((key[0], len(key)), []).append((-frequency, key, word))
        self._keys: dict[tuple[str, int], list[str]] = {}
        self._words: dict[tuple[str, int], list[str]] = {}
        for bucket, items in buckets.items():
            items.sort()
            self._keys[bucket] = [key for _, key, _ in items]
            self._words[bucket] = [word for _, _, word in items]

    def correct(self, word: str) -> Correction | None:
        """The nearest known word within the allowed edits, or None."""
        limit = max_distance(len(word))
        if limit == 0 or not word.isalpha():
            return None
        key = skeleton(word)
        best: Correction | None = None
        for length in sorted(range(len(key) - limit, len(key) + limit + 1), key=lambda n: abs(n - len(key))):
            keys = self._keys.get((key[0], length))
            if not keys:
                continue
            cutoff = limit if best is None else best.distance - 1
            if cutoff < 0:
                break
            found = process.extractOne(key, keys, scorer=Levenshtein.distance, score_cutoff=cutoff)
            if found is not None:
                best = Correction(self._words[(key[0], length)][found[2]], int(found[1]))
        return best
