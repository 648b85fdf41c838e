"""Splitting German compounds into parts the knowledge base knows, and joining words that form one.

"Fördermittelantrag" and "Antrag auf Fördermittel" should meet: the index splits compounds into known
parts, and a question's neighbouring words are tried joined ("Barriere freiheit").
"""

from __future__ import annotations

from collections.abc import Collection

MIN_PART = 4
"""Shorter pieces ("amt", "art") split too many words by accident."""

MIN_UNKNOWN_PART = 5
MIN_KNOWN_PART = 5
"""A word unknown to the lexicon is split only into a clear known word and an unknown rest that is
long enough to be a word itself, not a suffix ("-heit", "-ung")."""
NOT_PARTS = frozenset({"innen", "inne"})
"""Endings that look like words but are inflection: "Kolleginnen" is no compound of "Kolleg" and "innen"."""

LINKS = ("s", "es", "n", "en", "e", "er")
"""German linking elements between compound parts (Fugenelemente), as in Informations|sicherheit."""


class Decompounder:
    """Splits folded words into parts from a lexicon of folded words."""

    def __init__(self, lexicon: Collection[str]) -> None:
        self._lexicon = frozenset(word for word in lexicon if len(word) >= MIN_PART and word not in NOT_PARTS)

    def split(self, word: str) -> tuple[str, ...]:
        """Known parts of a compound, longest last part first; () when it is not a known compound.

        A word the lexicon does not know may keep one unknown part when the other is a clear known
        word, so "Rathausgebäude" still offers "gebäude" and keeps "rathaus" as evidence of something
        unknown. Known words are never split that way: "Sicherheit" is no "sicher" plus "heit".
        """
        found = self._split_known(word, depth=0)
        if found or word in self._lexicon:
            return found
        for start in range(MIN_UNKNOWN_PART, len(word) - MIN_KNOWN_PART + 1):
            tail = word[start:]
            if tail in self._lexicon:
                return (self._strip_link(word[:start]), tail)
        for end in range(len(word) - MIN_UNKNOWN_PART, MIN_KNOWN_PART - 1, -1):
            for head in self._heads(word[:end]):
                if head in self._lexicon and len(head) >= MIN_KNOWN_PART:
                    return (head, word[end:])
        return ()

    def _split_known(self, word: str, depth: int) -> tuple[str, ...]:
        if len(word) < 2 * MIN_PART or depth > 3:
            return ()
        for start in range(MIN_PART, len(word) - MIN_PART + 1):
            tail = word[start:]
            if tail not in self._lexicon:
                continue
            for head in self._heads(word[:start]):
                if head in self._lexicon:
                    return (head, tail)
                parts = self._split_known(head, depth + 1)
                if parts:
                    return (*parts, tail)
        return ()

    @staticmethod
    def _heads(head: str) -> list[str]:
        """The head as written and without a linking element."""
        heads = [head]
        for link in LINKS:
            if head.endswith(link) and len(head) - len(link) >= MIN_PART:
                heads.append(head[: -len(link)])
        return heads

    def _strip_link(self, head: str) -> str:
        for candidate in self._heads(head)[1:]:
            if candidate in self._lexicon:
                return candidate
        return head

    def joins(self, first: str, second: str) -> list[str]:
        """Ways two words may be one compound: "barriere freiheit", "erklärung (zur) barrierefreiheit"."""
        return [
            first + second,
            second + first,
            second + "s" + first,
            second + "n" + first,
        ]
