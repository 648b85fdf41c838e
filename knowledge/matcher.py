"""Matching a member's question to knowledge-base entries: answer, offer choices, or admit not knowing.

Candidates come from BM25F over the inverted index; each is then scored in [0, 1] from signals that
mean the same on any knowledge base: how much of the question the entry covers, how well its best
phrasing and the question cover each other, and how alike they read character by character.
"""

from __future__ import annotations

import heapq
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from knowledge.entry import Entry
from knowledge.index import ANSWER, META, PHRASING, Index
from knowledge.query import Query, Unit, read

CANDIDATES = 20
"""How many BM25F leaders are scored in full; the rest cannot catch up."""

META_CREDIT = 0.7
ANSWER_CREDIT = 0.5
"""Evidence found only in tags or the answer counts for less."""

_FIELD_CREDIT = tuple(
    1.0 if flags & PHRASING else META_CREDIT if flags & META else ANSWER_CREDIT if flags & ANSWER else 0.0
    for flags in range(8)
)

COVERAGE_WEIGHT = 0.4
PHRASING_WEIGHT = 0.4
FUZZY_WEIGHT = 0.2
"""The blend of signals: what the question asks is covered, one phrasing fits it as a whole, and it
reads alike. The proportions agree with a logistic fit of correct answers on the public set."""


@dataclass(frozen=True)
class Thresholds:
    """When to answer and when to offer choices.

    Lotse answers when the best score reaches `answer`, beats the runner-up by `margin` (twice
    that when both cover the question about equally) and holds every weighty part of the
    question (`missing`); otherwise it offers the candidates scoring at
    least `suggest`. The defaults favour few confident mistakes over many answers: chosen on the
    public evaluation set, checked on held-out halves of its questions, with a fifth of its entries
    removed (their questions become near misses), and on a second knowledge base of another domain.
    """

    answer: float = 0.5
    suggest: float = 0.35
    margin: float = 0.05
    coverage_tie: float = 0.1
    """Below this difference in coverage the best must lead by twice the margin (see `Matcher`)."""
    missing: float = 0.5
    """No confident answer from an entry lacking at least this share of the question's known words."""


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


@dataclass(frozen=True)
class Signals:
    """Evidence that an entry answers a question, each in [0, 1] and independent of the KB's size."""

    coverage: float
    """Weighted share of the question's units found in the entry (answer text and parts count less)."""
    phrasing: float
    """F1 of the best single phrasing: it covers the question and the question covers it."""
    fuzzy: float
    """Character-level likeness of the question's content words and the best phrasing's."""
    missing: float = 0.0
    """Share of the question's known words the entry does not hold at all, counted rather than
    weighted: a word common in the knowledge base ("funding") weighs little but is often the subject,
    and an entry sharing only an incidental word ("apply") is no confident answer."""


VERBATIM = 0.9
"""Character likeness from which a question counts as one of an entry's own phrasings."""

REMEMBERED_QUESTIONS = 2048
"""Frequently asked questions come again word for word; their matches are kept, least recent dropped."""


class Matcher:
    """Answers questions from the entries it was built with; build a new one when they change."""

    def __init__(
        self,
        entries: Iterable[Entry],
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        max_choices: int = 3,
        remember: int = REMEMBERED_QUESTIONS,
    ) -> None:
        self._index = Index(entries)
        self.thresholds = thresholds
        self.max_choices = max_choices
        self._remember = remember
        self._remembered: OrderedDict[str, Match] = OrderedDict()

    def __len__(self) -> int:
        return len(self._index)

    def match(self, question: str) -> Match:
        """Answer when the best entry is clearly good and clearly ahead, else offer or refuse."""
        remembered = self._remembered.get(question)
        if remembered is not None:
            self._remembered.move_to_end(question)
            return remembered
        match = self._decide(question)
        if self._remember:
            self._remembered[question] = match
            if len(self._remembered) > self._remember:
                self._remembered.popitem(last=False)
        return match

    def _decide(self, question: str) -> Match:
        ranked = self._ranked(question, max(self.max_choices, 2))
        if not ranked:
            return Match("unknown", None, 0.0, ())
        candidates = [candidate for candidate, _ in ranked]
        best = candidates[0]
        limits = self.thresholds
        if best.score >= limits.answer and self._holds_the_question(ranked[0][1]) and self._clearly_ahead(ranked):
            runners_up = tuple(c for c in candidates[1 : self.max_choices] if c.score >= limits.suggest)
            return Match("answer", best.entry_id, best.score, runners_up)
        choices = tuple(c for c in candidates[: self.max_choices] if c.score >= limits.suggest)
        if choices:
            return Match("choices", None, best.score, choices)
        return Match("unknown", None, best.score, ())

    def rank(self, question: str, limit: int = 10) -> list[Candidate]:
        """The best entries for a question, best first, with calibrated scores."""
        return [candidate for candidate, _ in self._ranked(question, limit)]

    def _ranked(self, question: str, limit: int) -> list[tuple[Candidate, Signals]]:
        query = read(self._index, question)
        if not any(unit.known for unit in query.units):
            return []
        scored = []
        for number, bm25 in self._leaders(query):
            signals = self.signals(query, number)
            score = combine(signals)
            if score > 0:
                scored.append((score, bm25, number, signals))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        entries = self._index.entries
        return [
            (Candidate(entries[number].id, round(score, 4)), signals)
            for score, _, number, signals in scored[:limit]
        ]

    def _holds_the_question(self, signals: Signals) -> bool:
        """The entry holds most of the question's words, or the question is nearly one of its phrasings
        (then a reading of ours, such as a separable verb, may differ from how the entry was indexed)."""
        return signals.missing < self.thresholds.missing or signals.fuzzy >= VERBATIM

    def _clearly_ahead(self, ranked: list[tuple[Candidate, Signals]]) -> bool:
        """The best leads the runner-up by the margin, or by twice the margin when both cover the
        question about equally, so only the shape of their phrasings tells them apart ("Kantine")."""
        if len(ranked) < 2:
            return True
        (best, best_signals), (second, second_signals) = ranked[0], ranked[1]
        lead = best.score - second.score
        if best_signals.coverage - second_signals.coverage < self.thresholds.coverage_tie:
            return lead >= 2 * self.thresholds.margin
        return lead >= self.thresholds.margin

    def explain(self, question: str, entry_id: str) -> Signals | None:
        """The signals behind one entry's score for a question, for moderators and tuning."""
        numbers = [n for n, entry in enumerate(self._index.entries) if entry.id == entry_id]
        query = read(self._index, question)
        if not numbers or not query.units:
            return None
        return self.signals(query, numbers[0])

    def _leaders(self, query: Query) -> list[tuple[int, float]]:
        """Entries with the highest BM25F for the question, from the postings alone."""
        totals: dict[int, float] = {}
        postings = self._index.postings
        idf = self._index.idf
        for unit in query.units:
            best: dict[int, float] = {}
            for term, credit in unit.terms:
                found = postings.get(term)
                if found is None:
                    continue
                weight = credit * idf[term]
                for number, strength in zip(found.top_entries, found.top_strengths, strict=True):
                    value = weight * strength
                    if value > best.get(number, 0.0):
                        best[number] = value
            for part in unit.parts:
                found = postings.get(part)
                if found is None:
                    continue
                weight = unit.part_credit / len(unit.parts) * idf[part]
                for number, strength in zip(found.top_entries, found.top_strengths, strict=True):
                    best[number] = best.get(number, 0.0) + weight * strength
            for number, value in best.items():
                totals[number] = totals.get(number, 0.0) + value
        return heapq.nlargest(CANDIDATES, totals.items(), key=lambda item: item[1])

    def signals(self, query: Query, number: int) -> Signals:
        """The separate pieces of evidence that one entry answers the question."""
        index = self._index
        entry = index.terms[number]
        phrasings = entry.phrasings
        postings = index.postings
        # Per question term: its credit in the entry as a whole, and which phrasings hold it.
        found: dict[str, tuple[float, int]] = {}
        for term in query.terms:
            mask = 0
            for position, terms in enumerate(phrasings):
                if term in terms:
                    mask |= 1 << position
            field = PHRASING if mask else entry.field(term, postings.get(term), number)
            found[term] = (_FIELD_CREDIT[field], mask)
        total = covered = 0.0
        known = missing = 0
        recalls = [0.0] * len(phrasings)
        for unit in query.units:
            total += unit.weight
            held = _unit_credit(unit, found, -1)
            covered += unit.weight * held
            if unit.known:
                known += 1
                missing += held <= 0
            for position in range(len(phrasings)):
                recalls[position] += unit.weight * _unit_credit(unit, found, position)
        if total <= 0:
            return Signals(0.0, 0.0, 0.0)
        idf = index.idf
        phrasing = 0.0
        for position, terms in enumerate(phrasings):
            recall = recalls[position] / total
            if recall <= 0:
                continue
            mass = sum(idf[term] for term in terms)
            precision = sum(idf[term] for term in terms if term in found) / mass
            phrasing = max(phrasing, 2 * precision * recall / (precision + recall))
        fuzzy = max((fuzz.token_sort_ratio(query.text, text) / 100 for text in entry.texts), default=0.0)
        return Signals(covered / total, phrasing, fuzzy, missing / known if known else 0.0)


def combine(signals: Signals) -> float:
    """The calibrated score: a fixed blend of signals that each mean the same on any knowledge base."""
    return COVERAGE_WEIGHT * signals.coverage + PHRASING_WEIGHT * signals.phrasing + FUZZY_WEIGHT * signals.fuzzy


def _unit_credit(unit: Unit, found: dict[str, tuple[float, int]], phrasing: int) -> float:
    """How fully the entry (phrasing -1) or one of its phrasings holds a unit: its best reading,
    or the idf-weighted share of its parts."""

    def credit(term: str) -> float:
        credit_in_entry, mask = found[term]
        if phrasing < 0:
            return credit_in_entry
        return 1.0 if mask >> phrasing & 1 else 0.0

    best = 0.0
    for term, certainty in unit.terms:
        best = max(best, certainty * credit(term))
    if unit.parts and best < unit.part_credit:
        held = sum(weight * credit(part) for part, weight in zip(unit.parts, unit.part_weights, strict=True))
        best = max(best, unit.part_credit * held / sum(unit.part_weights))
    return best
