"""The curation feature: moderators keep the knowledge base right from the chat.

Wires the pieces together and checks the role before any of them runs: `/faq` (entries), `/queue`
(unanswered questions), `/mod` (roles, for admins) and `/stats`. It also listens to the FAQ for
questions it could not answer, and offers the scheduler its two jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.config import ModerationSettings
from bot.dialogues import Dialogue, Dialogues
from bot.features.curation.entries import Editor, EntryCommands
from bot.features.curation.form import FormError, parse_form
from bot.features.curation.guided import FEATURE, AddDialogue
from bot.features.curation.moderators import ModeratorCommands
from bot.features.curation.notices import ModeratorNotice, ReviewReminder
from bot.features.curation.phrases import PHRASES
from bot.features.curation.queue import Queue
from bot.features.curation.queue_commands import QueueCommands
from bot.features.curation.stats import CurationStats
from bot.features.faq import Unanswered
from bot.features.faq_index import FaqIndex
from bot.features.faq_log import QuestionLog
from bot.knowledge_base import KnowledgeBase
from bot.messages import ChatId, Command, PersonId, Reply
from bot.platforms import Platforms
from bot.roles import Roles
from bot.scheduler import Job
from bot.statistics import StatsSource
from bot.storage.database import Database
from bot.turn import CommandAction, Route, Turn
from knowledge.entry import Language


class Curation:
    """`/faq`, `/queue`, `/mod`, `/stats` for moderators; the unanswered queue; notices and reminders."""

    name = FEATURE
    """Prefixes its actions and dialogues, and names its part of a member's `/mydata`."""

    def __init__(
        self,
        database: Database,
        knowledge_base: KnowledgeBase,
        roles: Roles,
        dialogues: Dialogues,
        settings: ModerationSettings,
        default_language: Language,
        platforms: Platforms,
        clock: Callable[[], datetime],
        index: FaqIndex,
        questions: QuestionLog,
        stats_sources: Sequence[StatsSource] = (),
    ) -> None:
        self._roles = roles
        self._clock = clock
        self.queue = Queue(database, clock, index, questions)
        self.editor = Editor(database, knowledge_base, self.queue, settings.four_eyes, clock, index)
        self._guided = AddDialogue(dialogues, self.editor)
        self._entries = EntryCommands(database, knowledge_base, self.editor, questions)
        self._queue_commands = QueueCommands(self.queue, self.editor, self._guided)
        self._moderators = ModeratorCommands(roles, platforms)
        self.stats = CurationStats(database, knowledge_base, self.queue, questions, settings.review_after_months,
                                   stats_sources)
        self._jobs: list[Job] = [
            ModeratorNotice(database, settings.rooms, timedelta(minutes=settings.notice_interval_minutes),
                            default_language),
            ReviewReminder(database, knowledge_base, roles, settings.rooms, default_language),
        ]

    def routes(self) -> Sequence[Route]:
        return [
            Route(_moderation("faq"), self._for_moderators(self._faq)),
            Route(_moderation("queue"), self._for_moderators(self._queue_commands.run)),
            Route(_moderation("stats"), self._for_moderators(self._stats)),
            Route(_moderation("mod"), self._moderators.run),
        ]

    def jobs(self) -> list[Job]:
        """The moderators' notice of new unanswered groups, and the `review_by` reminder."""
        return list(self._jobs)

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]:
        if not await self._roles.is_moderator(turn.message.sender.id):
            return PHRASES.reply("moderators-only", turn.language)
        return await self._guided.act(turn, action)

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        return await self._guided.step(turn, dialogue)

    async def on_unanswered(self, turn: Turn, question: Unanswered) -> Sequence[Reply]:
        """Queue the question and remember where its asker is, to tell them once it is answered."""
        message = turn.message
        await self.queue.add(question.question_id, PersonId(message.sender.id), ChatId(message.chat.id),
                             turn.language, question.reason)
        return []

    async def on_answered_after_all(self, question_id: int) -> None:
        """The asker turned their 👎 into 👍: the question leaves the moderators' queue."""
        await self.queue.withdraw(question_id)

    async def personal_data(self, person: PersonId) -> dict[str, Any]:
        return await self.queue.personal_data(person)

    async def forget(self, person: PersonId) -> None:
        await self.queue.forget(person)

    async def _faq(self, turn: Turn, rest: str) -> Sequence[Reply]:
        verb, _, rest = rest.strip().partition(" ")
        verb = verb.casefold()
        if verb == "add":
            return await self._add(turn, rest.strip())
        subcommand = self._entries.subcommands().get(verb)
        if subcommand is None:
            return PHRASES.reply("faq-usage", turn.language)
        return await subcommand(turn, rest)

    async def _add(self, turn: Turn, form: str) -> Sequence[Reply]:
        if not form:
            return await self._guided.begin(turn)
        try:
            draft = parse_form(form, turn.language)
        except FormError as error:
            return PHRASES.reply(str(error), turn.language)
        entry = await self.editor.create(draft, turn.message.sender.id, publish=True)
        key = "saved-published" if entry.status.value == "published" else "saved-draft"
        return PHRASES.reply(key, turn.language, id=entry.id)

    async def _stats(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        return [Reply(await self.stats.report(turn.language, self._clock()))]

    def _for_moderators(self, action: CommandAction) -> CommandAction:
        """The command, or a polite refusal for anyone who is not a moderator."""

        async def checked(turn: Turn, rest: str) -> Sequence[Reply]:
            if not await self._roles.is_moderator(turn.message.sender.id):
                return PHRASES.reply("moderators-only", turn.language)
            return await action(turn, rest)

        return checked


def _moderation(name: str) -> Command:
    """A moderators' command, described in both languages from the phrasebook."""
    return Command(name, PHRASES.both(f"command-{name}"), moderators_only=True)
