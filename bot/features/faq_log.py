"""The FAQ's log of questions and ratings as other features may read it.

The FAQ owns the `questions` and `ratings` tables; curation (the queue, `/stats`, `/faq show`) and
matching (peers for an unanswered question) read them only through `QuestionLog`, so the tables
can change without touching them. Methods taking a session run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.features.faq import QuestionRow, RatingRow
from bot.storage.database import Database


@dataclass(frozen=True)
class LoggedQuestion:
    """A question as logged: `asker` is the pseudonym of whoever asked it."""

    id: int
    asker: str
    text: str
    language: str


class QuestionLog:
    """Read-only queries over the FAQ's questions and ratings, for the features that need them."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def question(self, question_id: int) -> LoggedQuestion | None:
        """One logged question, if it is still there."""
        async with self._database.transaction() as session:
            return await self.question_in(session, question_id)

    @staticmethod
    async def question_in(session: AsyncSession, question_id: int) -> LoggedQuestion | None:
        row = await session.get(QuestionRow, question_id)
        return None if row is None else LoggedQuestion(row.id, row.asker, row.text, row.language)

    @staticmethod
    async def texts(session: AsyncSession, question_ids: Collection[int]) -> dict[int, str]:
        """The text of each of the questions still logged, by id, in the order they were asked."""
        if not question_ids:
            return {}
        rows = await session.execute(
            select(QuestionRow.id, QuestionRow.text).where(QuestionRow.id.in_(question_ids)).order_by(QuestionRow.id)
        )
        return {int(question_id): str(text) for question_id, text in rows}

    @staticmethod
    async def outcomes(session: AsyncSession, start: datetime, end: datetime) -> dict[str, int]:
        """How many questions asked after `start` up to `end` had each outcome."""
        rows = await session.execute(
            select(QuestionRow.outcome, func.count(QuestionRow.id))
            .where(QuestionRow.asked_at > start, QuestionRow.asked_at <= end)
            .group_by(QuestionRow.outcome)
        )
        return {str(outcome): int(asked) for outcome, asked in rows}

    @staticmethod
    async def count(session: AsyncSession, start: datetime, end: datetime, outcomes: Sequence[str] = ()) -> int:
        """Questions asked after `start` up to `end`, only those with one of `outcomes` if given."""
        query = select(func.count(QuestionRow.id)).where(QuestionRow.asked_at > start, QuestionRow.asked_at <= end)
        if outcomes:
            query = query.where(QuestionRow.outcome.in_(outcomes))
        return int(await session.scalar(query) or 0)

    @staticmethod
    async def answered_by_language(session: AsyncSession, start: datetime, end: datetime,
                                   outcomes: Sequence[str]) -> tuple[tuple[str, str, int], ...]:
        """(entry id, language asked in, how often) for the questions with one of `outcomes` asked
        after `start` up to `end`, the most frequent first."""
        asked = func.count(QuestionRow.id)
        rows = await session.execute(
            select(QuestionRow.entry_id, QuestionRow.language, asked)
            .where(QuestionRow.entry_id.is_not(None), QuestionRow.outcome.in_(outcomes),
                   QuestionRow.asked_at > start, QuestionRow.asked_at <= end)
            .group_by(QuestionRow.entry_id, QuestionRow.language)
            .order_by(asked.desc(), QuestionRow.entry_id)
        )
        return tuple((str(entry), str(language), int(count)) for entry, language, count in rows)

    @staticmethod
    async def most_downvoted(session: AsyncSession, limit: int) -> tuple[tuple[str, int], ...]:
        """(entry id, 👎 count) for the entries rated down most often."""
        votes = func.count(RatingRow.rater)
        rows = await session.execute(
            select(RatingRow.entry_id, votes).where(RatingRow.vote < 0)
            .group_by(RatingRow.entry_id).order_by(votes.desc(), RatingRow.entry_id).limit(limit)
        )
        return tuple((entry, int(count)) for entry, count in rows)

    async def votes(self, entry_id: str) -> tuple[int, int]:
        """👍 and 👎 for one entry."""
        async with self._database.transaction() as session:
            rows = await session.execute(
                select(RatingRow.vote, func.count()).where(RatingRow.entry_id == entry_id).group_by(RatingRow.vote)
            )
            counts = {int(vote): int(count) for vote, count in rows}
        return counts.get(1, 0), counts.get(-1, 0)
