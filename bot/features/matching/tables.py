"""The matching feature's tables: profiles, consents, introductions and rounds.

Person ids are stored in the clear here (unlike the question log) because an introduction
must reach the person; `/forget` deletes every row that names them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UtcDateTime


class ProfileRow(Base):
    """What a member told `/profile`. `opted_in` is the current consent; its history is in consents."""

    __tablename__ = "matching_profiles"

    person_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(255))
    org_type: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(80))
    challenges: Mapped[list[str]] = mapped_column(JSON)
    offers: Mapped[list[str]] = mapped_column(JSON)
    unmapped: Mapped[list[str]] = mapped_column(JSON)
    """Free text of challenges or offers that matched nothing on the list, kept for the member to see."""
    languages: Mapped[str] = mapped_column(String(8))
    """de, en or both: the languages the member can talk to peers in."""
    language: Mapped[str] = mapped_column(String(8))
    """The language Lotse writes to the member in when it writes on its own."""
    opted_in: Mapped[bool] = mapped_column(Boolean)
    paused_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    active_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsentRow(Base):
    """One yes or no to matching, with its time: the record of consent the law asks for."""

    __tablename__ = "matching_consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(String(255), index=True)
    given: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class IntroductionRow(Base):
    """A proposed introduction of two members and where its double opt-in stands.

    `state`: pending (waiting for answers), introduced (both said yes), declined (someone said
    no), expired (not both answered in time). `closed_at` is when the neutral "not this time"
    went to whoever had said yes; a no is never reported as such.
    """

    __tablename__ = "matching_introductions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(128), unique=True)
    origin: Mapped[str] = mapped_column(String(16))
    """match (asked with /match), round (a scheduled round) or question (an unanswered question)."""
    round_key: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    person_a: Mapped[str] = mapped_column(String(255), index=True)
    person_b: Mapped[str] = mapped_column(String(255), index=True)
    name_a: Mapped[str] = mapped_column(String(255))
    name_b: Mapped[str] = mapped_column(String(255))
    language_a: Mapped[str] = mapped_column(String(8))
    language_b: Mapped[str] = mapped_column(String(8))
    challenges: Mapped[list[str]] = mapped_column(JSON)
    answer_a: Mapped[str | None] = mapped_column(String(8), nullable=True)
    answer_b: Mapped[str | None] = mapped_column(String(8), nullable=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    follow_up_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    follow_up_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    met_a: Mapped[str | None] = mapped_column(String(8), nullable=True)
    met_b: Mapped[str | None] = mapped_column(String(8), nullable=True)


class RoundRow(Base):
    """A computed match round. Its key (the round's local date) is unique, so a round happens once."""

    __tablename__ = "matching_rounds"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    members: Mapped[int] = mapped_column(Integer)
    pairs: Mapped[int] = mapped_column(Integer)
    unmatched: Mapped[int] = mapped_column(Integer)
