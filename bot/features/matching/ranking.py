"""Who should meet whom: pure scoring and pairing, with no storage and no clock of its own.

A shared challenge counts more the rarer it is (inverse document frequency): two of the five
members working on open data have more to tell each other than two of the two thousand who
name IT security. Someone who offers help with my challenge adds a bonus, as do the same kind
of organisation and the same region. Candidates are found through an inverted index from
challenge to members, so a round over thousands of members never looks at all pairs.
"""

from __future__ import annotations

import heapq
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

OFFER_BONUS = 0.5
"""Share of a challenge's weight added when one side offers help with the other's challenge."""
ORG_TYPE_BONUS = 0.3
REGION_BONUS = 0.3
ROUND_CANDIDATES_PER_CHALLENGE = 12
"""In a round, each member's candidates are drawn from this many members per challenge."""
ROUND_EDGES_PER_MEMBER = 4
ROUND_ATTEMPTS = 6
"""Greedy pairing is repeated among the members left over until nobody more can be paired."""


@dataclass(frozen=True)
class Member:
    """What ranking needs to know about a member; `languages` is de, en or both."""

    person: str
    challenges: frozenset[str]
    offers: frozenset[str] = frozenset()
    org_type: str = ""
    region: str = ""
    languages: str = "both"
    opted_in: bool = True
    paused_until: datetime | None = None
    active_at: datetime | None = None


@dataclass(frozen=True)
class Rules:
    """Who may be proposed now: `recent` holds the pairs introduced (or asked) within the window."""

    now: datetime
    inactive_after: timedelta
    recent: frozenset[frozenset[str]] = frozenset()


@dataclass(frozen=True)
class Scored:
    """A proposed partner: the score, the shared challenges (rarest first), the offers that help."""

    person: str
    score: float
    shared: tuple[str, ...]
    helps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pairing:
    """A round's result: disjoint pairs, and the members for whom nobody was left."""

    pairs: list[tuple[str, Scored]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def eligible(member: Member, rules: Rules) -> bool:
    """Opted in, not paused, active within the configured time, and with something to match on."""
    if not member.opted_in or not (member.challenges or member.offers):
        return False
    if member.paused_until is not None and member.paused_until > rules.now:
        return False
    return member.active_at is None or rules.now - member.active_at <= rules.inactive_after


def speak_together(first: str, second: str) -> bool:
    return first == second or "both" in (first, second)


class Pool:
    """The eligible members of one moment, indexed by challenge; scores and pairs them."""

    def __init__(self, members: Iterable[Member], rules: Rules) -> None:
        self._rules = rules
        self.members = sorted((m for m in members if eligible(m, rules)), key=lambda m: m.person)
        self._position = {member.person: index for index, member in enumerate(self.members)}
        self._needing: dict[str, list[int]] = {}
        self._offering: dict[str, list[int]] = {}
        for index, member in enumerate(self.members):
            for challenge in member.challenges:
                self._needing.setdefault(challenge, []).append(index)
            for challenge in member.offers:
                self._offering.setdefault(challenge, []).append(index)
        count = max(len(self.members), 1)
        self.weight = {c: math.log(1 + count / len(ids)) for c, ids in self._needing.items()}
        self._bits = {c: 1 << bit for bit, c in enumerate(sorted(set(self._needing) | set(self._offering)))}
        self._needs = [self._mask(m.challenges) for m in self.members]
        self._gives = [self._mask(m.offers) for m in self.members]
        self._mask_weight = _MaskWeights({bit: self.weight.get(c, 0.0) for c, bit in self._bits.items()})
        self._bit_name = {bit: c for c, bit in self._bits.items()}

    def best_for(self, member: Member, limit: int = 3) -> list[Scored]:
        """Up to `limit` partners for `member` (who need not be in the pool), best first; exact."""
        needs, gives = self._mask(member.challenges), self._mask(member.offers)
        candidates: set[int] = set()
        for challenge in member.challenges:
            candidates.update(self._needing.get(challenge, ()))
            candidates.update(self._offering.get(challenge, ()))
        for challenge in member.offers:
            candidates.update(self._needing.get(challenge, ()))
        scored = (
            (self._score(needs, gives, member, index), self.members[index].person, index)
            for index in candidates
            if self._allowed(member, self.members[index])
        )
        best = heapq.nsmallest(limit, ((-score, person, index) for score, person, index in scored if score > 0))
        return [self._explain(needs, gives, index, -negative) for negative, _, index in best]

    def pair(self, seed: str) -> Pairing:
        """Disjoint pairs for a round: greedy on the best edges, repeated among those left.

        Each member's candidates are a window of each of their challenges' members, starting at a
        place derived from `seed` and the member, so the work per member is bounded and a repeated
        computation of the same round gives the same pairs.
        """
        pairing = Pairing()
        left = list(range(len(self.members)))
        for attempt in range(ROUND_ATTEMPTS):
            taken = self._greedy(self._edges(left, f"{seed}:{attempt}"), pairing)
            left = [index for index in left if index not in taken]
            if len(left) < 2 or not taken:
                break
        pairing.unmatched.extend(self.members[index].person for index in left)
        return pairing

    def _edges(self, among: Sequence[int], seed: str) -> list[tuple[float, int, int]]:
        """The best few scored edges of each member among `among`, in one tight loop (it is the hot path)."""
        allowed = set(among)
        needing = {c: [i for i in ids if i in allowed] for c, ids in self._needing.items()}
        offering = {c: [i for i in ids if i in allowed] for c, ids in self._offering.items()}
        members, needs_of, gives_of = self.members, self._needs, self._gives
        languages_of = [m.languages for m in members]
        org_of = [m.org_type for m in members]
        region_of = [m.region for m in members]
        recent = self._recent_by_index()
        weights = self._mask_weight
        edges: dict[tuple[int, int], float] = {}
        for index in among:
            member = members[index]
            start = zlib.crc32(f"{seed}:{member.person}".encode())
            candidates: set[int] = set()
            for challenge in member.challenges:
                candidates.update(_window(needing.get(challenge, []), start))
                candidates.update(_window(offering.get(challenge, []), start))
            for challenge in member.offers:
                candidates.update(_window(needing.get(challenge, []), start))
            candidates.discard(index)
            candidates.difference_update(recent.get(index, ()))
            needs, gives = needs_of[index], gives_of[index]
            org, region, languages = member.org_type, member.region, member.languages
            scored: list[tuple[float, int]] = []
            for other in candidates:
                peer_languages = languages_of[other]
                if languages != peer_languages and languages != "both" and peer_languages != "both":
                    continue
                other_needs = needs_of[other]
                score = weights[needs & other_needs] + OFFER_BONUS * (
                    weights[needs & gives_of[other]] + weights[gives & other_needs]
                )
                if org and org == org_of[other]:
                    score += ORG_TYPE_BONUS
                if region and region == region_of[other]:
                    score += REGION_BONUS
                scored.append((score, -other))
            for score, negative in heapq.nlargest(ROUND_EDGES_PER_MEMBER, scored):
                if score > 0:
                    edges[(min(index, -negative), max(index, -negative))] = score
        return sorted(((score, a, b) for (a, b), score in edges.items()), key=lambda e: (-e[0], e[1], e[2]))

    def _recent_by_index(self) -> dict[int, set[int]]:
        recent: dict[int, set[int]] = {}
        for pair in self._rules.recent:
            indices = [self._position[p] for p in pair if p in self._position]
            if len(indices) == 2:
                recent.setdefault(indices[0], set()).add(indices[1])
                recent.setdefault(indices[1], set()).add(indices[0])
        return recent

    def _greedy(self, edges: list[tuple[float, int, int]], pairing: Pairing) -> set[int]:
        taken: set[int] = set()
        for score, a, b in edges:
            if a in taken or b in taken:
                continue
            taken.update((a, b))
            pairing.pairs.append((self.members[a].person, self._explain(self._needs[a], self._gives[a], b, score)))
        return taken

    def _allowed(self, member: Member, other: Member) -> bool:
        return (
            other.person != member.person
            and speak_together(member.languages, other.languages)
            and frozenset((member.person, other.person)) not in self._rules.recent
        )

    def _score(self, needs: int, gives: int, member: Member, index: int) -> float:
        other = self.members[index]
        other_needs, other_gives = self._needs[index], self._gives[index]
        score = self._weight_of(needs & other_needs)
        score += OFFER_BONUS * (self._weight_of(needs & other_gives) + self._weight_of(gives & other_needs))
        if member.org_type and member.org_type == other.org_type:
            score += ORG_TYPE_BONUS
        if member.region and member.region == other.region:
            score += REGION_BONUS
        return score

    def _explain(self, needs: int, gives: int, index: int, score: float) -> Scored:
        other = self.members[index]
        shared = self._names(needs & self._needs[index])
        helps = self._names((needs & self._gives[index]) | (gives & self._needs[index]))
        return Scored(other.person, round(score, 6), shared, helps)

    def _names(self, mask: int) -> tuple[str, ...]:
        names = [name for bit, name in self._bit_name.items() if mask & bit]
        return tuple(sorted(names, key=lambda c: (-self.weight.get(c, 0.0), c)))

    def _mask(self, challenges: Iterable[str]) -> int:
        mask = 0
        for challenge in challenges:
            mask |= self._bits.get(challenge, 0)
        return mask

    def _weight_of(self, mask: int) -> float:
        return self._mask_weight[mask]


class _MaskWeights(dict[int, float]):
    """The summed rarity weight of each set of challenges (a bit mask), computed once per mask."""

    def __init__(self, bit_weights: dict[int, float]) -> None:
        super().__init__({0: 0.0})
        self._bit_weights = bit_weights

    def __missing__(self, mask: int) -> float:
        weight = sum(w for bit, w in self._bit_weights.items() if mask & bit)
        self[mask] = weight
        return weight


def _window(ids: list[int], start: int) -> list[int]:
    if len(ids) <= ROUND_CANDIDATES_PER_CHALLENGE:
        return ids
    offset = start % len(ids)
    chunk = ids[offset : offset + ROUND_CANDIDATES_PER_CHALLENGE]
    if len(chunk) < ROUND_CANDIDATES_PER_CHALLENGE:
        chunk = chunk + ids[: ROUND_CANDIDATES_PER_CHALLENGE - len(chunk)]
    return chunk
