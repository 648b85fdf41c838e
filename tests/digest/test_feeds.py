"""Feeds: a quiet first read, dedupe by id, link and content, conditional GET, broken feeds reported once."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.composition import Lotse, assemble
from bot.config import FeedSettings
from bot.features.digest.feeds import FeedPoller, Fetched, HttpFetcher
from bot.outbox import OutboxWorker
from tests.digest.conftest import MODERATOR_ROOM, settings_for
from tests.support.core import FakeClock
from tests.support.feeds import FeedServer, rss
from tests.support.recording import RecordingPlatform

OLD = ("id-1", "Alter Bericht", "https://example.org/alt")
NEW = ("id-2", "Neuer Leitfaden", "https://example.org/neu")

ICAL = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Test//DE
BEGIN:VEVENT
UID:stammtisch@example.org
DTSTAMP:20261101T000000Z
SUMMARY:Digital-Stammtisch
DTSTART;TZID=Europe/Berlin:20261126T180000
DTEND;TZID=Europe/Berlin:20261126T200000
RRULE:FREQ=WEEKLY;COUNT=3
LOCATION:Rathaus
END:VEVENT
BEGIN:VEVENT
UID:fachtag@example.org
DTSTAMP:20261101T000000Z
SUMMARY:Fachtag Open Data
DTSTART;VALUE=DATE:20261203
DTEND;VALUE=DATE:20261204
CATEGORIES:Open Data
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
async def feed_lotse(database_url: str, clock: FakeClock, feed_server: FeedServer) -> AsyncIterator[Lotse]:
    settings = settings_for(database_url, feeds=[{"url": feed_server.url, "tags": ["berichte"]}])
    lotse = await assemble(settings, clock=clock)  # type: ignore[arg-type]
    yield lotse
    await lotse.close()


def feed(server: FeedServer, kind: str = "rss") -> FeedSettings:
    return FeedSettings(url=server.url, kind=kind, tags=["berichte"])  # type: ignore[arg-type]


async def titles(lotse: Lotse) -> list[str]:
    return sorted(r.title for r in await lotse.digest.resources.latest(limit=100))


async def test_a_new_source_is_read_once_without_announcing_its_back_catalogue(
        feed_lotse: Lotse, feed_server: FeedServer, clock: FakeClock) -> None:
    feed_server.body = rss(OLD)
    assert await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now) == 0
    feed_server.body, feed_server.etag = rss(OLD, NEW), '"v2"'
    assert await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now) == 1
    assert await titles(feed_lotse) == ["Neuer Leitfaden"]
    assert (await feed_lotse.digest.resources.latest())[0].tags == ("berichte",)


async def test_a_feed_that_rewrites_its_ids_or_links_does_not_flood_anyone(
        feed_lotse: Lotse, feed_server: FeedServer, clock: FakeClock) -> None:
    feed_server.body = rss(OLD, NEW)
    await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now)
    feed_server.body, feed_server.etag = rss(("new-id-1", *OLD[1:]), ("new-id-2", NEW[1], "https://x.org/2")), '"v2"'
    assert await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now) == 0


async def test_the_feed_is_asked_conditionally_and_a_304_changes_nothing(
        feed_lotse: Lotse, feed_server: FeedServer, clock: FakeClock) -> None:
    feed_server.body = rss(OLD)
    await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now)
    assert await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now) == 0
    assert feed_server.requests[0] == {}
    assert feed_server.requests[1]["If-None-Match"] == '"v1"'
    assert "If-Modified-Since" in feed_server.requests[1]


async def test_feeds_are_polled_only_when_their_interval_has_passed(
        feed_lotse: Lotse, feed_server: FeedServer, clock: FakeClock) -> None:
    feed_server.body = rss(OLD)
    await feed_lotse.digest.feeds.run_due(clock.now)
    clock.advance(minutes=30)
    await feed_lotse.digest.feeds.run_due(clock.now)
    clock.advance(minutes=31)
    await feed_lotse.digest.feeds.run_due(clock.now)
    assert len(feed_server.requests) == 2


async def test_a_broken_feed_is_reported_to_moderators_once_and_again_when_it_works(
        feed_lotse: Lotse, feed_server: FeedServer, clock: FakeClock) -> None:
    feed_server.status = 500
    for _ in range(3):
        await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now)
        clock.advance(hours=1)
    feed_server.body = b"<html>this is not a feed"
    feed_server.status = 200
    await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now)
    clock.advance(hours=1)
    feed_server.body = rss(OLD)
    await feed_lotse.digest.feeds.poll(feed(feed_server), clock.now)
    platform = RecordingPlatform()
    await OutboxWorker(feed_lotse.outbox, {"console": platform}).deliver_due()
    texts = [reply.text for to, reply in platform.sent if to == MODERATOR_ROOM]
    assert len(texts) == 2
    assert "kann nicht gelesen werden (HTTP 500)" in texts[0]
    assert "funktioniert wieder" in texts[1]


async def test_an_ical_feed_brings_recurring_and_all_day_events(
        feed_lotse: Lotse, feed_server: FeedServer, clock: FakeClock) -> None:
    feed_server.body, feed_server.content_type = ICAL, "text/calendar"
    assert await feed_lotse.digest.feeds.poll(feed(feed_server, "ical"), clock.now) == 2
    start = datetime(2026, 11, 23, tzinfo=UTC)
    found = await feed_lotse.digest.events.upcoming(start, start + timedelta(weeks=4))
    assert [(o.event.title, o.starts_at.isoformat()) for o in found] == [
        ("Digital-Stammtisch", "2026-11-26T17:00:00+00:00"),
        ("Fachtag Open Data", "2026-12-02T23:00:00+00:00"),
        ("Digital-Stammtisch", "2026-12-03T17:00:00+00:00"),
        ("Digital-Stammtisch", "2026-12-10T17:00:00+00:00"),
    ]
    fachtag = next(o.event for o in found if o.event.title == "Fachtag Open Data")
    assert fachtag.all_day and fachtag.tags == ("berichte", "open-data")
    assert await feed_lotse.digest.feeds.poll(feed(feed_server, "ical"), clock.now) == 0


class FailingFor:
    """Fetches like the real fetcher, except that one feed's reading breaks in an unexpected way."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.asked = 0
        self._http = HttpFetcher()

    async def fetch(self, url: str, etag: str | None, last_modified: str | None) -> Fetched:
        if url == self.url:
            self.asked += 1
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
        return await self._http.fetch(url, etag, last_modified)


async def test_a_feed_failing_unexpectedly_stops_no_other_feed_and_is_asked_again_ever_later(
        database_url: str, feed_server: FeedServer, clock: FakeClock) -> None:
    broken = "http://127.0.0.1:9/broken.xml"
    settings = settings_for(database_url, feeds=[{"url": broken, "poll_minutes": 60},
                                                 {"url": feed_server.url, "tags": ["berichte"]}])
    fetcher = FailingFor(broken)
    lotse = await assemble(settings, clock=clock)  # type: ignore[arg-type]
    try:
        poller = FeedPoller(lotse.database, settings.digest, [MODERATOR_ROOM], "de", fetcher)  # type: ignore[attr-defined]
        feed_server.body = rss(OLD)
        await poller.run_due(clock.now)
        feed_server.body, feed_server.etag = rss(OLD, NEW), '"v2"'
        clock.advance(minutes=61)
        await poller.run_due(clock.now)
        assert await titles(lotse) == ["Neuer Leitfaden"], "the feed after the broken one is read"
        for _ in range(10):
            clock.advance(seconds=30)
            await poller.run_due(clock.now)
        assert fetcher.asked == 2, "not fetched again at every tick"
        clock.advance(minutes=125)
        await poller.run_due(clock.now)
        assert fetcher.asked == 3
        clock.advance(minutes=125)
        await poller.run_due(clock.now)
        assert fetcher.asked == 3, "the wait doubles while the feed stays broken"
        worker = OutboxWorker(lotse.outbox, {"console": (room := RecordingPlatform())})
        await worker.deliver_due()
        assert ["broken.xml" in reply.text for _, reply in room.sent] == [True], "reported once"
    finally:
        await lotse.close()
