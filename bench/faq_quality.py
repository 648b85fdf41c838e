"""FAQ answering quality: Lotse lexical-only, Lotse hybrid and the semantic model alone, side by side.

Run from the repository root: `python bench/faq_quality.py` (`--only public|development|second`
evaluates one set). Three sets: the public one (`../shared/faq-eval`, or LOTSE_FAQ_EVAL), on which
Lotse was calibrated; `bench/eval/grundsteuer-faq`, the development set of a third domain, on which
the confidence rules may be developed; and `bench/eval/cwa-faq`, the second set, a knowledge base
of another domain that nothing is tuned on and whose per-question results are not looked at. Vectors
are cached in `.cache/bench-vectors.sqlite`; the first run encodes every text (minutes on two cores).

Figures on answerable questions: top-1 and top-3, the share answered confidently and right
(`confident_right`) and confidently with a wrong entry (`confident_wrong`), the share answered
right or offered the right entry among "did you mean" choices (`right_or_offered`); on out-of-scope
questions the share not answered (`abstention`; "did you mean" counts as not answered) and the
share told a plain "unknown". The semantic model alone and plain BM25 answer when their best
score reaches one threshold, the one with the most right decisions on that set (an upper bound).
Checks of generalisation: a fifth of the entries held out at a time, whose questions become near
misses (`holdout_near_miss_answered`: the share answered anyway), and the figures on each half of
the questions. Confident-right per kind of question shows where the answers come from.
The last line is one JSON object:
`{"bench": "faq_quality", "public": {...}, "development": {...}, "second": {...}}`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _faq import DEVELOPMENT_SET, SECOND_SET, Question, encoded, load_questions, public_set

from knowledge.encoder import Encoder, Role, Vectors, text_key
from knowledge.entry import Entry
from knowledge.files import load_entries
from knowledge.matcher import Matcher
from knowledge.semantic import SemanticIndex

HOLDOUT_FOLDS = 5


@dataclass(frozen=True)
class Ranked:
    """A system's answer to one question: entry ids best first, its best score, and whether it answers."""

    ids: tuple[str, ...]
    score: float
    answers: bool = False
    outcome: str = ""
    offered: tuple[str, ...] = ()
    """The entries offered as "did you mean" choices."""


def figures(questions: Sequence[Question], results: Sequence[Ranked]) -> dict[str, float]:
    """The reported figures for one system's results."""
    answerable = [(q, r) for q, r in zip(questions, results, strict=True) if q.expect]
    out_of_scope = [r for q, r in zip(questions, results, strict=True) if not q.expect]
    top1 = sum(bool(r.ids) and r.ids[0] in q.expect for q, r in answerable)
    top3 = sum(any(i in q.expect for i in r.ids[:3]) for q, r in answerable)
    right = sum(r.answers and r.ids[0] in q.expect for q, r in answerable)
    wrong = sum(r.answers and r.ids[0] not in q.expect for q, r in answerable)
    refused = sum(not r.answers for r in out_of_scope)
    offered = sum((r.answers and r.ids[0] in q.expect) or bool(q.expect & set(r.offered)) for q, r in answerable)
    return {
        "top1": round(top1 / len(answerable), 3),
        "top3": round(top3 / len(answerable), 3),
        "confident_right": round(right / len(answerable), 3),
        "confident_wrong": round(wrong / len(answerable), 3),
        "right_or_offered": round(offered / len(answerable), 3),
        "abstention": round(refused / max(1, len(out_of_scope)), 3),
        "decisions_right": round((right + refused) / len(questions), 3),
    }


def with_best_threshold(questions: Sequence[Question], results: Sequence[Ranked]) -> dict[str, float]:
    """Figures of a system that answers above one score, at the threshold with the most right decisions."""
    best: tuple[float, float] | None = None
    for threshold in sorted({r.score for r in results}):
        decided = [Ranked(r.ids, r.score, bool(r.ids) and r.score >= threshold) for r in results]
        right = figures(questions, decided)["decisions_right"]
        if best is None or right > best[0]:
            best = (right, threshold)
    threshold = best[1] if best else 0.0
    decided = [Ranked(r.ids, r.score, bool(r.ids) and r.score >= threshold) for r in results]
    return {**figures(questions, decided), "threshold": round(threshold, 3)}


def run_lotse(matcher: Matcher, questions: Sequence[Question]) -> list[Ranked]:
    results = []
    for question in questions:
        explanation = matcher.explain(question.text, limit=3)
        ids = tuple(reason.entry_id for reason in explanation.candidates[:3])
        match = explanation.match
        offered = tuple(c.entry_id for c in match.choices) if match.outcome == "choices" else ()
        results.append(Ranked(ids, match.score, match.outcome == "answer", match.outcome, offered))
    return results


def lotse_figures(matcher: Matcher, questions: Sequence[Question], entries: Sequence[Entry],
                  build: type[Matcher] | None = None, **options: object) -> dict[str, object]:
    results = run_lotse(matcher, questions)
    found = figures(questions, results)
    out_of_scope = [r.outcome for q, r in zip(questions, results, strict=True) if not q.expect]
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question, result in zip(questions, results, strict=True):
        if question.expect:
            by_kind[question.kind][0] += result.answers and result.ids[0] in question.expect
            by_kind[question.kind][1] += 1
    halves = (questions[0::2], questions[1::2])
    return {
        **found,
        "outcomes": dict(Counter(r.outcome for r in results)),
        "out_of_scope_unknown": round(out_of_scope.count("unknown") / max(1, len(out_of_scope)), 3),
        "holdout_near_miss_answered": holdout_near_misses(entries, questions, **options),
        "split_half_confident_right": [figures(h, run_lotse(matcher, h))["confident_right"] for h in halves],
        "confident_right_by_kind": {kind: round(right / total, 2) for kind, (right, total) in sorted(by_kind.items())},
    }


def holdout_near_misses(entries: Sequence[Entry], questions: Sequence[Question], **options: object) -> float:
    """Share of questions answered confidently although their entry was held out of the index."""
    answered = total = 0
    ids = sorted(entry.id for entry in entries)
    for fold in range(HOLDOUT_FOLDS):
        held = set(ids[fold::HOLDOUT_FOLDS])
        matcher = Matcher([entry for entry in entries if entry.id not in held], **options)  # type: ignore[arg-type]
        for question in questions:
            if question.expect and question.expect <= held:
                total += 1
                answered += matcher.match(question.text).outcome == "answer"
    return round(answered / max(1, total), 3)


def run_semantic(entries: Sequence[Entry], vectors: dict[str, Vectors], encoder: Encoder,
                 questions: Sequence[Question]) -> list[Ranked]:
    """The semantic model alone: entries by their blended cosine, nothing else."""
    index = SemanticIndex(entries, vectors, encoder.dimension)
    results = []
    for question in questions:
        view = index.view(vectors[text_key(question.text, Role.QUERY)])
        best = view.best(3)
        results.append(Ranked(tuple(entries[n].id for n in best), float(view.scores[best[0]]) if best else 0.0))
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


def evaluate(folder: Path) -> dict[str, dict[str, object]]:
    entries = load_entries(folder / "kb")
    questions = load_questions(folder / "questions.jsonl")
    encoder, vectors, fresh = encoded(entries, [q.text for q in questions])
    lexical = Matcher(entries)
    hybrid = Matcher(entries, encoder=encoder, vectors=vectors)
    bm25 = PlainBM25(entries)
    systems: dict[str, dict[str, object]] = {
        "lexical": lotse_figures(lexical, questions, entries),
        "hybrid": lotse_figures(hybrid, questions, entries, encoder=encoder, vectors=vectors),
        "semantic": dict(with_best_threshold(questions, run_semantic(entries, vectors, encoder, questions))),
        "bm25": dict(with_best_threshold(questions, [bm25.rank(q.text) for q in questions])),
    }
    print(f"{folder}: {len(entries)} entries, {len(questions)} questions ({fresh} texts encoded now)")
    for name, found in systems.items():
        print(f"  {name:>8}: " + ", ".join(f"{key} {value}" for key, value in found.items()))
    return systems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("public", "development", "second"), help="evaluate one set only")
    args = parser.parse_args()
    report: dict[str, object] = {"bench": "faq_quality"}
    sets = {"public": public_set(), "development": DEVELOPMENT_SET, "second": SECOND_SET}
    for label, folder in sets.items():
        if args.only in (None, label):
            print(f"[{label}]")
            report[label] = evaluate(folder)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
