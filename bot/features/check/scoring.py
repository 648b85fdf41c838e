"""How answers become a score per dimension and the gaps between what matters and where one stands.

A statement answered *yes* counts 1, *partly* 0.5, *no* 0; *don't know* is left out of the score. A
dimension's score is the mean of its known statements, in percent. Its gap weighs each known statement's
shortfall (1 − state) by how important the pilot called it (low 1/3, medium 2/3, high 1), in percent;
a statement already fulfilled has no gap, so its importance is not asked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.features.check.catalogue import Catalogue

STATES: Mapping[str, float | None] = {"n": 0.0, "p": 0.5, "y": 1.0, "u": None}
IMPORTANCES = (1, 2, 3)
GAPS_SHOWN = 3
BAR_WIDTH = 10


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    score: int | None
    """Percent fulfilled, None when every statement was answered "don't know"."""
    gap: int
    """Percent of what matters that is missing."""
    answered: int


def needs_importance(state: str) -> bool:
    """Importance is asked where there is something missing: not after *yes* or *don't know*."""
    return state in ("n", "p")


def is_answered(answer: Mapping[str, Any] | None) -> bool:
    if not answer or answer.get("state") not in STATES:
        return False
    return not needs_importance(answer["state"]) or answer.get("importance") in IMPORTANCES


def scores(catalogue: Catalogue, answers: Mapping[str, Mapping[str, Any]]) -> list[DimensionScore]:
    result = []
    for dimension in catalogue.dimensions:
        states, shortfalls, answered = [], [], 0
        for statement in dimension.statements:
            answer = answers.get(f"{dimension.id}/{statement.id}")
            if not is_answered(answer):
                continue
            assert answer is not None
            answered += 1
            state = STATES[answer["state"]]
            if state is None:
                continue
            states.append(state)
            weight = answer.get("importance", 0) / 3 if needs_importance(answer["state"]) else 0
            shortfalls.append(weight * (1 - state))
        score = round(100 * sum(states) / len(states)) if states else None
        gap = round(100 * sum(shortfalls) / len(shortfalls)) if shortfalls else 0
        result.append(DimensionScore(dimension.id, score, gap, answered))
    return result


def largest_gaps(catalogue: Catalogue, found: Sequence[DimensionScore], limit: int = GAPS_SHOWN) -> list[str]:
    """The dimensions with the largest gaps, in catalogue order when equal."""
    order = {d.id: d.order for d in catalogue.dimensions}
    ranked = sorted((s for s in found if s.gap > 0), key=lambda s: (-s.gap, order[s.dimension]))
    return [s.dimension for s in ranked[:limit]]


def bar(score: int | None) -> str:
    """A text bar of ten cells, readable in any chat: `███████░░░ 70 %`."""
    if score is None:
        return "·" * BAR_WIDTH + " –"
    filled = round(score / 100 * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled) + f" {score} %"
