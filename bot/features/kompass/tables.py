"""The Kompass's tables: providers, offers and their versions, referrals, funding-radar subscriptions.

Person ids are stored in the clear in referrals and subscriptions (Lotse must reach the person);
`/forget` deletes every row that names them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UtcDateTime


class ProviderRow(Base):
    """A provider. `withdrawn_at` hides it and its offers without losing the history."""

    __tablename__ = "kompass_providers"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    website: Mapped[str] = mapped_column(Text)
    contact: Mapped[str] = mapped_column(Text)
    contact_person: Mapped[str] = mapped_column(String(255), index=True)
    area: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    checked: Mapped[date] = mapped_column(Date)
    file_source: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The file text it was last imported from, so an export can give it back byte for byte."""
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    stale_reported_for: Mapped[date | None] = mapped_column(Date, nullable=True)
    """The `checked` date moderators were told is too old; a new check starts the clock again."""


class OfferRow(Base):
    """An offer of a provider; funding calls have deadlines."""

    __tablename__ = "kompass_offers"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    provider_id: Mapped[str] = mapped_column(ForeignKey("kompass_providers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSON)
    audiences: Mapped[list[str]] = mapped_column(JSON)
    area: Mapped[list[str]] = mapped_column(JSON)
    cost: Mapped[str] = mapped_column(String(16))
    languages: Mapped[list[str]] = mapped_column(JSON)
    link: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    licence: Mapped[str] = mapped_column(Text)
    checked: Mapped[date] = mapped_column(Date)
    eligible: Mapped[str] = mapped_column(Text)
    funding_type: Mapped[str] = mapped_column(String(16))
    deadlines: Mapped[list[str]] = mapped_column(JSON)
    """ISO dates."""
    file_source: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    stale_reported_for: Mapped[date | None] = mapped_column(Date, nullable=True)


class ItemVersionRow(Base):
    """One state a provider or offer was in, who put it there and when."""

    __tablename__ = "kompass_versions"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(255))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReferralRow(Base):
    """A member's request passed to a provider, or the ready-to-send message they took instead.

    `state`: prepared (the member got a message to send themselves), sent (waiting for the
    contact), accepted (the contact said yes; both have each other's handle), declined, expired,
    done (the member or the contact said it is settled)."""

    __tablename__ = "kompass_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member: Mapped[str] = mapped_column(String(255), index=True)
    member_name: Mapped[str] = mapped_column(String(255))
    member_language: Mapped[str] = mapped_column(String(8))
    contact: Mapped[str | None] = mapped_column(String(255), nullable=True, index=True)
    contact_language: Mapped[str] = mapped_column(String(8))
    offer_id: Mapped[str] = mapped_column(String(80), index=True)
    provider_id: Mapped[str] = mapped_column(String(80))
    request: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class RadarRow(Base):
    """A member's funding radar: funding calls on these topics, for this kind of organisation and place."""

    __tablename__ = "kompass_radar"

    person_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    topics: Mapped[list[str]] = mapped_column(JSON)
    audience: Mapped[str] = mapped_column(String(32))
    """An organisation type (matching's codes); empty for any."""
    region_keys: Mapped[list[str]] = mapped_column(JSON)
    place: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8))
    subscribed_at: Mapped[datetime] = mapped_column(UtcDateTime)
