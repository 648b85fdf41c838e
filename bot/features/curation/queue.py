"""The unanswered queue: questions Lotse could not answer, grouped when they mean the same.

Whether two questions are the same is the FAQ index's judgement (`FaqIndex.same_question`): the
same stemmed content words in any order, so "Fördergeld für Lastenräder beantragen" and "Wie
beantrage ich Fördergeld für ein Lastenrad?" share a group, or vectors close enough in meaning.
When a group is answered, every asker hears back once through the outbox; their contact details
are kept only until then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit import record
from bot.features.curation.phrases import PHRASES
from bot.features.curation.tables import AskerContactRow, QueuedQuestionRow, QueueGroupRow
from bot.features.faq_index import FaqIndex
from bot.features.faq_log import QuestionLog
from bot.messages import ChatId, PersonId, Reply, escape_markdown
from bot.outbox import enqueue
from bot.storage.database import Database
from knowledge.entry import Entry, Language, Status, as_language
from knowledge.likeness import QuestionKeys


class GroupStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    DISMISSED = "dismissed"


@dataclass(frozen=True)
class Group:
    """An open or closed group as moderators see it: how often it was asked, and its questions."""

    id: int
    sample: str
    count: int
    status: GroupStatus
    entry_id: str | None
    questions: tuple[str, ...] = ()


class Queue:
    """Keeps the groups of unanswered questions and closes them: answered, linked or dismissed."""

    name = "curation"
    """The name of its part in a member's `/mydata`."""

    def __init__(self, database: Database, clock: Callable[[], datetime], index: FaqIndex,
                 questions: QuestionLog) -> None:
        self._database = database
        self._clock = clock
        self._index = index
        self._keys = QuestionKeys()
        self._questions = questions

    def key(self, text: str, language: Language) -> str:
        """The text reduced to what identifies the question: sorted stems of its content words."""
        return self._keys.key(text, language)

    async def add(self, question_id: int, person: PersonId, chat: ChatId, language: Language, reason: str) -> None:
        """Queue a logged question and remember where to tell the asker; a question is queued once."""
        now = self._clock()
        async with self._database.transaction() as session:
            question = await self._questions.question_in(session, question_id)
            if question is None or await session.get(QueuedQuestionRow, question_id) is not None:
                return
            group = await self._group_for(session, question.text, language)
            session.add(QueuedQuestionRow(question_id=question_id, group_id=group.id, reason=reason, queued_at=now))
            await session.flush()
            session.add(AskerContactRow(question_id=question_id, person_id=person, chat_id=chat, language=language))

    async def withdraw(self, question_id: int) -> None:
        """Take a question queued for its 👎 out again; a group left without questions goes with it."""
        async with self._database.transaction() as session:
            queued = await session.get(QueuedQuestionRow, question_id)
            if queued is None or queued.reason != "downvote":
                return
            group_id = queued.group_id
            await session.execute(delete(AskerContactRow).where(AskerContactRow.question_id == question_id))
            await session.delete(queued)
            await session.flush()
            left = await session.scalar(
                select(func.count()).select_from(QueuedQuestionRow).where(QueuedQuestionRow.group_id == group_id))
            group = await session.get(QueueGroupRow, group_id)
            if not left and group is not None and group.status == GroupStatus.OPEN.value:
                await session.delete(group)

    async def open_groups(self, limit: int = 20) -> list[Group]:
        """Open groups, the most asked first."""
        async with self._database.transaction() as session:
            return await self.top_open(session, limit)

    async def top_open(self, session: AsyncSession, limit: int) -> list[Group]:
        count = func.count(QueuedQuestionRow.question_id)
        rows = await session.execute(
            select(QueueGroupRow, count)
            .join(QueuedQuestionRow, QueuedQuestionRow.group_id == QueueGroupRow.id)
            .where(QueueGroupRow.status == GroupStatus.OPEN.value)
            .group_by(QueueGroupRow.id)
            .order_by(count.desc(), QueueGroupRow.id)
            .limit(limit)
        )
        return [_group(row, int(asked)) for row, asked in rows]

    async def group(self, group_id: int) -> Group | None:
        """One group with the text of each of its questions."""
        async with self._database.transaction() as session:
            row = await session.get(QueueGroupRow, group_id)
            if row is None:
                return None
            asked = await session.scalars(
                select(QueuedQuestionRow.question_id).where(QueuedQuestionRow.group_id == group_id)
            )
            texts = list((await self._questions.texts(session, list(asked))).values())
            return _group(row, len(texts), tuple(texts))

    async def answer(self, session: AsyncSession, group_id: int, entry: Entry, by: str, action: str) -> bool:
        """Close an open group as answered by `entry`; its askers hear back once the entry is published."""
        row = await session.get(QueueGroupRow, group_id)
        if row is None or row.status != GroupStatus.OPEN.value:
            return False
        now = self._clock()
        row.status = GroupStatus.ANSWERED.value
        row.entry_id = entry.id
        row.closed_at = now
        await record(session, now, by, action, f"queue:{group_id}", before={"status": "open"},
                     after={"status": "answered", "entry": entry.id})
        await session.flush()
        if entry.status is Status.PUBLISHED:
            await self.tell_askers(session, entry)
        return True

    async def dismiss(self, group_id: int, reason: str, by: str) -> bool:
        """Close an open group without an answer; the askers' contact details are no longer needed."""
        async with self._database.transaction() as session:
            row = await session.get(QueueGroupRow, group_id)
            if row is None or row.status != GroupStatus.OPEN.value:
                return False
            now = self._clock()
            row.status = GroupStatus.DISMISSED.value
            row.reason = reason
            row.closed_at = now
            await session.execute(delete(AskerContactRow).where(AskerContactRow.question_id.in_(
                select(QueuedQuestionRow.question_id).where(QueuedQuestionRow.group_id == group_id))))
            await record(session, now, by, "queue.dismiss", f"queue:{group_id}", before={"status": "open"},
                         after={"status": "dismissed", "reason": reason})
            return True

    async def tell_askers(self, session: AsyncSession, entry: Entry) -> int:
        """Queue the answer for everyone waiting on a group `entry` answered, in their chat and language.

        The outbox key per question makes this safe to call again (after a restart, a re-publish);
        the contact is deleted in the same transaction, so nobody is told twice.
        """
        waiting = list(await session.scalars(
            select(AskerContactRow)
            .join(QueuedQuestionRow, QueuedQuestionRow.question_id == AskerContactRow.question_id)
            .join(QueueGroupRow, QueueGroupRow.id == QueuedQuestionRow.group_id)
            .where(QueueGroupRow.entry_id == entry.id, QueueGroupRow.status == GroupStatus.ANSWERED.value)
        ))
        contacts = await self._with_questions(session, waiting)
        now = self._clock()
        for contact, asked in contacts:
            language: Language = as_language(contact.language)
            text = PHRASES.say("asker-answered", language, asked=escape_markdown(asked), question=entry.question,
                               answer=entry.answer)
            await enqueue(session, f"curation:answered:{contact.question_id}", ChatId(contact.chat_id), Reply(text),
                          now)
            await session.delete(contact)
        return len(contacts)

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        """Which of the person's questions still wait for an answer, and where they will hear of it."""
        async with self._database.transaction() as session:
            waiting = await session.scalars(
                select(AskerContactRow).where(AskerContactRow.person_id == person).order_by(AskerContactRow.question_id)
            )
            rows = await self._with_questions(session, list(waiting))
            return {"waiting_for_answers": [{"question": text, "chat": contact.chat_id} for contact, text in rows]}

    async def forget(self, person: PersonId) -> None:
        """Forget where to reach the person; their questions stay in the queue, pseudonymous."""
        async with self._database.transaction() as session:
            await session.execute(delete(AskerContactRow).where(AskerContactRow.person_id == person))

    async def _group_for(self, session: AsyncSession, text: str, language: Language) -> QueueGroupRow:
        key = self.key(text, language)
        open_groups = {
            row.id: row for row in await session.scalars(
                select(QueueGroupRow).where(QueueGroupRow.status == GroupStatus.OPEN.value)
            )
        }
        if key:
            rows = list(open_groups.values())
            others = [(row.sample, row.key) for row in rows]
            position = await self._index.same_question(text, key, others)
            if position is not None:
                return rows[position]
        elif text.strip():
            same = [row for row in open_groups.values() if row.sample.casefold() == text.strip().casefold()]
            if same:
                return same[0]
        group = QueueGroupRow(sample=text.strip(), key=key, language=language, status=GroupStatus.OPEN.value,
                              created_at=self._clock())
        session.add(group)
        await session.flush()
        return group

    async def _with_questions(self, session: AsyncSession,
                              contacts: Sequence[AskerContactRow]) -> list[tuple[AskerContactRow, str]]:
        """Each contact with the text of its question; a contact whose question is gone is left out."""
        texts = await self._questions.texts(session, [contact.question_id for contact in contacts])
        return [(contact, texts[contact.question_id]) for contact in contacts if contact.question_id in texts]


def _group(row: QueueGroupRow, count: int, questions: Sequence[str] = ()) -> Group:
    return Group(row.id, row.sample, count, GroupStatus(row.status), row.entry_id, tuple(questions))
