"""Matching a member's question to knowledge-base entries: answer, offer choices, or admit not knowing.

Candidates come from BM25F over the inverted index; each is then scored in [0, 1] from signals that
mean the same on any knowledge base: how much of the question the entry covers, how well its best
phrasing and the question cover each other, and how alike they read character by character.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from knowledge.entry import Entry
from knowledge.index import EntryTerms, Index, Query, Unit

CANDIDATES = 20
"""How many BM25F leaders are scored in full; the rest cannot catch up."""

META_FACTOR = 0.7
ANSWER_FACTOR = 0.5
PART_CREDIT = 0.8
"""Evidence found only in tags or the answer, or only for parts of a compound, counts for less."""

COVERAGE_WEIGHT = 0.55
PHRASING_WEIGHT = 0.30
FUZZY_WEIGHT = 0.15


@dataclass(frozen=True)
class Thresholds:
    """When to answer, when to offer choices; the margin keeps close calls from being answered."""

    answer: float = 0.6
    suggest: float = 0.35
    margin: float = 0.08


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Candidate:
    """An entry and how well it fits the question, calibrated to [0, 1]."""

    entry_id: str
    score: float


@dataclass(frozen=True)
class Match:
    """What to do with a question: answer with one entry, offer choices, or say it is unknown."""

    outcome: Literal["answer", "choices", "unknown"]
    entry_id: str | None
    score: float
    choices: tuple[Candidate, ...]


class Matcher:
    """Answers questions from the entries it was built with; build a new one when they change."""

    def __init__(
        self,
        entries: Iterable[Entry],
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        max_choices: int = 3,
    ) -> None:
        self._index = Index(entries)
        self.thresholds = thresholds
        self.max_choices = max_choices

    def __len__(self) -> int:
        return len(self._index)

    def match(self, question: str) -> Match:
        """Answer when the best entry is clearly good and clearly ahead, else offer or refuse."""
        ranked = self.rank(question, limit=max(self.max_choices, 2))
        if not ranked:
            return Match("unknown", None, 0.0, ())
        best = ranked[0]
        second = ranked[1].score if len(ranked) > 1 else 0.0
        limits = self.thresholds
        if best.score >= limits.answer and best.score - second >= limits.margin:
            runners_up = tuple(c for c in ranked[1 : self.max_choices] if c.score >= limits.suggest)
            return Match("answer", best.entry_id, best.score, runners_up)
        choices = tuple(c for c in ranked[: self.max_choices] if c.score >= limits.suggest)
        if choices:
            return Match("choices", None, best.score, choices)
        return Match("unknown", None, best.score, ())

    def rank(self, question: str, limit: int = 10) -> list[Candidate]:
        """The best entries for a question, best first, with calibrated scores."""
        query = self._index.analyse(question)
        if not any(unit.known for unit in query.units):
            return []
        leaders = self._leaders(query)
        scored = [(self._score(query, number), bm25, number) for number, bm25 in leaders]
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        entries = self._index.entries
        return [Candidate(entries[number].id, round(score, 4)) for score, _, number in scored[:limit] if score > 0]

    def _leaders(self, query: Query) -> list[tuple[int, float]]:
        """Entries with the highest BM25F for the question, from the postings alone."""
        totals: dict[int, float] = {}
        postings = self._index.postings
        for unit in query.units:
            best: dict[int, float] = {}
            for term, credit in unit.terms:
                found = postings.get(term)
                if found is None:
                    continue
                for number, impact in zip(*found, strict=True):
                    value = credit * impact
                    if value > best.get(number, 0.0):
                        best[number] = value
            for part in unit.parts:
                found = postings.get(part)
                if found is None:
                    continue
                share = PART_CREDIT / len(unit.parts)
                for number, impact in zip(*found, strict=True):
                    best[number] = best.get(number, 0.0) + share * impact
            for number, value in best.items():
                totals[number] = totals.get(number, 0.0) + value
        return heapq.nlargest(CANDIDATES, totals.items(), key=lambda item: item[1])

    def _score(self, query: Query, number: int) -> float:
        """Calibrated fit of one entry: coverage of the question, best phrasing fit, spelling likeness."""
        index = self._index
        terms = index.terms[number]
        total = sum(unit.weight for unit in query.units)
        coverage = sum(unit.weight * self._unit_match(unit, terms) for unit in query.units) / total
        query_terms = query.terms
        phrasing = 0.0
        for position, phrasing_terms in enumerate(terms.phrasings):
            recall = sum(
                unit.weight * _unit_in(unit, phrasing_terms, index) for unit in query.units
            ) / total
            mass = index.phrasing_mass[number][position]
            if mass <= 0 or recall <= 0:
                continue
            precision = sum(index.idf[t] for t in phrasing_terms & query_terms) / mass
            phrasing = max(phrasing, 2 * precision * recall / (precision + recall))
        fuzzy = max(
            (fuzz.token_sort_ratio(query.text, text) / 100 for text in terms.phrasing_texts), default=0.0
        )
        return COVERAGE_WEIGHT * coverage + PHRASING_WEIGHT * phrasing + FUZZY_WEIGHT * fuzzy

    def _unit_match(self, unit: Unit, terms: EntryTerms) -> float:
        def present(term: str) -> float:
            if term in terms.all_phrasings:
                return 1.0
            if term in terms.meta:
                return META_FACTOR
            if term in terms.answer:
                return ANSWER_FACTOR
            return 0.0

        return _match(unit, present, self._index)


def _unit_in(unit: Unit, phrasing: frozenset[str], index: Index) -> float:
    return _match(unit, lambda term: 1.0 if term in phrasing else 0.0, index)


def _match(unit: Unit, present: object, index: Index) -> float:
    assert callable(present)
    best = max((credit * present(term) for term, credit in unit.terms), default=0.0)
    if unit.parts and best < PART_CREDIT:
        weights = [index.idf.get(part, index.unknown_idf) for part in unit.parts]
        found = sum(weight * present(part) for weight, part in zip(weights, unit.parts, strict=True))
        best = max(best, PART_CREDIT * found / sum(weights))
    return float(best)
