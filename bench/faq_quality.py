"""FAQ answering quality on the public evaluation set, next to two plain baselines.

Run from the repository root: `python bench/faq_quality.py`. Reads `../shared/faq-eval` (or the folder
in LOTSE_FAQ_EVAL) and prints a report; the last line is one JSON object:
`{"bench": "faq_quality", "lotse": {...}, "wratio": {...}, "bm25": {...}}`.

Figures: top-1 and top-3 on answerable questions, the share of out-of-scope questions not answered
("abstention": no confident answer; "did you mean" choices count as not answered, and the share with
a plain "unknown" is reported too), the share of answerable questions answered confidently with a
wrong entry, and the share answered confidently and right. Baselines answer when their best score
reaches one threshold; the threshold reported is the one with the most right decisions (right answers
plus right refusals).
A generalisation check holds out a fifth of the entries at a time: their questions become near
misses, and the share answered confidently anyway is reported.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from knowledge.entry import Entry  # noqa: E402
from knowledge.files import load_entries  # noqa: E402
from knowledge.matcher import Matcher  # noqa: E402

HOLDOUT_FOLDS = 5


@dataclass(frozen=True)
class Question:
    """One labelled question; `expect` is empty when the knowledge base does not answer it."""

    text: str
    expect: frozenset[str]
    kind: str


@dataclass(frozen=True)
class Ranked:
    """A system's answer to one question: entry ids best first, its best score, and whether it answers."""

    ids: tuple[str, ...]
    score: float
    answers: bool = False


def eval_folder() -> Path:
    """The evaluation data: LOTSE_FAQ_EVAL, or ../shared/faq-eval next to the repository."""
    override = os.environ.get("LOTSE_FAQ_EVAL")
    return Path(override) if override else ROOT.parent / "shared" / "faq-eval"


def load_questions(path: Path) -> list[Question]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            expect = record["expect"]
            ids = [expect] if isinstance(expect, str) else list(expect or [])
            questions.append(Question(record["q"], frozenset(ids), record.get("kind", "")))
    return questions


def figures(questions: Sequence[Question], results: Sequence[Ranked]) -> dict[str, float]:
    """The reported figures for one system's results."""
    answerable = [(q, r) for q, r in zip(questions, results, strict=True) if q.expect]
    out_of_scope = [r for q, r in zip(questions, results, strict=True) if not q.expect]
    top1 = sum(bool(r.ids) and r.ids[0] in q.expect for q, r in answerable)
    top3 = sum(any(i in q.expect for i in r.ids[:3]) for q, r in answerable)
    right = sum(r.answers and r.ids[0] in q.expect for q, r in answerable)
    wrong = sum(r.answers and r.ids[0] not in q.expect for q, r in answerable)
    refused = sum(not r.answers for r in out_of_scope)
    return {
        "top1": round(top1 / len(answerable), 3),
        "top3": round(top3 / len(answerable), 3),
        "abstention": round(refused / max(1, len(out_of_scope)), 3),
        "confident_wrong": round(wrong / len(answerable), 3),
        "confident_right": round(right / len(answerable), 3),
        "decisions_right": round((right + refused) / len(questions), 3),
    }


def with_best_threshold(questions: Sequence[Question], results: Sequence[Ranked]) -> dict[str, float]:
    """Figures of a baseline at the single threshold that makes the most right decisions."""
    best: tuple[float, float] | None = None
    for threshold in sorted({r.score for r in results}):
        decided = [Ranked(r.ids, r.score, bool(r.ids) and r.score >= threshold) for r in results]
        right = figures(questions, decided)["decisions_right"]
        if best is None or right > best[0]:
            best = (right, threshold)
    threshold = best[1] if best else 0.0
    decided = [Ranked(r.ids, r.score, bool(r.ids) and r.score >= threshold) for r in results]
    return {**figures(questions, decided), "threshold": round(threshold, 3)}


def run_lotse(entries: Sequence[Entry], questions: Sequence[Question]) -> list[Ranked]:
    matcher = Matcher(entries)
    results = []
    for question in questions:
        match = matcher.match(question.text)
        ranked = matcher.rank(question.text, limit=3)
        results.append(Ranked(tuple(c.entry_id for c in ranked), match.score, match.outcome == "answer"))
    return results


def outcomes(entries: Sequence[Entry], questions: Sequence[Question]) -> dict[str, object]:
    """How often Lotse answers, offers choices or says it does not know; and how often an
    out-of-scope question gets a plain "unknown" rather than "did you mean"."""
    matcher = Matcher(entries)
    found = [(question, matcher.match(question.text).outcome) for question in questions]
    out_of_scope = [outcome for question, outcome in found if not question.expect]
    return {
        "outcomes": dict(Counter(outcome for _, outcome in found)),
        "out_of_scope_unknown": round(out_of_scope.count("unknown") / max(1, len(out_of_scope)), 3),
    }


def holdout_near_misses(entries: Sequence[Entry], questions: Sequence[Question]) -> float:
    """Share of questions answered confidently although their entry was held out of the index."""
    answered = total = 0
    ids = sorted(entry.id for entry in entries)
    for fold in range(HOLDOUT_FOLDS):
        held = set(ids[fold::HOLDOUT_FOLDS])
        matcher = Matcher([entry for entry in entries if entry.id not in held])
        for question in questions:
            if question.expect and question.expect <= held:
                total += 1
                answered += matcher.match(question.text).outcome == "answer"
    return round(answered / max(1, total), 3)


def split_half(entries: Sequence[Entry], questions: Sequence[Question]) -> list[dict[str, float]]:
    """The figures on each half of the questions separately: a check that they do not hinge on a few."""
    halves = (questions[0::2], questions[1::2])
    return [figures(half, run_lotse(entries, half)) for half in halves]


def run_wratio(entries: Sequence[Entry], questions: Sequence[Question]) -> list[Ranked]:
    """Plain rapidfuzz: the best phrasing by WRatio, no other processing."""
    choices: list[str] = []
    owners: list[str] = []
    for entry in entries:
        for phrasing in entry.phrasings:
            choices.append(phrasing)
            owners.append(entry.id)
    results = []
    for question in questions:
        found = process.extract(
            question.text, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=30
        )
        ids = _unique(owners[index] for _, _, index in found)
        results.append(Ranked(tuple(ids[:3]), found[0][1] / 100 if found else 0.0))
    return results


_WORD = re.compile(r"\w+")


class PlainBM25:
    """A minimal BM25 over lowercase word tokens of questions and alternatives, one document per entry."""

    def __init__(self, entries: Sequence[Entry], k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = [entry.id for entry in entries]
        self.documents = [Counter(_WORD.findall(" ".join(entry.phrasings).lower())) for entry in entries]
        self.lengths = [sum(document.values()) for document in self.documents]
        self.average = sum(self.lengths) / max(1, len(self.lengths))
        frequency: Counter[str] = Counter()
        for document in self.documents:
            frequency.update(document.keys())
        count = len(self.documents)
        self.idf = {t: math.log(1 + (count - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        self.k1, self.b = k1, b

    def rank(self, text: str) -> Ranked:
        terms = _WORD.findall(text.lower())
        scores: list[tuple[float, str]] = []
        for identifier, document, length in zip(self.ids, self.documents, self.lengths, strict=True):
            score = 0.0
            for term in terms:
                frequency = document.get(term, 0)
                if frequency:
                    norm = self.k1 * (1 - self.b + self.b * length / self.average)
                    score += self.idf[term] * frequency * (self.k1 + 1) / (frequency + norm)
            if score > 0:
                scores.append((score, identifier))
        scores.sort(key=lambda item: -item[0])
        return Ranked(tuple(i for _, i in scores[:3]), scores[0][0] if scores else 0.0)


def run_bm25(entries: Sequence[Entry], questions: Sequence[Question]) -> list[Ranked]:
    bm25 = PlainBM25(entries)
    return [bm25.rank(question.text) for question in questions]


def _unique(ids: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for identifier in ids:
        if identifier not in seen:
            seen.append(identifier)
    return seen


def main() -> None:
    folder = eval_folder()
    entries = load_entries(folder / "kb")
    questions = load_questions(folder / "questions.jsonl")
    lotse = figures(questions, run_lotse(entries, questions))
    lotse_extra = {
        **outcomes(entries, questions),
        "holdout_near_miss_answered": holdout_near_misses(entries, questions),
        "split_half_top1": [half["top1"] for half in split_half(entries, questions)],
    }
    systems: dict[str, dict[str, object]] = {
        "lotse": {**lotse, **lotse_extra},
        "wratio": dict(with_best_threshold(questions, run_wratio(entries, questions))),
        "bm25": dict(with_best_threshold(questions, run_bm25(entries, questions))),
    }
    print(f"{len(entries)} entries, {len(questions)} questions from {folder}")
    for name, figures_of_system in systems.items():
        print(f"{name:>7}: " + ", ".join(f"{key} {value}" for key, value in figures_of_system.items()))
    print(json.dumps({"bench": "faq_quality", **systems}))


if __name__ == "__main__":
    main()
