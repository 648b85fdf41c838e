"""Polling feeds: conditional GET, deduplication, a quiet first read, and broken feeds reported once.

A new source's back catalogue is remembered without being announced, so adding a feed with 300
old posts does not flood the next digest. A feed that fails is reported to the moderators' rooms
when it breaks and again when it works, never at every poll; it is asked again less and less often
while it stays broken, and whatever goes wrong with one feed, the others are read.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import aiohttp
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.config import DigestSettings, FeedSettings
from bot.features.digest.events import EventDraft, add_event
from bot.features.digest.phrases import PHRASES
from bot.features.digest.resources import ResourceDraft, add_resource
from bot.features.digest.sources import FeedItem, FeedUnreadable, read_ical, read_rss
from bot.features.digest.tables import EventRow, FeedItemRow, FeedRow
from bot.messages import ChatId, Reply
from bot.outbox import enqueue
from bot.storage.database import Database
from knowledge.entry import Language

log = logging.getLogger(__name__)

FEEDER = "lotse:feed"
MAX_BODY = 5 * 1024 * 1024
MAX_BROKEN_WAIT = timedelta(days=1)


@dataclass(frozen=True)
class Fetched:
    """A response: `body` None when the feed answered 304 Not Modified."""

    body: bytes | None
    etag: str | None = None
    last_modified: str | None = None


class FeedFetchError(Exception):
    """The feed could not be fetched; the message is short enough for a notice."""


class Fetcher(Protocol):
    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> Fetched: ...


class HttpFetcher:
    """Conditional GET with aiohttp, bounded in time and size."""

    def __init__(self, timeout: float = 20.0) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> Fetched:
        headers = {"User-Agent": "Lotse digest (+https://github.com/lotse)"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with aiohttp.ClientSession(timeout=self._timeout) as session, \
                    session.get(url, headers=headers) as response:
                if response.status == 304:
                    return Fetched(None, etag, last_modified)
                if response.status >= 400:
                    raise FeedFetchError(f"HTTP {response.status}")
                body = await response.content.read(MAX_BODY + 1)
                if len(body) > MAX_BODY:
                    raise FeedFetchError("larger than 5 MB")
                return Fetched(body, response.headers.get("ETag"), response.headers.get("Last-Modified"))
        except (aiohttp.ClientError, TimeoutError) as error:
            raise FeedFetchError(type(error).__name__) from None


class FeedPoller:
    """Implements the scheduler's `Job`: polls each configured feed when its interval has passed."""

    name = "feeds"

    def __init__(self, database: Database, settings: DigestSettings, moderator_rooms: Sequence[str],
                 language: Language, fetcher: Fetcher | None = None) -> None:
        self._database = database
        self._settings = settings
        self._rooms = list(moderator_rooms)
        self._language = language
        self._fetcher = fetcher or HttpFetcher()

    async def run_due(self, now: datetime) -> None:
        """Poll every feed whose time has come; whatever goes wrong with one, the others are read."""
        for feed in self._settings.feeds:
            try:
                async with self._database.reading() as session:
                    row = await session.get(FeedRow, feed.url)
                if row is None or row.polled_at is None or now >= row.polled_at + _interval(feed, row):
                    await self.poll(feed, now)
            except Exception as error:
                log.exception("feed %s failed unexpectedly", feed.url)
                try:
                    await self._broken(feed.url, f"unexpected error: {type(error).__name__}: {error}"[:300], now)
                except Exception:
                    log.exception("could not record that feed %s is broken", feed.url)

    async def poll(self, feed: FeedSettings, now: datetime) -> int:
        """Read one feed now; returns how many new items it added."""
        async with self._database.transaction() as session:
            row = await session.get(FeedRow, feed.url)
            etag, modified = (row.etag, row.last_modified) if row is not None else (None, None)
        try:
            fetched = await self._fetcher.fetch(feed.url, etag, modified)
            # Up to 5 MB of XML or iCalendar: parsed beside the event loop, which goes on answering members.
            items = await asyncio.to_thread(self._read, feed, fetched.body) if fetched.body is not None else None
        except (FeedFetchError, FeedUnreadable) as error:
            await self._broken(feed.url, str(error), now)
            return 0
        async with self._database.transaction() as session:
            row = await session.get(FeedRow, feed.url)
            if row is None:
                row = FeedRow(url=feed.url)
                session.add(row)
            row.polled_at = now
            row.etag, row.last_modified = fetched.etag, fetched.last_modified
            if row.broken_since is not None:
                row.broken_since, row.last_error = None, None
                await self._notify(session, f"feed-recovered:{feed.url}:{now.isoformat()}", "feed-recovered",
                                   now, url=feed.url)
            if items is None:
                return 0
            announce = row.first_read_at is not None
            row.first_read_at = row.first_read_at or now
            return await self._take(session, feed.url, items, announce, now)

    def _read(self, feed: FeedSettings, body: bytes) -> list[FeedItem]:
        tags = tuple(feed.tags)
        if feed.kind == "ical":
            return read_ical(body, feed.url, tags, feed.language, self._settings.schedule.timezone)
        return read_rss(body, feed.url, tags, feed.language)

    async def _take(self, session: AsyncSession, url: str, items: Sequence[FeedItem], announce: bool,
                    now: datetime) -> int:
        """Remember every item; add the ones not seen before (by id, then link, then content)."""
        seen = list(await session.scalars(select(FeedItemRow).where(FeedItemRow.feed_url == url)))
        ids = {row.entry_id for row in seen if row.entry_id}
        links = {row.link for row in seen if row.link}
        hashes = {row.content_hash for row in seen}
        added = 0
        for item in items:
            known = (item.entry_id in ids) or (item.link in links) or (item.content_hash in hashes)
            if known:
                if isinstance(item.draft, EventDraft) and item.content_hash not in hashes:
                    await _update_event(session, item.draft, now)
                    hashes.add(item.content_hash)
                continue
            session.add(FeedItemRow(feed_url=url, entry_id=item.entry_id, link=item.link,
                                    content_hash=item.content_hash, seen_at=now))
            ids.add(item.entry_id or "")
            links.add(item.link or "")
            hashes.add(item.content_hash)
            if isinstance(item.draft, ResourceDraft):
                if announce:
                    await add_resource(session, item.draft, FEEDER, now)
                    added += 1
            elif await session.scalar(select(EventRow.id).where(EventRow.uid == item.draft.uid)) is None:
                # Events are stored even on the first read: they are upcoming, not back catalogue.
                await add_event(session, item.draft, FEEDER, now)
                added += 1
        return added

    async def _broken(self, url: str, error: str, now: datetime) -> None:
        log.warning("feed %s cannot be read: %s", url, error)
        async with self._database.transaction() as session:
            row = await session.get(FeedRow, url)
            if row is None:
                row = FeedRow(url=url)
                session.add(row)
            row.polled_at = now
            row.last_error = error[:500]
            if row.broken_since is None:
                row.broken_since = now
                await self._notify(session, f"feed-broken:{url}:{now.isoformat()}", "feed-broken", now,
                                   url=url, error=error[:200])

    async def _notify(self, session: AsyncSession, key: str, phrase: str, now: datetime, **values: object) -> None:
        for room in self._rooms:
            text = PHRASES.say(phrase, self._language, **values)
            await enqueue(session, f"{key}:{room}"[:255], ChatId(room), Reply(text), now)


def _interval(feed: FeedSettings, row: FeedRow) -> timedelta:
    """The feed's interval; a broken feed waits as long as it has been broken (so the wait doubles),
    up to a day, instead of being fetched again at every interval."""
    regular = timedelta(minutes=feed.poll_minutes)
    if row.broken_since is None or row.polled_at is None:
        return regular
    return max(regular, min(row.polled_at - row.broken_since, MAX_BROKEN_WAIT))


async def _update_event(session: AsyncSession, draft: EventDraft, now: datetime) -> None:
    """A known iCalendar event whose content changed: take the source's new times and place."""
    if not draft.uid:
        return
    row = await session.scalar(select(EventRow).where(EventRow.uid == draft.uid))
    if row is None or row.withdrawn_at is not None:
        return
    row.title, row.starts_at, row.ends_at, row.all_day = draft.title, draft.starts_at, draft.ends_at, draft.all_day
    row.place, row.link, row.recurrence = draft.place, draft.link, draft.recurrence
    row.version += 1
    row.updated_at = now
    await record(session, now, FEEDER, "event.edit", f"event:{row.id}", before=None,
                 after={"title": row.title, "starts_at": row.starts_at.isoformat(), "version": row.version})
