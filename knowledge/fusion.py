"""One ranking and one decision from the lexical and the semantic view of a question.

The two views fail on different questions: the lexical one on paraphrases and colloquial
wording, the semantic one on near misses and on words that merely look alike to it. So the
ranking adds to the lexical score a penalty for lying behind the semantic best, and a
confident answer needs one view to be sure and the other not to object, or both to agree:

- lexical-led: the lexical rules answer (score, margin, the question's words held), the
  semantic view does not rank another entry clearly higher, and it does not find the entry
  unremarkable (`PLAUSIBLE`);
- agreement: both views put the same entry first, the semantic view finds it plausible, the
  lexical view supports it (`supports`), and it leads the runner-up of the fused ranking by as
  much as a semantic lead of `SEMANTIC_LEAD` is worth there (`FUSED_LEAD`);
- fused: the entry the semantic view puts first stands out (`STANDS_OUT`), the lexical view
  supports it, and it leads the fused ranking by `FUSED_LEAD`, even if the lexical view alone
  ranks a sibling entry first (the sibling then lost on the semantic penalty);
- semantic-led: the entry is singled out semantically (`SINGLED_OUT`), leads the semantic
  runner-up, and the lexical view does not object: no other entry holds the question's words,
  this one does not lack most of those the knowledge base knows, and it is not tied to the
  question only by a coincidence of spelling.

Every signal means the same on any knowledge base: lexical scores are calibrated to [0, 1],
how far an entry stands out is judged against the chance that the best of that many unrelated
entries would stand out as far (`SemanticView.chance`), not against a raw cosine, and the
fused margin is measured in the unit the fusion itself uses (`SEMANTIC_WEIGHT`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from knowledge.semantic import SemanticView

SEMANTIC_WEIGHT = 6.0
"""Lexical score a candidate loses per unit of cosine it lies behind the semantic best: 0.02 of
cosine, about what separates neighbouring entries, costs 0.12."""
CONTRADICTION = 0.02
"""Cosine by which the semantic best must lead a lexical answer to overrule it."""
AGREEMENT_FLOOR = 0.4
"""Lexical score from which the lexical view supports an entry whose question words it does not all
hold (the lexical rules alone want 0.5), and from which another entry objects to a semantic-led answer."""
STANDS_OUT = 0.1
"""Chance below which an entry stands out from the knowledge base for a question."""
PLAUSIBLE = 0.5
"""Chance above which the semantic view finds an entry unremarkable: the best of as many unrelated
entries would stand out as far about as often as not, so the semantic view lends it no support."""
SINGLED_OUT = 0.01
"""Chance below which the semantic view may answer without lexical agreement."""
SEMANTIC_LEAD = 0.02
"""Cosine lead over the semantic runner-up that a semantic-led answer needs."""
FUSED_LEAD = SEMANTIC_WEIGHT * SEMANTIC_LEAD
"""Lead over the runner-up of the fused ranking that an answer by agreement needs: what a semantic
lead of `SEMANTIC_LEAD` is worth in the fused score, so neither view alone can make it up from a
tie of the other."""
HALF = 0.5
MOSTLY_MISSING = 0.75
"""Share of the question's known words an entry may lack before the lexical view objects to a
semantic-led answer (a near miss shares the topic word and little else)."""
SEMANTIC_CANDIDATES = 5
"""The semantic view's best entries join the lexical candidates."""

Path = Literal["lexical", "agreement", "fused", "semantic", "none"]


@dataclass(frozen=True)
class Lexical:
    """What the lexical view says of one entry: its calibrated score, whether the entry holds
    the question's words (`holds`), and whether it holds any of them by a real reading rather
    than a coincidence of stem or prefix (`specific`)."""

    score: float
    holds: bool
    specific: bool
    coverage: float
    missing: float = 0.0
    """Share of the question's known words the entry lacks."""


@dataclass(frozen=True)
class Evidence:
    """One candidate entry as both views see it."""

    number: int
    lexical: Lexical | None
    semantic: float | None
    standout: float
    chance: float
    fused: float

    @property
    def lexical_score(self) -> float:
        return self.lexical.score if self.lexical is not None else 0.0

    @property
    def coincidental(self) -> bool:
        """The question's words tie it to this entry only through coincidences of spelling."""
        return self.lexical is not None and self.lexical.score > 0 and not self.lexical.specific


@dataclass(frozen=True)
class Decision:
    outcome: Literal["answer", "choices", "unknown"]
    ranked: tuple[Evidence, ...]
    """Candidates best first."""
    choices: tuple[Evidence, ...]
    path: Path
    """Which rule answered, for `lotse ask --explain`."""


def fuse(
    lexical: dict[int, Lexical],
    view: SemanticView,
    score_lexically: Callable[[int], Lexical | None],
) -> list[Evidence]:
    """Candidates from both views, ranked by lexical score less the semantic penalty."""
    semantic_best = view.best(SEMANTIC_CANDIDATES)
    numbers = dict.fromkeys([*lexical, *semantic_best])
    top = float(view.scores[semantic_best[0]]) if semantic_best else 0.0
    ranked = []
    for number in numbers:
        found = lexical[number] if number in lexical else score_lexically(number)
        semantic = float(view.scores[number])
        base = found.score if found is not None else 0.0
        ranked.append(Evidence(number, found, semantic, view.standout(number), view.chance(number),
                               base + SEMANTIC_WEIGHT * (semantic - top)))
    ranked.sort(key=lambda e: (-e.fused, -e.lexical_score, e.number))
    return ranked


def decide(
    ranked: Sequence[Evidence],
    lexical_answer: int | None,
    lexical_first: int | None,
    semantic_first: int | None,
    suggest: float,
    max_choices: int,
    informative: bool = True,
    unknown_words: bool = False,
) -> Decision:
    """Answer, offer choices or refuse. `lexical_answer` is the entry the lexical rules alone
    would answer with; `lexical_first` and `semantic_first` are each view's best entry;
    `informative` is False when the knowledge base is too small for entries to stand out;
    `unknown_words` says the question has words the knowledge base does not know at all, so the
    lexical evidence covers only part of it and the semantic view must single an entry out."""
    if not ranked:
        return Decision("unknown", (), (), "none")
    best = ranked[0]
    path = _answering_path(ranked, lexical_answer, lexical_first, semantic_first, informative, unknown_words)
    offered = tuple(e for e in ranked if _worth_offering(e, suggest, informative, unknown_words))
    if path != "none":
        return Decision("answer", tuple(ranked), tuple(e for e in offered[:max_choices] if e is not best), path)
    if offered:
        return Decision("choices", tuple(ranked), offered[:max_choices], "none")
    return Decision("unknown", tuple(ranked), (), "none")


def _answering_path(ranked: Sequence[Evidence], lexical_answer: int | None, lexical_first: int | None,
                    semantic_first: int | None, informative: bool = True, unknown_words: bool = False) -> Path:
    best = ranked[0]
    if best.coincidental:
        return "none"
    plausible = best.chance <= PLAUSIBLE or not informative
    semantic_top = max(e.semantic or 0.0 for e in ranked)
    if best.number == lexical_answer and semantic_top - (best.semantic or 0.0) < CONTRADICTION and plausible:
        return "lexical"
    lead = best.fused - (ranked[1].fused if len(ranked) > 1 else 0.0)
    semantic_lead = (best.semantic or 0.0) - max((e.semantic or 0.0 for e in ranked[1:]), default=0.0)
    if best.number == semantic_first and lead >= FUSED_LEAD and supports(best, unknown_words):
        if best.number == lexical_first and best.chance <= PLAUSIBLE:
            return "agreement"
        if best.chance <= STANDS_OUT:
            return "fused"
    if (best.number == semantic_first and best.chance <= SINGLED_OUT
            and semantic_lead >= SEMANTIC_LEAD and not _lexically_objected(best, ranked)):
        return "semantic"
    return "none"


def supports(evidence: Evidence, unknown_words: bool = False) -> bool:
    """The lexical view supports an entry the semantic view favours when it ties them by a real
    reading and either the entry holds the question's words, or it reaches `AGREEMENT_FLOOR` while
    covering more than half the question's weight or standing out semantically (an entry lacking
    most of the question's words needs the semantic view to vouch for the rest). When the question's
    words are mostly unknown to the knowledge base, so that the entry holds less than a quarter of
    their weight (`MOSTLY_MISSING`), holding the few known ones is no support unless the semantic
    view singles the entry out (`SINGLED_OUT`): "Urlaub" alone does not make a question about the
    leave of apprentices one about leave."""
    lexical = evidence.lexical
    if lexical is None or not lexical.specific:
        return False
    if lexical.holds:
        mostly_unknown = unknown_words and lexical.coverage < 1 - MOSTLY_MISSING
        return not mostly_unknown or evidence.chance <= SINGLED_OUT
    return lexical.score >= AGREEMENT_FLOOR and (lexical.coverage > HALF or evidence.chance <= STANDS_OUT)


def _lexically_objected(best: Evidence, ranked: Sequence[Evidence]) -> bool:
    """The lexical view objects to a semantic-led answer when another entry holds the question's
    words well, or when the question's words are known to the knowledge base but this entry lacks
    three quarters of them (a near miss: "Wie viele Stunden pro Woche …" for an entry on the role
    only)."""
    if any(e is not best and e.lexical_score >= AGREEMENT_FLOOR for e in ranked):
        return True
    return best.lexical is not None and best.lexical.missing >= MOSTLY_MISSING


def holds_most(coverage: float, unknown_words: bool) -> bool:
    """With words the knowledge base does not know, an entry is worth offering only if it holds
    more than half of the question's weight: "schreiben" alone is no reason to offer "Förderantrag
    schreiben" for "Wie schreibe ich einen Liebesbrief?"."""
    return not unknown_words or coverage > HALF


def _worth_offering(evidence: Evidence, suggest: float, informative: bool, unknown_words: bool) -> bool:
    """Lexically plausible and not semantically foreign, or semantically standing out with at
    least some real lexical tie; never on a coincidence of spelling alone."""
    if evidence.lexical is None or evidence.coincidental or not evidence.lexical.specific:
        return False
    plausible = evidence.standout >= 1.0 or not informative
    if evidence.lexical.score >= suggest and plausible and holds_most(evidence.lexical.coverage, unknown_words):
        return True
    return evidence.chance <= STANDS_OUT and evidence.lexical.score > 0
