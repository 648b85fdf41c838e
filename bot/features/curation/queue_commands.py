"""`/queue`: the open groups of unanswered questions, and answering, linking or dismissing one."""

from __future__ import annotations

from collections.abc import Sequence

from bot.features.curation.entries import Editor
from bot.features.curation.form import FormError, parse_form
from bot.features.curation.guided import AddDialogue
from bot.features.curation.phrases import PHRASES
from bot.features.curation.queue import GroupStatus, Queue
from bot.messages import Reply, escape_markdown
from bot.turn import Turn

SHOWN = 15


class QueueCommands:
    """What moderators do with the queue, one subcommand each."""

    def __init__(self, queue: Queue, editor: Editor, guided: AddDialogue) -> None:
        self._queue = queue
        self._editor = editor
        self._guided = guided

    async def run(self, turn: Turn, rest: str) -> Sequence[Reply]:
        verb, _, rest = rest.strip().partition(" ")
        number, _, rest = rest.strip().partition(" ")
        verb = verb.casefold()
        if not verb:
            return await self._list(turn)
        if verb not in ("show", "answer", "link", "dismiss") or not number.lstrip("#").isdigit():
            return PHRASES.reply("queue-usage", turn.language)
        group_id = int(number.lstrip("#"))
        group = await self._queue.group(group_id)
        if group is None or (verb != "show" and group.status is not GroupStatus.OPEN):
            return PHRASES.reply("no-group", turn.language, group=group_id)
        if verb == "show":
            lines = "\n".join(f"- {escape_markdown(text)}" for text in group.questions)
            return PHRASES.reply("group", turn.language, group=group_id, count=group.count, questions=lines,
                        status=PHRASES.say(f"group-{group.status.value}", turn.language))
        if verb == "answer":
            return await self._answer(turn, group_id, group.sample, rest.strip())
        if verb == "link":
            outcome = await self._editor.link(group_id, rest.strip(), turn.message.sender.id)
            return PHRASES.reply(outcome, turn.language, group=group_id, id=rest.strip())
        if not rest.strip():
            return PHRASES.reply("dismiss-usage", turn.language)
        await self._queue.dismiss(group_id, rest.strip(), turn.message.sender.id)
        return PHRASES.reply("dismissed", turn.language, group=group_id)

    async def _list(self, turn: Turn) -> Sequence[Reply]:
        groups = await self._queue.open_groups(SHOWN)
        if not groups:
            return PHRASES.reply("queue-empty", turn.language)
        lines = "\n".join(f"- #{g.id} ({g.count}×) {escape_markdown(g.sample)}" for g in groups)
        return PHRASES.reply("queue", turn.language, groups=lines)

    async def _answer(self, turn: Turn, group_id: int, sample: str, form: str) -> Sequence[Reply]:
        """Guided, starting from the group's question; or at once with the one-message form."""
        if not form:
            return await self._guided.begin(turn, group_id, sample)
        try:
            draft = parse_form(form, turn.language)
        except FormError as error:
            return PHRASES.reply(str(error), turn.language)
        entry = await self._editor.create(draft, turn.message.sender.id, publish=True, group_id=group_id)
        key = "saved-published" if entry.status.value == "published" else "saved-draft"
        return PHRASES.reply(key, turn.language, id=entry.id)
