"""Matching a member's question to knowledge-base entries: answer, offer choices, or admit not knowing.

Lexical candidates come from BM25F over the inverted index; each is then scored in [0, 1] from
signals that mean the same on any knowledge base: how much of the question the entry covers, how
well its best phrasing and the question cover each other, and how alike they read character by
character. With an encoder and the entries' vectors, the semantic view joins in and
`knowledge.fusion` decides from both.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from knowledge import fusion
from knowledge.encoder import Encoder, Role, Vectors
from knowledge.entry import Entry
from knowledge.index import ANSWER, META, PHRASING, Index
from knowledge.query import Query, Unit, read
from knowledge.semantic import MIN_ENTRIES_FOR_STANDOUT, SemanticIndex, SemanticView

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
    """An entry and how well it fits the question: `score` in [0, 1] (the lexical score less the
    semantic penalty), and each view's own figure where it was consulted."""

    entry_id: str
    score: float
    lexical: float | None = None
    semantic: float | None = None
    """The blended cosine of the entry's best phrasing and its answer."""


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
    specific: bool = True
    """Whether the entry holds any of the question's words by a real reading, not only by a
    coincidence of stem or prefix (`Unit.weak`)."""


@dataclass(frozen=True)
class Reason:
    """Why one candidate ranks where it does, for moderators tuning their entries."""

    entry_id: str
    score: float
    lexical: Signals | None
    lexical_score: float
    semantic: float | None
    standout: float | None
    """How many spreads above the knowledge base's mean the entry's semantic score lies."""


@dataclass(frozen=True)
class Explanation:
    """A match and the evidence behind it: which rule answered (`path`: lexical, agreement,
    semantic or none) and each candidate's signals."""

    match: Match
    path: str
    semantic: bool
    candidates: tuple[Reason, ...]


VERBATIM = 0.9
"""Character likeness from which a question counts as one of an entry's own phrasings."""

REMEMBERED_QUESTIONS = 2048
"""Frequently asked questions come again word for word; their matches are kept, least recent dropped."""


@dataclass(frozen=True)
class _Semantic:
    encoder: Encoder
    index: SemanticIndex


class Matcher:
    """Answers questions from the entries it was built with; build a new one when they change.

    With `encoder` and `vectors` (every text of `knowledge.semantic.entry_texts` of every entry,
    by key) it also reads questions semantically; it then calls the encoder, so call it from the
    encoder's thread (`EncoderThread`). `remembered` may be called from any thread.
    """

    def __init__(
        self,
        entries: Iterable[Entry],
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        max_choices: int = 3,
        remember: int = REMEMBERED_QUESTIONS,
        encoder: Encoder | None = None,
        vectors: Mapping[str, Vectors] | None = None,
    ) -> None:
        self._index = Index(entries)
        self.thresholds = thresholds
        self.max_choices = max_choices
        self._remember = remember
        self._remembered: OrderedDict[str, Match] = OrderedDict()
        self._lock = threading.Lock()
        self._semantic: _Semantic | None = None
        if encoder is not None and vectors is not None:
            self._semantic = _Semantic(encoder, SemanticIndex(self._index.entries, vectors, encoder.dimension))

    def with_semantic(self, encoder: Encoder, vectors: Mapping[str, Vectors]) -> Matcher:
        """The same entries and lexical index, now with the semantic view (built when the vectors are
        ready, so Lotse answers lexically until then)."""
        other = Matcher.__new__(Matcher)
        other._index = self._index
        other.thresholds = self.thresholds
        other.max_choices = self.max_choices
        other._remember = self._remember
        other._remembered = OrderedDict()
        other._lock = threading.Lock()
        other._semantic = _Semantic(encoder, SemanticIndex(self._index.entries, vectors, encoder.dimension))
        return other

    def __len__(self) -> int:
        return len(self._index)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self._index.entries

    @property
    def semantic(self) -> bool:
        """Whether questions are also read semantically."""
        return self._semantic is not None

    def vectors(self) -> dict[str, Vectors]:
        """The semantic index's vectors by text key, to build the next matcher without re-encoding."""
        return self._semantic.index.vectors() if self._semantic is not None else {}

    def remembered(self, question: str) -> Match | None:
        """The match of a question asked before, if it is still remembered (no encoding needed)."""
        with self._lock:
            found = self._remembered.get(question)
            if found is not None:
                self._remembered.move_to_end(question)
            return found

    def match(self, question: str) -> Match:
        """Answer when the best entry is clearly good and clearly ahead, else offer or refuse."""
        remembered = self.remembered(question)
        if remembered is not None:
            return remembered
        match = self.explain(question).match
        if self._remember:
            with self._lock:
                self._remembered[question] = match
                if len(self._remembered) > self._remember:
                    self._remembered.popitem(last=False)
        return match

    def rank(self, question: str, limit: int = 10) -> list[Candidate]:
        """The best entries for a question, best first."""
        explanation = self.explain(question, limit)
        return [Candidate(r.entry_id, r.score, r.lexical_score if r.lexical else None, r.semantic)
                for r in explanation.candidates[:limit]]

    def explain(self, question: str, limit: int | None = None) -> Explanation:
        """The match with the evidence behind it; `limit` candidates (at least the choices)."""
        query = read(self._index, question)
        keep = max(self.max_choices, 2, limit or 0)
        lexical = self._ranked(query, max(keep, CANDIDATES)) if any(u.known for u in query.units) else []
        if self._semantic is None or not question.strip():
            return self._lexical_decision(lexical, keep, query.unknown)
        vector = self._semantic.encoder.encode([question], Role.QUERY)[0]
        view = self._semantic.index.view(vector)
        return self._fused_decision(query, lexical, view, keep)

    def signals_for(self, question: str, entry_id: str) -> Signals | None:
        """The lexical signals behind one entry's score for a question."""
        numbers = [n for n, entry in enumerate(self._index.entries) if entry.id == entry_id]
        query = read(self._index, question)
        if not numbers or not query.units:
            return None
        return self.signals(query, numbers[0])

    def _lexical_decision(self, ranked: list[tuple[int, float, Signals]], keep: int, unknown: bool) -> Explanation:
        entries = self._index.entries
        candidates = [Candidate(entries[n].id, round(score, 4), round(score, 4)) for n, score, _ in ranked]
        reasons = tuple(Reason(entries[n].id, round(score, 4), signals, round(score, 4), None, None)
                        for n, score, signals in ranked[:keep])
        limits = self.thresholds
        if not ranked:
            return Explanation(Match("unknown", None, 0.0, ()), "none", False, reasons)
        best = candidates[0]
        if self._lexical_answer(ranked) is not None:
            runners_up = tuple(c for c in candidates[1 : self.max_choices] if c.score >= limits.suggest)
            return Explanation(Match("answer", best.entry_id, best.score, runners_up), "lexical", False, reasons)
        choices = tuple(c for c, (_, _, s) in zip(candidates[: self.max_choices], ranked, strict=False)
                        if c.score >= limits.suggest and s.specific and fusion.holds_most(s.coverage, unknown))
        outcome: Literal["choices", "unknown"] = "choices" if choices else "unknown"
        return Explanation(Match(outcome, None, best.score, choices), "none", False, reasons)

    def _fused_decision(self, query: Query, lexical: list[tuple[int, float, Signals]], view: SemanticView,
                        keep: int) -> Explanation:
        entries = self._index.entries
        seen = {n: self._lexical_view(score, signals) for n, score, signals in lexical}
        signals_of = {n: signals for n, _, signals in lexical}

        def score_lexically(number: int) -> fusion.Lexical | None:
            if not query.units or not any(u.known for u in query.units):
                return None
            signals = self.signals(query, number)
            signals_of[number] = signals
            return self._lexical_view(combine(signals), signals)

        ranked = fusion.fuse(seen, view, score_lexically)
        semantic_first = view.best(1)
        decision = fusion.decide(
            ranked,
            self._lexical_answer(lexical),
            lexical[0][0] if lexical else None,
            semantic_first[0] if semantic_first else None,
            self.thresholds.suggest,
            self.max_choices,
            informative=len(entries) >= MIN_ENTRIES_FOR_STANDOUT,
            unknown_words=query.unknown,
        )

        def candidate(evidence: fusion.Evidence) -> Candidate:
            lexical_score = round(evidence.lexical.score, 4) if evidence.lexical is not None else None
            semantic = round(evidence.semantic, 4) if evidence.semantic is not None else None
            return Candidate(entries[evidence.number].id, round(min(1.0, max(0.0, evidence.fused)), 4),
                             lexical_score, semantic)

        reasons = tuple(
            Reason(entries[e.number].id, candidate(e).score, signals_of.get(e.number), e.lexical_score,
                   round(e.semantic, 4) if e.semantic is not None else None, round(e.standout, 2))
            for e in decision.ranked[:keep]
        )
        best = candidate(decision.ranked[0]) if decision.ranked else None
        score = best.score if best is not None else 0.0
        choices = tuple(candidate(e) for e in decision.choices)
        if decision.outcome == "answer" and best is not None:
            match = Match("answer", best.entry_id, score, choices)
        else:
            match = Match(decision.outcome, None, score, choices)
        return Explanation(match, decision.path, True, reasons)

    def _lexical_view(self, score: float, signals: Signals) -> fusion.Lexical:
        return fusion.Lexical(score, self._holds_the_question(signals), signals.specific, signals.coverage,
                              signals.missing)

    def _lexical_answer(self, ranked: list[tuple[int, float, Signals]]) -> int | None:
        """The entry the lexical rules alone answer with: good, holding the question, clearly ahead,
        and holding some of its words by a real reading."""
        if not ranked:
            return None
        number, score, signals = ranked[0]
        if (score >= self.thresholds.answer and signals.specific and self._holds_the_question(signals)
                and self._clearly_ahead(ranked)):
            return number
        return None

    def _ranked(self, query: Query, limit: int) -> list[tuple[int, float, Signals]]:
        scored = []
        for number, bm25 in self._leaders(query):
            signals = self.signals(query, number)
            score = combine(signals)
            if score > 0:
                scored.append((score, bm25, number, signals))
        scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
        return [(number, score, signals) for score, _, number, signals in scored[:limit]]

    def _holds_the_question(self, signals: Signals) -> bool:
        """The entry holds most of the question's words, or the question is nearly one of its phrasings
        (then a reading of ours, such as a separable verb, may differ from how the entry was indexed)."""
        return signals.missing < self.thresholds.missing or signals.fuzzy >= VERBATIM

    def _clearly_ahead(self, ranked: list[tuple[int, float, Signals]]) -> bool:
        """The best leads the runner-up by the margin, or by twice the margin when both cover the
        question about equally, so only the shape of their phrasings tells them apart ("Kantine")."""
        if len(ranked) < 2:
            return True
        (_, best, best_signals), (_, second, second_signals) = ranked[0], ranked[1]
        lead = best - second
        if best_signals.coverage - second_signals.coverage < self.thresholds.coverage_tie:
            return lead >= 2 * self.thresholds.margin
        return lead >= self.thresholds.margin

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
        specific = False
        recalls = [0.0] * len(phrasings)
        for unit in query.units:
            total += unit.weight
            held = _unit_credit(unit, found, -1)
            covered += unit.weight * held
            specific = specific or (held > 0 and not unit.weak)
            if unit.known:
                known += 1
                missing += held <= 0
            for position in range(len(phrasings)):
                recalls[position] += unit.weight * _unit_credit(unit, found, position)
        if total <= 0:
            return Signals(0.0, 0.0, 0.0, specific=False)
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
        return Signals(covered / total, phrasing, fuzzy, missing / known if known else 0.0, specific)


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
