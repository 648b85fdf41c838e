"""What curation tells moderators on its own: new unanswered groups, and entries due for review.

Both are scheduler jobs; what they send goes through the outbox with keys that make a second run
(after a crash, on another instance) send nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select

from bot.features.curation.phrases import PHRASES
from bot.features.curation.queue import GroupStatus
from bot.features.curation.tables import QueuedQuestionRow, QueueGroupRow
from bot.knowledge_base import KnowledgeBase
from bot.messages import ChatId, PersonId, Reply, escape_markdown
from bot.outbox import enqueue
from bot.roles import Roles
from bot.storage.database import Database
from knowledge.entry import Language

NOTICE_LINES = 10
"""A notice names at most this many groups and counts the rest."""


class ModeratorNotice:
    """Tells the moderators' rooms about new unanswered groups, at most once per interval, one message each."""

    name = "curation-notice"

    def __init__(self, database: Database, rooms: Sequence[str], interval: timedelta, language: Language) -> None:
        self._database = database
        self._rooms = [ChatId(room) for room in rooms]
        self._interval = interval
        self._language = language

    async def run_due(self, now: datetime) -> None:
        if not self._rooms:
            return
        async with self._database.transaction() as session:
            last = await session.scalar(select(func.max(QueueGroupRow.noticed_at)))
            if last is not None and now - last < self._interval:
                return
            asked = func.count(QueuedQuestionRow.question_id)
            new = list(await session.execute(
                select(QueueGroupRow, asked)
                .join(QueuedQuestionRow, QueuedQuestionRow.group_id == QueueGroupRow.id)
                .where(QueueGroupRow.noticed_at.is_(None), QueueGroupRow.status == GroupStatus.OPEN.value)
                .group_by(QueueGroupRow.id)
                .order_by(QueueGroupRow.id)
            ))
            if not new:
                return
            lines = [f"- #{group.id} ({int(count)}×) {escape_markdown(group.sample)}"
                     for group, count in new[:NOTICE_LINES]]
            if len(new) > NOTICE_LINES:
                lines.append(PHRASES.say("notice-more", self._language, count=len(new) - NOTICE_LINES))
            text = PHRASES.say("notice", self._language, count=len(new), groups="\n".join(lines))
            newest = max(group.id for group, _ in new)
            for room in self._rooms:
                await enqueue(session, f"curation:notice:{room}:{newest}", room, Reply(text), now)
            for group, _ in new:
                group.noticed_at = now


class ReviewReminder:
    """Reminds moderators of entries whose `review_by` date has come, once per entry and date."""

    name = "curation-review-reminder"

    def __init__(self, database: Database, knowledge_base: KnowledgeBase, roles: Roles, rooms: Sequence[str],
                 language: Language) -> None:
        self._database = database
        self._knowledge_base = knowledge_base
        self._roles = roles
        self._rooms = [ChatId(room) for room in rooms]
        self._language = language

    async def run_due(self, now: datetime) -> None:
        due = [
            stored.entry for stored in await self._knowledge_base.all_stored()
            if not stored.deleted and stored.entry.review_by is not None and stored.entry.review_by <= now.date()
        ]
        if not due:
            return
        recipients: list[ChatId | PersonId] = [*self._rooms] or [*await self._roles.moderators()]
        async with self._database.transaction() as session:
            for entry in due:
                text = PHRASES.say("review-due", self._language, id=entry.id, question=entry.question,
                                   date=entry.review_by)
                for recipient in recipients:
                    await enqueue(session, f"curation:review:{entry.id}:{entry.review_by}:{recipient}", recipient,
                                  Reply(text), now)
