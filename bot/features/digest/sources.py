"""Reading feed documents: RSS/Atom entries (feedparser) and iCalendar events (icalendar). Pure.

Each item carries the three keys feeds are deduplicated by: the source's id, the link, and a hash
of the content that does not depend on either, so rewritten ids or links are still recognised.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
from icalendar import Calendar

from bot.features.digest.events import EventDraft
from bot.features.digest.resources import ResourceDraft
from knowledge.entry import as_language


class FeedUnreadable(Exception):
    """The document is not a feed of the expected kind; the message says why, briefly."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, with its dedupe keys and what it becomes."""

    entry_id: str | None
    link: str | None
    content_hash: str
    draft: ResourceDraft | EventDraft


def read_rss(body: bytes, url: str, tags: tuple[str, ...], language: str) -> list[FeedItem]:
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise FeedUnreadable(f"not RSS or Atom: {type(parsed.get('bozo_exception')).__name__}")
    items = []
    for entry in parsed.entries:
        title = _text(entry.get("title"))
        link = _text(entry.get("link")) or None
        summary = _text(entry.get("summary"))
        if not title or link is None:
            continue
        draft = ResourceDraft(title=title, link=link, summary=_strip_html(summary), tags=tags,
                              language=as_language(language), source=url)
        items.append(FeedItem(_text(entry.get("id")) or None, link, content_hash(title, summary), draft))
    return items


def read_ical(body: bytes, url: str, tags: tuple[str, ...], language: str, zone: str) -> list[FeedItem]:
    try:
        calendar = Calendar.from_ical(body)
    except ValueError as error:
        raise FeedUnreadable(f"not iCalendar: {str(error)[:80]}") from None
    items = []
    for component in calendar.walk("VEVENT"):
        if component.get("recurrence-id") is not None or component.get("dtstart") is None:
            continue
        title = _text(component.get("summary"))
        start, all_day = _moment(component.decoded("dtstart"), zone)
        end = _end(component, start, all_day, zone)
        rule = component.get("rrule")
        link = _text(component.get("url")) or None
        categories = _categories(component.get("categories"))
        draft = EventDraft(
            title=title or "?", starts_at=start, ends_at=end, all_day=all_day, timezone=_zone_of(component, zone),
            place=_text(component.get("location")), link=link or "",
            organiser=_text(component.get("organizer")).removeprefix("mailto:").removeprefix("MAILTO:"),
            tags=tuple(dict.fromkeys((*tags, *categories))), language=as_language(language),
            recurrence=rule.to_ical().decode() if rule is not None else None, source=url,
            uid=_text(component.get("uid")),
        )
        uid = draft.uid or None
        items.append(FeedItem(uid, link, content_hash(title, start.isoformat(), draft.place), draft))
    return items


def content_hash(*parts: str) -> str:
    normal = "\x1f".join(" ".join(part.split()).lower() for part in parts)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def _moment(value: Any, zone: str) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        local = value if value.tzinfo is not None else value.replace(tzinfo=ZoneInfo(zone))
        return local.astimezone(UTC), False
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time(), tzinfo=ZoneInfo(zone)).astimezone(UTC), True
    raise FeedUnreadable("an event has no usable DTSTART")


def _end(component: Any, start: datetime, all_day: bool, zone: str) -> datetime | None:
    if component.get("dtend") is not None:
        return _moment(component.decoded("dtend"), zone)[0]
    if component.get("duration") is not None:
        duration = component.decoded("duration")
        return start + duration if isinstance(duration, timedelta) else None
    return start + timedelta(days=1) if all_day else None


def _zone_of(component: Any, default: str) -> str:
    start = component.decoded("dtstart")
    zone = getattr(start, "tzinfo", None)
    key = getattr(zone, "key", None) or getattr(zone, "zone", None)
    return str(key) if key else default


def _categories(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    groups = value if isinstance(value, list) else [value]
    found = []
    for group in groups:
        for category in getattr(group, "cats", [group]):
            found.append("-".join(str(category).strip().lower().split()))
    return tuple(tag for tag in found if tag)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _strip_html(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())
