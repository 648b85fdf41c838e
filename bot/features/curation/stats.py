"""`/stats` for moderators: how well Lotse answers, and which entries need work. Counts, never names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.features.curation.phrases import PHRASES
from bot.features.curation.queue import Group, Queue
from bot.features.faq_log import QuestionLog
from bot.knowledge_base import KnowledgeBase, StoredEntry
from bot.messages import escape_markdown
from bot.statistics import StatsSource
from bot.storage.database import Database
from knowledge.entry import Language

WEEKS = 4
"""The figures cover the last four weeks."""
TOP = 5
DAYS_PER_MONTH = 30.44

ANSWERED = ("answer", "picked")
OFFERED_CHOICES = ("choices", "picked", "none")


@dataclass(frozen=True)
class Figures:
    """The numbers behind `/stats`, computed once and then put into words."""

    per_week: tuple[int, ...]
    """Questions in each of the last weeks, the most recent first."""
    answered_share: float
    choices_share: float
    top_unanswered: tuple[Group, ...]
    most_downvoted: tuple[tuple[str, int], ...]
    not_reviewed: tuple[str, ...]
    missing_translations: tuple[tuple[str, str, int], ...]
    """(entry id, language asked in, how often)."""


@dataclass(frozen=True)
class Week:
    """One week's questions by outcome (`answer`, `picked`, `choices`, `none`, `unknown`)."""

    start: datetime
    outcomes: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    @property
    def answered(self) -> int:
        return sum(self.outcomes.get(outcome, 0) for outcome in ANSWERED)


class CurationStats:
    """Computes the curation figures and shows them with the other features' sections after them."""

    def __init__(self, database: Database, knowledge_base: KnowledgeBase, queue: Queue, questions: QuestionLog,
                 review_after_months: int, sources: Sequence[StatsSource] = ()) -> None:
        self._database = database
        self._knowledge_base = knowledge_base
        self._queue = queue
        self._review_after = timedelta(days=review_after_months * DAYS_PER_MONTH)
        self._review_after_months = review_after_months
        self._sources = list(sources)
        self._questions = questions

    async def figures(self, now: datetime) -> Figures:
        since = now - timedelta(weeks=WEEKS)
        async with self._database.transaction() as session:
            per_week = tuple([
                await self._questions.count(session, now - timedelta(weeks=week + 1), now - timedelta(weeks=week))
                for week in range(WEEKS)
            ])
            total = sum(per_week)
            answered = await self._questions.count(session, since, now, ANSWERED)
            offered = await self._questions.count(session, since, now, OFFERED_CHOICES)
            top = tuple(await self._queue.top_open(session, TOP))
            downvoted = await self._questions.most_downvoted(session, TOP)
            by_language = await self._questions.answered_by_language(session, since, now, ANSWERED)
        stored_entries = await self._knowledge_base.all_stored()
        not_reviewed = tuple(
            stored.entry.id for stored in stored_entries if not stored.deleted and self.review_due(stored, now)
        )
        language_of = {stored.entry.id: stored.entry.lang for stored in stored_entries}
        missing = tuple((entry, language, count) for entry, language, count in by_language
                        if entry in language_of and language != language_of[entry])
        return Figures(per_week, answered / total if total else 0.0, offered / total if total else 0.0, top,
                       downvoted, not_reviewed, missing)

    def review_due(self, stored: StoredEntry, now: datetime) -> bool:
        """Not looked at for `review_after_months`, or its `review_by` date came without a review since."""
        if now - stored.reviewed_at > self._review_after:
            return True
        review_by = stored.entry.review_by
        return review_by is not None and review_by <= now.date() and stored.reviewed_at.date() < review_by

    async def weeks(self, now: datetime, count: int = 12) -> list[Week]:
        """Questions per week by outcome, the oldest week first, the last one ending now."""
        weeks = []
        async with self._database.reading() as session:
            for back in range(count - 1, -1, -1):
                start, end = now - timedelta(weeks=back + 1), now - timedelta(weeks=back)
                weeks.append(Week(start, await self._questions.outcomes(session, start, end)))
        return weeks

    async def report(self, language: Language, now: datetime) -> str:
        """The whole `/stats` text: curation's figures, then each other feature's section."""
        sections = [self.render(await self.figures(now), language)]
        for source in self._sources:
            section = await source.stats_section(language, now)
            if section.strip():
                sections.append(section)
        return "\n\n".join(sections)

    def render(self, figures: Figures, language: Language) -> str:
        def say(key: str, **values: object) -> str:
            return PHRASES.say(key, language, **values)

        none = say("stats-none")
        weeks = ", ".join(str(count) for count in figures.per_week)
        top = "\n".join(f"- #{g.id} ({g.count}×) {escape_markdown(g.sample)}" for g in figures.top_unanswered) or none
        downvoted = "\n".join(f"- `{entry}`: {count}× 👎" for entry, count in figures.most_downvoted) or none
        stale = ", ".join(f"`{entry}`" for entry in figures.not_reviewed) or none
        missing = "\n".join(
            say("stats-missing-line", id=entry, asked_in=asked, count=count)
            for entry, asked, count in figures.missing_translations
        ) or none
        return say(
            "stats", weeks=weeks, answered=_percent(figures.answered_share), choices=_percent(figures.choices_share),
            top=top, downvoted=downvoted, months=self._review_after_months, stale=stale, missing=missing,
        )


def _percent(share: float) -> str:
    return f"{round(share * 100)} %"
