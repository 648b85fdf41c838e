"""The documented order of a measure list, which the pilot may override by moving items.

Each measure gets a value: twice its benefit, plus its fit with the organisation, minus its effort
(all 1 low … 3 high), plus 1 when it builds on a system already in use and minus 2 when it creates a
new digital island. Higher values come first; equal values put the smaller effort first, then the title.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

EXISTING_BONUS = 1
ISLAND_PENALTY = 2


class Rated(Protocol):
    @property
    def effort(self) -> int: ...
    @property
    def benefit(self) -> int: ...
    @property
    def fit(self) -> int: ...
    @property
    def system(self) -> str: ...
    @property
    def title(self) -> str: ...


R = TypeVar("R", bound=Rated)


def value(measure: Rated) -> int:
    bonus = EXISTING_BONUS if measure.system == "existing" else -ISLAND_PENALTY if measure.system == "island" else 0
    return 2 * measure.benefit + measure.fit - measure.effort + bonus


def ranked(measures: Iterable[R]) -> list[R]:
    return sorted(measures, key=lambda m: (-value(m), m.effort, m.title.casefold()))


def moved(items: Sequence[R], number: int, to: int) -> list[R]:
    """The list with item `number` (1-based) moved to position `to` (1-based, clamped)."""
    order = list(items)
    item = order.pop(number - 1)
    order.insert(max(0, min(len(order), to - 1)), item)
    return order
