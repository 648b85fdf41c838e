"""What Lotse already has for a measure: knowledge-base entries, resources, events, Kompass offers and
peers. Each comes through the owning feature's service, taken here as a small port."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.messages import escape_markdown
from knowledge.entry import Entry, Language
from knowledge.matcher import Candidate

log = logging.getLogger(__name__)

PER_KIND = 3
EVENTS_AHEAD = timedelta(days=120)
KOMPASS_ORG_TYPES = {"municipality": "municipality", "culture": "culture", "social": "social", "sme": "company"}
"""The check's organisation types as the Kompass and matching name them."""


class KnowledgeSearch(Protocol):
    """The FAQ index (bot/features/faq_index.py)."""

    async def search(self, text: str, limit: int = 10) -> list[Candidate]: ...

    async def entries(self) -> dict[str, Entry]: ...


class ResourceShelf(Protocol):
    """The digest's resources."""

    async def latest(self, tag: str | None = None, limit: int = 10) -> Sequence[Any]: ...


class EventCalendar(Protocol):
    """The digest's events."""

    async def upcoming(self, start: datetime, end: datetime) -> Sequence[Any]: ...


class OfferDirectory(Protocol):
    """The Kompass directory."""

    async def offers_for(self, topics: Sequence[str], org_type: str | None = None, region: str | None = None,
                         limit: int = 5) -> Sequence[Any]: ...

    def line(self, found: Any, language: Language) -> str: ...


class Challenges(Protocol):
    """Matching's challenge list: each topic's label and the tags it stands for."""

    def get(self, challenge_id: str) -> Any: ...


@dataclass(frozen=True)
class Links:
    entries: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    peers_topic: str = ""


class MeasureLinks:
    """Finds what belongs to a measure; a part that fails is left out and logged, the rest still shows."""

    def __init__(self, knowledge: KnowledgeSearch | None, resources: ResourceShelf | None,
                 events: EventCalendar | None, offers: OfferDirectory | None, challenges: Challenges | None,
                 clock: Callable[[], datetime]) -> None:
        self._knowledge = knowledge
        self._resources = resources
        self._events = events
        self._offers = offers
        self._challenges = challenges
        self._clock = clock

    async def for_measure(self, title: str, topics: Sequence[str], org_type: str, region: str,
                          language: Language, consent: bool) -> Links:
        tags = self._tags(topics)
        return Links(
            entries=await self._guarded(self._entries(title, language)),
            resources=await self._guarded(self._resource_lines(tags)),
            events=await self._guarded(self._event_lines(tags)),
            offers=await self._guarded(self._offer_lines(topics, org_type, region, language)),
            peers_topic=self._topic_label(topics, language) if consent else "",
        )

    async def _guarded(self, lines: Any) -> tuple[str, ...]:
        try:
            return tuple(await lines)
        except Exception:
            log.exception("could not link a measure to what Lotse has")
            return ()

    def _tags(self, topics: Sequence[str]) -> list[str]:
        tags: list[str] = []
        for topic in topics:
            challenge = self._challenges.get(topic) if self._challenges is not None else None
            for tag in (*(challenge.tags if challenge is not None else ()), topic):
                if tag not in tags:
                    tags.append(tag)
        return tags

    def _topic_label(self, topics: Sequence[str], language: Language) -> str:
        for topic in topics:
            challenge = self._challenges.get(topic) if self._challenges is not None else None
            if challenge is not None:
                return str(challenge.label(language))
        return ""

    async def _entries(self, title: str, language: Language) -> list[str]:
        if self._knowledge is None:
            return []
        entries = await self._knowledge.entries()
        lines = []
        for candidate in await self._knowledge.search(title, limit=PER_KIND * 2):
            entry = entries.get(candidate.entry_id)
            if entry is not None and entry.lang == language and candidate.score >= 0.3:
                lines.append(f"- {escape_markdown(entry.question)}")
        return lines[:PER_KIND]

    async def _resource_lines(self, tags: Sequence[str]) -> list[str]:
        if self._resources is None:
            return []
        found: dict[int, Any] = {}
        for tag in tags:
            for resource in await self._resources.latest(tag, PER_KIND):
                found.setdefault(resource.id, resource)
        return [f"- [{escape_markdown(r.title)}]({r.link})" if r.link else f"- {escape_markdown(r.title)}"
                for r in list(found.values())[:PER_KIND]]

    async def _event_lines(self, tags: Sequence[str]) -> list[str]:
        if self._events is None or not tags:
            return []
        now = self._clock()
        lines = []
        for occurrence in await self._events.upcoming(now, now + EVENTS_AHEAD):
            event = occurrence.event
            if set(event.tags) & set(tags):
                title = escape_markdown(event.title)
                lines.append(f"- {occurrence.starts_at:%Y-%m-%d}: " + (f"[{title}]({event.link})" if event.link
                                                                       else title))
        return lines[:PER_KIND]

    async def _offer_lines(self, topics: Sequence[str], org_type: str, region: str,
                           language: Language) -> list[str]:
        if self._offers is None or not topics:
            return []
        found = await self._offers.offers_for(topics, KOMPASS_ORG_TYPES.get(org_type), region or None, PER_KIND)
        return [self._offers.line(one, language) for one in found]
