"""The digest feature's tables: resources, events, feeds and what was read from them,
subscriptions, and the digests composed so far (one per audience and period)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UtcDateTime


class ResourceRow(Base):
    """A guide, report or good-practice example. `withdrawn_at` hides it without losing history."""

    __tablename__ = "digest_resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(Text)
    """`chat` for what moderators added, else the feed's URL."""
    added_by: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class EventRow(Base):
    """A round table, conference or training. Times are UTC; `timezone` says how to show and
    repeat them, so a weekly 18:00 Berlin event stays at 18:00 across the change of summer time."""

    __tablename__ = "digest_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    timezone: Mapped[str] = mapped_column(String(64))
    all_day: Mapped[bool] = mapped_column(Boolean)
    place: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(Text)
    organiser: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8))
    recurrence: Mapped[str | None] = mapped_column(Text, nullable=True)
    """An iCalendar RRULE value such as `FREQ=WEEKLY;COUNT=4`, as the source gave it."""
    source: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(255))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class FeedRow(Base):
    """What Lotse knows about one configured feed: validators for conditional GET and its health."""

    __tablename__ = "digest_feeds"

    url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text, nullable=True)
    last_modified: Mapped[str | None] = mapped_column(Text, nullable=True)
    first_read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    polled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    broken_since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class FeedItemRow(Base):
    """One entry read from a feed, remembered by id, link and content hash so that a feed which
    rewrites its ids or links does not make old entries look new."""

    __tablename__ = "digest_feed_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    feed_url: Mapped[str] = mapped_column(String(1000), index=True)
    entry_id: Mapped[str | None] = mapped_column(Text, nullable=True)
    link: Mapped[str | None] = mapped_column(Text, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SubscriptionRow(Base):
    """A member's wish for a personal digest: how often, on which tags, in which language."""

    __tablename__ = "digest_subscriptions"

    person_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(16))
    """`weekly`, `monthly` or `off` (reminders only)."""
    tags: Mapped[list[str]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8))
    reminders: Mapped[bool] = mapped_column(Boolean)
    subscribed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DigestRow(Base):
    """A digest composed for one audience (`room:CHAT` or `member:PERSON`) and period
    (`2026-W48`, `2026-11`). The primary key is what makes a second digest impossible."""

    __tablename__ = "digests"

    audience: Mapped[str] = mapped_column(String(300), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    composed_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    covered_until: Mapped[datetime] = mapped_column(UtcDateTime)
    """New items up to this moment are in this digest; the next one starts here."""
    sent: Mapped[bool] = mapped_column(Boolean)
    """False for an empty digest that was recorded but not sent."""


class DigestItemRow(Base):
    """Which resource or event went to which room, so a withdrawal can be corrected there."""

    __tablename__ = "digest_items"

    audience: Mapped[str] = mapped_column(String(300), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)

    __table_args__ = (Index("ix_digest_items_kind_item_id", "kind", "item_id"),)
