"""The semantic index: every entry's phrasings and answer as vectors, scored by brute-force cosine.

Phrasings are encoded the way questions are (a question and a phrasing are two questions:
e5 reads both as "query: "), answers as passages. An entry's semantic score blends its best
phrasing with its answer, because phrasings say what is asked and the answer covers what
members ask in other words. A float32 matrix product over all rows is exact and memory-bound:
a few milliseconds at 10,000 entries; from about 20,000 entries (100,000 rows) an approximate
index would pay off (see the README).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from knowledge.encoder import Role, Vectors, text_key
from knowledge.entry import Entry

ANSWER_WEIGHT = 0.5
"""How much the answer's cosine counts next to the best phrasing's (chosen on the public set
with and without its alternatives: the answer helps most where an entry has few phrasings)."""

MIN_ENTRIES_FOR_STANDOUT = 8
"""Below this many entries the spread of scores says nothing, and no entry can stand out."""


def entry_texts(entry: Entry) -> list[tuple[str, Role]]:
    """What is encoded of an entry: each phrasing as a question, the answer as a passage."""
    return [*((phrasing, Role.QUERY) for phrasing in entry.phrasings), (entry.answer, Role.PASSAGE)]


@dataclass(frozen=True)
class SemanticView:
    """One question's semantic scores over the whole knowledge base."""

    scores: npt.NDArray[np.float32]
    """Per entry (in index order): the blend of best phrasing and answer cosine."""
    mean: float
    spread: float
    """Standard deviation of `scores`: how far apart unrelated entries lie for this question."""

    def standout(self, number: int) -> float:
        """How many spreads an entry lies above the knowledge base's mean for this question."""
        if len(self.scores) < MIN_ENTRIES_FOR_STANDOUT or self.spread <= 0:
            return 0.0
        return (float(self.scores[number]) - self.mean) / self.spread

    def chance(self, number: int) -> float:
        """How likely the best of this many unrelated entries would stand out as far, if scores of
        unrelated entries spread normally: small means the entry is singled out, on any size of
        knowledge base (a standout of 3 means much at 80 entries and little at 10,000)."""
        if len(self.scores) < MIN_ENTRIES_FOR_STANDOUT or self.spread <= 0:
            return 1.0
        tail = 0.5 * math.erfc(self.standout(number) / math.sqrt(2))
        return min(1.0, len(self.scores) * tail)

    def best(self, count: int) -> list[int]:
        """The numbers of the `count` best entries, best first."""
        if count >= len(self.scores):
            return [int(n) for n in np.argsort(-self.scores, kind="stable")]
        top = np.argpartition(-self.scores, count)[:count]
        return [int(n) for n in top[np.argsort(-self.scores[top], kind="stable")]]


class SemanticIndex:
    """Matrices of phrasing and answer vectors for a fixed sequence of entries."""

    def __init__(self, entries: Sequence[Entry], vectors: Mapping[str, Vectors], dimension: int) -> None:
        phrasing_keys = [text_key(p, Role.QUERY) for entry in entries for p in entry.phrasings]
        answer_keys = [text_key(entry.answer, Role.PASSAGE) for entry in entries]
        counts = np.fromiter((len(entry.phrasings) for entry in entries), dtype=np.int64, count=len(entries))
        self.dimension = dimension
        self._starts = np.concatenate(([0], np.cumsum(counts)[:-1])) if len(entries) else np.zeros(0, np.int64)
        self._phrasings = _matrix([vectors[key] for key in phrasing_keys], dimension)
        self._answers = _matrix([vectors[key] for key in answer_keys], dimension)
        self._keys = (*phrasing_keys, *answer_keys)

    def __len__(self) -> int:
        return len(self._answers)

    def view(self, query: Vectors) -> SemanticView:
        """Every entry's score for a normalised question vector."""
        if not len(self):
            return SemanticView(np.zeros(0, np.float32), 0.0, 0.0)
        phrasings = self._phrasings @ query
        best = np.maximum.reduceat(phrasings, self._starts)
        scores = ((best + ANSWER_WEIGHT * (self._answers @ query)) / (1 + ANSWER_WEIGHT)).astype(np.float32)
        return SemanticView(scores, float(scores.mean()), float(scores.std()))

    def vectors(self) -> dict[str, Vectors]:
        """The index's vectors by text key (rows of its matrices, not copies), to build the next
        index after a change without encoding what did not change."""
        rows = (*self._phrasings, *self._answers)
        return dict(zip(self._keys, rows, strict=True))


def _matrix(rows: list[Vectors], dimension: int) -> Vectors:
    if not rows:
        return np.zeros((0, dimension), dtype=np.float32)
    return np.ascontiguousarray(np.stack(rows), dtype=np.float32)
