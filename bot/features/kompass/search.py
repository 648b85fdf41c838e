"""Finding the best offers for a request: pure, in memory, indexed by area and topic.

Ranking is "most local first": an offer whose area covers the member's place through a district
key comes before one covering it through the state, which comes before a nationwide one. Within a
level, offers of the kinds the words asked for, then more shared topics, then offers made for the
member's kind of organisation, then fresh before stale, then the most recently checked.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from bot.features.kompass.model import NATIONWIDE, Found, Listing, Offer, Request
from bot.features.kompass.regions import covering_keys, level

FUNDING_TOPIC = "funding"
"""Funding programmes answer questions about funding whatever else their topics are."""


class Index:
    """The standing offers, indexed for queries; immutable once built."""

    def __init__(self, listings: Iterable[Listing]) -> None:
        self.listings = tuple(listings)
        self._by_area: dict[str, list[int]] = defaultdict(list)
        self._by_topic: dict[str, set[int]] = defaultdict(set)
        self._by_id = {listing.offer.id: listing for listing in self.listings}
        self._funding = tuple(listing for listing in self.listings if listing.offer.kind == "funding")
        self._checked = [listing.offer.checked.toordinal() for listing in self.listings]
        for number, listing in enumerate(self.listings):
            for key in dict.fromkeys(listing.area):
                self._by_area[key].append(number)
            for topic in listing.offer.topics:
                self._by_topic[topic].add(number)
            if listing.offer.kind == "funding":
                self._by_topic[FUNDING_TOPIC].add(number)

    def get(self, offer_id: str) -> Listing | None:
        return self._by_id.get(offer_id)

    def best(self, request: Request, today: date, stale_before: date, limit: int = 5) -> list[Found]:
        """The `limit` best standing offers for `request`; without a place only nationwide ones."""
        covering = covering_keys(request.keys) if request.keys else {NATIONWIDE}
        nearest: dict[int, int] = {}
        for key in covering:
            key_level = level(key)
            for number in self._by_area.get(key, ()):
                if nearest.get(number, -1) < key_level:
                    nearest[number] = key_level
        candidates: Iterable[int] = nearest
        if request.topics:
            on_topic: set[int] = set()
            for topic in request.topics:
                on_topic |= self._by_topic.get(topic, set())
            candidates = on_topic.intersection(nearest)
        topics = frozenset(request.topics)
        kinds, audience, stale_day = frozenset(request.kinds), request.audience, stale_before.toordinal()
        ranked = []
        for number in candidates:
            offer = self.listings[number].offer
            if offer.deadlines and offer.is_over(today):
                continue
            if audience is not None and offer.audiences and audience not in offer.audiences:
                continue
            checked = self._checked[number]
            rank = (-nearest[number], offer.kind not in kinds, -_shared(offer, topics), audience not in offer.audiences,
                    checked < stale_day, -checked, offer.title, offer.id)
            ranked.append((rank, number))
        best = heapq.nsmallest(limit, ranked)
        return [Found(self.listings[number], nearest[number], self._checked[number] < stale_day)
                for _, number in best]

    def calls(self, topics: Sequence[str], audience: str | None, keys: Sequence[str], today: date) -> list[Listing]:
        """Funding calls with a deadline still ahead that fit topics (none: all), organisation and place;
        the next deadline first."""
        covering = covering_keys(keys)
        found = []
        for listing in self._funding:
            offer = listing.offer
            deadline = offer.next_deadline(today)
            if deadline is None or not fits_audience(offer, audience):
                continue
            if topics and not set(topics).intersection((*offer.topics, FUNDING_TOPIC)):
                continue
            if covering.isdisjoint(listing.area):
                continue
            found.append((deadline, offer.title, listing))
        return [listing for _, _, listing in sorted(found, key=lambda triple: triple[:2])]


def fits_audience(offer: Offer, audience: str | None) -> bool:
    """An offer for everyone (no target groups named) fits every organisation."""
    return audience is None or not offer.audiences or audience in offer.audiences


def _shared(offer: Offer, topics: frozenset[str]) -> int:
    shared = len(topics.intersection(offer.topics))
    return shared + (FUNDING_TOPIC in topics and offer.kind == "funding" and FUNDING_TOPIC not in offer.topics)
