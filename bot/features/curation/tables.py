"""Curation's tables: the queue of unanswered questions, grouped, and how to reach their askers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base, UtcDateTime


class QueueGroupRow(Base):
    """Near-duplicate unanswered questions, answered, linked or dismissed together.

    `key` is the normalised text new questions are compared with; `noticed_at` is set once the
    moderators' room was told about the group, so a notice never repeats.
    """

    __tablename__ = "curation_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sample: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), index=True)
    """open, answered or dismissed."""
    entry_id: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    noticed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class QueuedQuestionRow(Base):
    """One logged question (pseudonymous, see `QuestionRow`) in a group; a question is queued once."""

    __tablename__ = "curation_questions"

    question_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    """The `QuestionRow` id; no foreign key, so the FAQ's log stays the FAQ's to change."""
    group_id: Mapped[int] = mapped_column(ForeignKey("curation_groups.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AskerContactRow(Base):
    """Personal data, kept only until the asker heard back: who asked and in which chat.

    Deleted when the answer is queued in the outbox, when the group is dismissed, or on `/forget`.
    """

    __tablename__ = "curation_contacts"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("curation_questions.question_id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(String(255), index=True)
    chat_id: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(8))
