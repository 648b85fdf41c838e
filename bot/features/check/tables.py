"""The check's tables: one check per organisation, its pilots, its measures, and who changed what."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UtcDateTime


class CheckRow(Base):
    __tablename__ = "checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    """The invitation code other pilots of the organisation join with."""
    org_type: Mapped[str] = mapped_column(String(16), default="")
    region: Mapped[str] = mapped_column(String(80), default="")
    systems: Mapped[list[str]] = mapped_column(JSON, default=list)
    catalogue_version: Mapped[str] = mapped_column(String(16))
    """The catalogue the answers belong to, kept when a newer one is imported."""
    round: Mapped[int] = mapped_column(Integer, default=1)
    step: Mapped[str] = mapped_column(String(32), default="org")
    """How far the current round got, for where people drop off."""
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    previous: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    """The answers of the last finished round: the starting point of a review, and its diff."""
    requirements: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    manual_order: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    review_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class CheckPilotRow(Base):
    __tablename__ = "check_pilots"

    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), primary_key=True)
    person: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    language: Mapped[str] = mapped_column(String(2))
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CheckMeasureRow(Base):
    __tablename__ = "check_measures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    catalogue_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    dimension: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(Text)
    effort: Mapped[int] = mapped_column(Integer)
    benefit: Mapped[int] = mapped_column(Integer)
    fit: Mapped[int] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    review_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    added_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """The pseudonym of the pilot who added it; cleared by their `/forget`."""


class CheckChangeRow(Base):
    __tablename__ = "check_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("checks.id", ondelete="CASCADE"), index=True)
    by: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    """The pseudonym of the pilot who made the change; cleared by their `/forget`, the change stays."""
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    what: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")
