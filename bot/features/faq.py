"""Answering questions from the knowledge base: answer, "did you mean", or an honest "not yet".

Every question is logged pseudonymously; unanswered ones and "none of these" form the moderators'
queue. Ratings (👍/👎) are kept once per person and entry.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from bot.config import KnowledgeSettings
from bot.dialogues import Dialogue
from bot.features.faq_index import FaqIndex
from bot.messages import CHOICES_VALID_FOR, Choice, PersonId, Reply
from bot.metrics import NO_METRICS, Metrics
from bot.privacy import Pseudonyms
from bot.storage.base import Base, UtcDateTime
from bot.storage.database import Database
from bot.storage.group_commit import GroupCommit
from bot.turn import Route, Turn
from knowledge.dictionary import has_words, is_word
from knowledge.entry import Entry
from knowledge.matcher import DEFAULT_THRESHOLDS, Candidate, Match, Thresholds

log = logging.getLogger(__name__)


class QuestionRow(Base):
    """A question as asked, with what Lotse did about it. `asker` is a pseudonym."""

    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asker: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    outcome: Mapped[str] = mapped_column(String(16), index=True)
    """answer, choices, unknown, picked or none (none of the offered choices fitted)."""
    entry_id: Mapped[str | None] = mapped_column(String(80), nullable=True)
    score: Mapped[float] = mapped_column(Float)
    choices: Mapped[list[str]] = mapped_column(JSON)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class PendingChoiceRow(Base):
    """The choices last offered in one conversation, so a reply like "2" can pick one."""

    __tablename__ = "pending_choices"

    conversation: Mapped[str] = mapped_column(String(64), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RatingRow(Base):
    """One person's 👍 (+1) or 👎 (-1) for one entry; a second tap changes it."""

    __tablename__ = "ratings"

    entry_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    rater: Mapped[str] = mapped_column(String(64), primary_key=True)
    vote: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL"))
    rated_at: Mapped[datetime] = mapped_column(UtcDateTime)


@dataclass(frozen=True)
class Unanswered:
    """A logged question that found no answer, and why: `unknown` (nothing matched), `none`
    (none of the offered choices fitted) or `downvote` (the answer was rated 👎)."""

    question_id: int
    text: str
    reason: str


class UnansweredListener(Protocol):
    """Told when a member's question found no answer, so it can act (queue it, offer peers).
    Returned replies are added to Lotse's reply."""

    async def on_unanswered(self, turn: Turn, question: Unanswered) -> Sequence[Reply]: ...


@runtime_checkable
class AnsweredAfterAll(Protocol):
    """An `UnansweredListener` that withdraws what it did when the asker changes their 👎 to 👍:
    the answer helped after all, so the moderators need not see the question."""

    async def on_answered_after_all(self, question_id: int) -> None: ...


class AnswerListener(Protocol):
    """Told when Lotse answers from an entry; returned replies follow the answer (offers beside it)."""

    async def beside_answer(self, turn: Turn, entry: Entry) -> Sequence[Reply]: ...


class Faq:
    """The FAQ feature: free text is a question; `faq:` actions pick a choice or rate an answer."""

    name = "faq"
    """Also the name of its part in a member's `/mydata`."""

    def __init__(
        self,
        database: Database,
        index: FaqIndex,
        pseudonyms: Pseudonyms,
        clock: Callable[[], datetime],
        listeners: Sequence[UnansweredListener] = (),
        beside_answer: Sequence[AnswerListener] = (),
        metrics: Metrics = NO_METRICS,
    ) -> None:
        self._listeners = list(listeners)
        self._beside_answer = list(beside_answer)
        self._metrics = metrics
        self._database = database
        self._questions: GroupCommit[QuestionRow] = GroupCommit(database)
        self.index = index
        self._pseudonyms = pseudonyms
        self._clock = clock
        self._offered: set[str] = set()
        """Conversations with choices on offer, so a new question can withdraw them without a read
        (after a restart, an older offer still ends with `CHOICES_VALID_FOR`)."""

    def routes(self) -> Sequence[Route]:
        return []

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        return await self.ask(turn)

    async def on_text(self, turn: Turn) -> Sequence[Reply] | None:
        picked = await self._pick_by_number(turn)
        if picked is not None:
            return picked
        return await self.ask(turn)

    async def ask(self, turn: Turn) -> Sequence[Reply]:
        started = time.perf_counter()
        match = await self._read(turn)
        if match is None:
            return turn.reply("not-a-question")
        entries = await self.index.entries()
        question_id = await self._log(turn, match)
        if match.outcome != "choices":
            await self._withdraw_offer(turn)
        self._metrics.question_answered(match.outcome, time.perf_counter() - started)
        if match.outcome == "answer" and match.entry_id in entries:
            entry = entries[match.entry_id]
            return [self._answer(turn, entry, question_id), *await self._beside(turn, entry)]
        if match.outcome == "choices":
            await self._offer(turn, question_id)
            return [self._choices(turn, match, question_id, entries)]
        return [*turn.reply("unknown"), *await self._unanswered(turn, Unanswered(question_id, turn.text, "unknown"))]

    async def _read(self, turn: Turn) -> Match | None:
        """The match for a question, or None for text without a single word ("?", "<script>…", an
        escape sequence): nothing to log, nothing for the moderators."""
        match = await self.index.match(turn.text)
        if match.outcome == "unknown" and not await asyncio.to_thread(has_words, turn.text):
            return None
        return match

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]:
        parts = action.split(":")
        if len(parts) == 4 and parts[1] == "p" and parts[2].isdigit() and parts[3].isdigit():
            return await self._pick(turn, int(parts[2]), int(parts[3]))
        if len(parts) == 3 and parts[1] == "n" and parts[2].isdigit():
            return await self._none_fits(turn, int(parts[2]))
        if len(parts) == 4 and parts[1] == "v" and parts[2].isdigit() and parts[3] in ("up", "down"):
            return await self._rate(turn, int(parts[2]), 1 if parts[3] == "up" else -1)
        return turn.reply("choice-expired")

    async def warm_up(self) -> None:
        """Build the lexical index and load the dictionaries now rather than on the first question;
        the semantic index follows in the background."""
        await asyncio.to_thread(is_word, "lotse")
        await self.index.refresh()

    async def entry(self, entry_id: str) -> Entry | None:
        return (await self.index.entries()).get(entry_id)

    async def entries_changed(self) -> None:
        """Make a change stored elsewhere (the web console) part of the answers now."""
        await self.index.refresh(now=True)

    async def match(self, question: str) -> Match:
        """What a member asking `question` would get now, without logging anything (the console's test box)."""
        return await self.index.match(question)

    async def rank(self, question: str, limit: int = 10) -> list[Candidate]:
        """The published entries that fit `question` best, as members' questions are matched."""
        return await self.index.search(question, limit)

    async def ratings(self) -> dict[str, tuple[int, int]]:
        """👍 and 👎 per rated entry id."""
        async with self._database.reading() as session:
            rows = await session.execute(
                select(RatingRow.entry_id, RatingRow.vote, func.count()).group_by(RatingRow.entry_id, RatingRow.vote)
            )
            counts: dict[str, tuple[int, int]] = {}
            for entry_id, vote, count in rows:
                up, down = counts.get(entry_id, (0, 0))
                counts[entry_id] = (up + int(count), down) if vote > 0 else (up, down + int(count))
            return counts

    def _answer(self, turn: Turn, entry: Entry, question_id: int, replaces_prompt: bool = False) -> Reply:
        text = f"**{entry.question}**\n\n{entry.answer}"
        if entry.lang != turn.language:
            text = f"{turn.say('other-language-note')}\n\n{text}"
        feedback = (Choice("👍", f"faq:v:{question_id}:up"), Choice("👎", f"faq:v:{question_id}:down"))
        return Reply(text, feedback=feedback, replaces_prompt=replaces_prompt)

    def _choices(self, turn: Turn, match: Match, question_id: int, entries: dict[str, Entry]) -> Reply:
        choices = [
            Choice(entries[candidate.entry_id].question, f"faq:p:{question_id}:{index}")
            for index, candidate in enumerate(match.choices)
            if candidate.entry_id in entries
        ]
        choices.append(Choice(turn.say("none-of-these"), f"faq:n:{question_id}"))
        return Reply(turn.say("did-you-mean"), choices=tuple(choices))

    async def _pick_by_number(self, turn: Turn) -> Sequence[Reply] | None:
        text = turn.text.strip().rstrip(".)")
        if not text.isdigit() or len(text) > 2:
            return None
        async with self._database.reading() as session:
            pending = await session.get(PendingChoiceRow, self._conversation(turn))
        if pending is None or self._clock() - pending.offered_at > CHOICES_VALID_FOR:
            return turn.reply("no-open-choices")
        question = await self._question(pending.question_id)
        number = int(text)
        if question is None:
            return turn.reply("no-open-choices")
        if number == len(question.choices) + 1:
            return await self._none_fits(turn, question.id)
        if not 1 <= number <= len(question.choices):
            return turn.reply("choice-out-of-range", number=number, count=len(question.choices) + 1)
        return await self._pick(turn, question.id, number - 1)

    async def _pick(self, turn: Turn, question_id: int, index: int) -> Sequence[Reply]:
        entries = await self.index.entries()
        async with self._database.transaction() as session:
            question = await session.get(QuestionRow, question_id)
            if question is None or question.asker != self._asker(turn) or question.outcome != "choices":
                return turn.reply("choice-expired")
            if index >= len(question.choices) or question.choices[index] not in entries:
                return turn.reply("choice-expired")
            question.outcome = "picked"
            question.entry_id = question.choices[index]
            await self._forget_offer(session, turn)
            entry = entries[question.entry_id]
        return [self._answer(turn, entry, question_id, replaces_prompt=True), *await self._beside(turn, entry)]

    async def _none_fits(self, turn: Turn, question_id: int) -> Sequence[Reply]:
        async with self._database.transaction() as session:
            question = await session.get(QuestionRow, question_id)
            if question is None or question.asker != self._asker(turn) or question.outcome != "choices":
                return turn.reply("choice-expired")
            question.outcome = "none"
            await self._forget_offer(session, turn)
        unanswered = Unanswered(question_id, question.text, "none")
        return [Reply(turn.say("noted"), replaces_prompt=True), *await self._unanswered(turn, unanswered)]

    async def _rate(self, turn: Turn, question_id: int, vote: int) -> Sequence[Reply]:
        question = await self._question(question_id)
        if question is None or question.entry_id is None:
            return turn.reply("choice-expired")
        rater = self._asker(turn)
        if question.asker != rater:
            # Only the asker rates: a bystander's 👎 would make them the one told of a later answer.
            return turn.reply("not-for-you")
        async with self._database.transaction() as session:
            rating = await session.get(RatingRow, (question.entry_id, rater))
            changed_mind = rating is not None and rating.vote < 0 < vote and rating.question_id == question_id
            if rating is None:
                session.add(RatingRow(entry_id=question.entry_id, rater=rater, vote=vote,
                                      question_id=question_id, rated_at=self._clock()))
            else:
                rating.vote = vote
                rating.question_id = question_id
                rating.rated_at = self._clock()
        if vote < 0:
            unanswered = Unanswered(question_id, question.text, "downvote")
            return [*turn.reply("thanks-for-feedback"), *await self._unanswered(turn, unanswered)]
        if changed_mind:
            for listener in self._listeners:
                if isinstance(listener, AnsweredAfterAll):
                    await listener.on_answered_after_all(question_id)
        return turn.reply("thanks-for-feedback")

    async def _beside(self, turn: Turn, entry: Entry) -> list[Reply]:
        replies: list[Reply] = []
        for listener in self._beside_answer:
            replies.extend(await listener.beside_answer(turn, entry))
        return replies

    async def _unanswered(self, turn: Turn, question: Unanswered) -> list[Reply]:
        replies: list[Reply] = []
        for listener in self._listeners:
            replies.extend(await listener.on_unanswered(turn, question))
        return replies

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        """The person's questions and ratings, found through their pseudonym."""
        asker = self._pseudonyms.of(person)
        async with self._database.transaction() as session:
            questions = await session.scalars(
                select(QuestionRow).where(QuestionRow.asker == asker).order_by(QuestionRow.id)
            )
            ratings = await session.scalars(select(RatingRow).where(RatingRow.rater == asker))
            return {
                "questions": [
                    {"text": q.text, "asked_at": q.asked_at.isoformat(), "outcome": q.outcome, "entry": q.entry_id}
                    for q in questions
                ],
                "ratings": [{"entry": r.entry_id, "vote": r.vote, "rated_at": r.rated_at.isoformat()}
                            for r in ratings],
            }

    async def forget(self, person: PersonId) -> None:
        """Delete the ratings; cut the questions loose from the person with a random pseudonym."""
        asker = self._pseudonyms.of(person)
        async with self._database.transaction() as session:
            await session.execute(delete(RatingRow).where(RatingRow.rater == asker))
            asked = select(QuestionRow.id).where(QuestionRow.asker == asker)
            await session.execute(delete(PendingChoiceRow).where(PendingChoiceRow.question_id.in_(asked)))
            await session.execute(
                update(QuestionRow).where(QuestionRow.asker == asker).values(asker=f"forgotten-{secrets.token_hex(8)}")
            )

    async def _log(self, turn: Turn, match: Match) -> int:
        row = QuestionRow(
            asker=self._asker(turn),
            text=turn.text,
            language=turn.language,
            outcome=match.outcome,
            entry_id=match.entry_id,
            score=match.score,
            choices=[c.entry_id for c in match.choices] if match.outcome == "choices" else [],
            asked_at=self._clock(),
        )
        return (await self._questions.insert(row)).id

    async def _offer(self, turn: Turn, question_id: int) -> None:
        async with self._database.transaction() as session:
            pending = await session.get(PendingChoiceRow, self._conversation(turn))
            if pending is None:
                session.add(PendingChoiceRow(conversation=self._conversation(turn), question_id=question_id,
                                             offered_at=self._clock()))
            else:
                pending.question_id = question_id
                pending.offered_at = self._clock()
        self._offered.add(self._conversation(turn))

    async def _withdraw_offer(self, turn: Turn) -> None:
        """A new question makes older choices stale: a number picks only from the latest ones."""
        conversation = self._conversation(turn)
        if conversation not in self._offered:
            return
        self._offered.discard(conversation)
        async with self._database.transaction() as session:
            await session.execute(delete(PendingChoiceRow).where(PendingChoiceRow.conversation == conversation))

    async def _forget_offer(self, session: AsyncSession, turn: Turn) -> None:
        pending = await session.get(PendingChoiceRow, self._conversation(turn))
        if pending is not None:
            await session.delete(pending)

    async def _question(self, question_id: int) -> QuestionRow | None:
        async with self._database.transaction() as session:
            return await session.get(QuestionRow, question_id)

    def _asker(self, turn: Turn) -> str:
        return self._pseudonyms.of(turn.message.sender.id)

    def _conversation(self, turn: Turn) -> str:
        return self._pseudonyms.of(turn.message.sender.id, turn.message.chat.id)


def thresholds_from(settings: KnowledgeSettings) -> Thresholds:
    """The calibrated defaults, with whatever the operator configured instead."""
    thresholds = DEFAULT_THRESHOLDS
    if settings.answer_threshold is not None:
        thresholds = replace(thresholds, answer=settings.answer_threshold)
    if settings.suggest_threshold is not None:
        thresholds = replace(thresholds, suggest=settings.suggest_threshold)
    return thresholds
