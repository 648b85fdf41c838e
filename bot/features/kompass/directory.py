"""The Kompass as a service: the best offers for a request, in words members read.

Other features call it rather than its tables: the readiness check asks `offers_for` a gap's topic,
the digest asks the funding radar, the FAQ's listeners and hooks land here. The index is rebuilt
from the catalogue whenever it changed (checked at most every few seconds), so an import or a
moderator's edit shows at once on this instance and soon on every other.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.features.digest.composing import link, plain
from bot.features.kompass.catalogue import Catalogue
from bot.features.kompass.model import AUDIENCES, COSTS, OFFER_KINDS, Found, Listing, Request, TopicList
from bot.features.kompass.phrases import PHRASES
from bot.features.kompass.regions import Regions
from bot.features.kompass.search import Index
from knowledge.entry import Language

RELOAD_CHECK_EVERY = timedelta(seconds=5)
ANSWER_LENGTH = 5


class Directory:
    """Finds and describes offers; the index follows the catalogue."""

    def __init__(self, catalogue: Catalogue, regions: Regions, topics: TopicList, stale_after: timedelta,
                 zone: ZoneInfo, clock: Callable[[], datetime]) -> None:
        self.catalogue = catalogue
        self.regions = regions
        self.topics = topics
        self._stale_after = stale_after
        self._zone = zone
        self._clock = clock
        self._index = Index(())
        self._revision: object = None
        self._checked_at: datetime | None = None
        self._local_changes = -1
        self._lock = asyncio.Lock()

    def today(self) -> date:
        """Today where the community lives (the digest's time zone): deadlines and checks are days."""
        return self._clock().astimezone(self._zone).date()

    def stale_before(self) -> date:
        """Offers last checked before this day are marked as possibly out of date."""
        return self.today() - self._stale_after

    async def index(self) -> Index:
        now = self._clock()
        fresh = self._local_changes == self.catalogue.local_changes
        if fresh and self._checked_at is not None and now - self._checked_at < RELOAD_CHECK_EVERY:
            return self._index
        async with self._lock:
            self._checked_at = now
            self._local_changes = self.catalogue.local_changes
            revision = await self.catalogue.revision()
            if revision != self._revision:
                listings = await self.catalogue.listings()
                self._index = await asyncio.to_thread(Index, listings)
                self._revision = revision
        return self._index

    async def search(self, request: Request, limit: int = ANSWER_LENGTH) -> list[Found]:
        return (await self.index()).best(request, self.today(), self.stale_before(), limit)

    async def offers_for(self, topics: Sequence[str], org_type: str | None = None, region: str | None = None,
                         limit: int = ANSWER_LENGTH) -> list[Found]:
        """The best offers on `topics` for an organisation type (matching's codes) and a region (a key,
        a place name or a postcode; None: nationwide offers only). For the readiness check's gaps."""
        keys: tuple[str, ...] = ()
        if region:
            keys = self.regions.area(region) or ()
        audience = org_type if org_type in AUDIENCES else None
        return await self.search(Request(tuple(topics), keys, audience), limit)

    async def listing(self, offer_id: str) -> Listing | None:
        return (await self.index()).get(offer_id)

    async def listing_by_token(self, token: str) -> Listing | None:
        index = await self.index()
        return next((listing for listing in index.listings if offer_token(listing.offer.id) == token), None)

    def line(self, found: Found, language: Language) -> str:
        """One Markdown line: title and provider, kind and cost, where, checked on and source, details."""
        offer, provider = found.listing.offer, found.listing.provider
        title = f"**{link(plain(offer.title, 100), offer.link or provider.website)}**"
        facts = [OFFER_KINDS[offer.kind][language]]
        if offer.cost in COSTS:
            facts.append(COSTS[offer.cost][language])
        facts.append(self.area_name(found.listing.area, language))
        deadline = offer.next_deadline(self.today())
        if deadline is not None:
            facts.append(PHRASES.say("deadline", language, date=day(deadline, language)))
        checked = PHRASES.say("stale" if found.stale else "checked", language, date=day(offer.checked, language))
        parts = [f"- {title} – {plain(provider.name, 80)}", " · ".join(facts), checked,
                 self.source(offer.source, language), f"`/kompass show {offer.id}`"]
        return " · ".join(part for part in parts if part)

    def area_name(self, area: Sequence[str], language: Language) -> str:
        names = [self.regions.name(key, language) for key in area[:3]]
        return ", ".join(names) + (" …" if len(area) > 3 else "")

    def source(self, source: str, language: Language) -> str:
        if source.startswith(("https://", "http://")):
            return link(PHRASES.say("source", language), source)
        return PHRASES.say("source-text", language, source=plain(source, 60)) if source else ""

    async def counts(self) -> dict[str, Any]:
        index = await self.index()
        stale = sum(1 for listing in index.listings if listing.offer.checked < self.stale_before())
        return {"offers": len(index.listings), "providers": len({listing.provider.id for listing in index.listings}),
                "stale": stale}


def offer_token(offer_id: str) -> str:
    """A short stand-in for an offer id in a button (ids may be longer than a button's action allows)."""
    return hashlib.sha1(offer_id.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def day(moment: date, language: Language) -> str:
    return f"{moment:%d.%m.%Y}" if language == "de" else moment.isoformat()
