"""`/faq …` for moderators: show, edit, delete and restore, list, search, alias, history, revert, publish.

Every change goes through the knowledge base, which writes a version and an audit record in the same
transaction, and is applied to the FAQ index before the moderator is told it is done, so the next
question is answered from it; other instances pick it up through `KnowledgeBase.revision()`.
`/faq search` ranks entries the way questions are matched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime

from bot.features.curation.form import Draft, new_id, parse_date, parse_language, parse_list, parse_tags
from bot.features.curation.phrases import PHRASES
from bot.features.curation.queue import GroupStatus, Queue
from bot.features.faq_index import FaqIndex
from bot.features.faq_log import QuestionLog
from bot.knowledge_base import KnowledgeBase, StoredEntry
from bot.messages import Reply
from bot.storage.database import Database
from bot.turn import Turn
from knowledge.entry import Entry, Status
from knowledge.matcher import Matcher
from knowledge.normaliser import fold

SEARCH_LIMIT = 10
LIST_LIMIT = 50
Subcommand = Callable[[Turn, str], Awaitable[Sequence[Reply]]]


class Editor:
    """Creates and changes entries on a moderator's behalf, with the four-eyes rule when configured."""

    def __init__(self, database: Database, knowledge_base: KnowledgeBase, queue: Queue, four_eyes: bool,
                 clock: Callable[[], datetime], index: FaqIndex) -> None:
        self._database = database
        self._knowledge_base = knowledge_base
        self._queue = queue
        self.four_eyes = four_eyes
        self._clock = clock
        self.index = index

    async def applied(self) -> None:
        """Make a stored change part of the answers now, before the moderator is told it is done."""
        await self.index.refresh(now=True)

    async def create(self, draft: Draft, by: str, publish: bool, group_id: int | None = None) -> Entry:
        """Store a new entry; published at once unless asked for a draft or the four-eyes rule holds.
        With `group_id` the queue group is answered by it in the same transaction."""
        taken = {stored.entry.id for stored in await self._knowledge_base.all_stored()}
        status = Status.PUBLISHED if publish and not self.four_eyes else Status.DRAFT
        entry = Entry(id=new_id(draft.question, taken), question=draft.question, answer=draft.answer,
                      alternatives=draft.alternatives, tags=draft.tags, lang=draft.lang, status=status)
        async with self._database.transaction() as session:
            await self._knowledge_base.save_in(session, entry, by, action="entry.create")
            if group_id is not None:
                await self._queue.answer(session, group_id, entry, by, "queue.answer")
        await self.applied()
        return entry

    async def publish(self, entry_id: str, by: str) -> str:
        """Publish a draft; returns a phrase key saying how it went. Under the four-eyes rule the
        moderator who wrote the draft's latest version cannot publish it."""
        stored = await self._knowledge_base.stored(entry_id)
        if stored is None or stored.deleted:
            return "no-entry"
        if stored.entry.status is Status.PUBLISHED:
            return "already-published"
        versions = await self._knowledge_base.versions(entry_id)
        if self.four_eyes and versions and versions[-1].changed_by == by:
            return "four-eyes"
        published = replace(stored.entry, status=Status.PUBLISHED)
        async with self._database.transaction() as session:
            await self._knowledge_base.save_in(session, published, by, action="entry.publish")
            await self._queue.tell_askers(session, published)
        await self.applied()
        return "published"

    async def link(self, group_id: int, entry_id: str, by: str) -> str:
        """Answer a queue group with an existing entry, adding its questions as alternatives."""
        group = await self._queue.group(group_id)
        if group is None or group.status is not GroupStatus.OPEN:
            return "no-group"
        stored = await self._knowledge_base.stored(entry_id)
        if stored is None or stored.deleted:
            return "no-entry"
        known = {fold(phrasing) for phrasing in stored.entry.phrasings}
        added = tuple(dict.fromkeys(text for text in group.questions if fold(text) not in known))
        entry = replace(stored.entry, alternatives=(*stored.entry.alternatives, *added))
        async with self._database.transaction() as session:
            await self._knowledge_base.save_in(session, entry, by, action="entry.alias")
            await self._queue.answer(session, group_id, entry, by, "queue.link")
        await self.applied()
        return "linked"


class EntryCommands:
    """The `/faq` subcommands that work on existing entries."""

    def __init__(self, database: Database, knowledge_base: KnowledgeBase, editor: Editor,
                 questions: QuestionLog) -> None:
        self._database = database
        self._knowledge_base = knowledge_base
        self._editor = editor
        self._questions = questions

    def subcommands(self) -> dict[str, Subcommand]:
        return {
            "show": self.show, "edit": self.edit, "delete": self.delete, "restore": self.restore,
            "list": self.list, "search": self.search, "alias": self.alias, "history": self.history,
            "revert": self.revert, "publish": self.publish, "reviewed": self.reviewed,
        }

    async def show(self, turn: Turn, rest: str) -> Sequence[Reply]:
        stored = await self._knowledge_base.stored(rest.strip())
        if stored is None:
            return PHRASES.reply("no-entry", turn.language, id=rest.strip())
        up, down = await self._questions.votes(stored.entry.id)
        return [Reply(describe(turn, stored, up, down))]

    async def edit(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id, field, value = _split(rest, 3)
        entry = await self._knowledge_base.get(entry_id)
        if entry is None:
            return PHRASES.reply("no-entry" if entry_id else "edit-usage", turn.language, id=entry_id)
        changed = _edited(entry, field.casefold(), value)
        if changed is None:
            return PHRASES.reply("edit-usage", turn.language)
        version = await self._knowledge_base.save(changed, turn.message.sender.id)
        await self._editor.applied()
        return PHRASES.reply("edited", turn.language, id=entry_id, version=version)

    async def delete(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id = rest.strip()
        done = await self._knowledge_base.delete(entry_id, turn.message.sender.id)
        await self._editor.applied()
        return PHRASES.reply("deleted" if done else "no-entry", turn.language, id=entry_id)

    async def restore(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id = rest.strip()
        done = await self._knowledge_base.restore(entry_id, turn.message.sender.id)
        await self._editor.applied()
        return PHRASES.reply("restored" if done else "not-deleted", turn.language, id=entry_id)

    async def list(self, turn: Turn, rest: str) -> Sequence[Reply]:
        tag = rest.strip().lstrip("#").casefold()
        entries = [s for s in await self._knowledge_base.all_stored()
                   if not s.deleted and (not tag or tag in s.entry.tags)]
        if not entries:
            return PHRASES.reply("list-empty", turn.language)
        lines = [_line(turn, stored) for stored in entries[:LIST_LIMIT]]
        if len(entries) > LIST_LIMIT:
            lines.append(PHRASES.say("list-more", turn.language, count=len(entries) - LIST_LIMIT))
        return [Reply("\n".join(lines))]

    async def search(self, turn: Turn, rest: str) -> Sequence[Reply]:
        """Entries ranked as the question would be matched: published ones through the FAQ index,
        drafts (few, not answered from) by the same matcher over the drafts alone."""
        query = rest.strip()
        if not fold(query):
            return PHRASES.reply("search-usage", turn.language)
        entries = {s.entry.id: s for s in await self._knowledge_base.all_stored() if not s.deleted}
        index = self._editor.index
        found = await index.search(query, SEARCH_LIMIT)
        drafts = [s.entry for s in entries.values() if s.entry.status is not Status.PUBLISHED]
        if drafts:
            found += Matcher(drafts).rank(query, SEARCH_LIMIT)
        hits = [c for c in found if c.entry_id in entries and (c.score > 0 or (c.lexical or 0) > 0)]
        if not hits and found and index.semantic_ready:
            hits = [c for c in found if c.entry_id in entries][:3]
        if not hits:
            return PHRASES.reply("search-nothing", turn.language, query=query)
        best: dict[str, float] = {}
        for candidate in hits:
            best[candidate.entry_id] = max(best.get(candidate.entry_id, 0.0), candidate.score)
        order = sorted(best, key=lambda entry_id: -best[entry_id])
        return [Reply("\n".join(_line(turn, entries[entry_id]) for entry_id in order[:SEARCH_LIMIT]))]

    async def alias(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id, phrasing = _split(rest, 2)
        entry = await self._knowledge_base.get(entry_id)
        if entry is None or not phrasing:
            return PHRASES.reply("no-entry" if entry_id and phrasing else "alias-usage", turn.language, id=entry_id)
        if fold(phrasing) in {fold(p) for p in entry.phrasings}:
            return PHRASES.reply("alias-known", turn.language, id=entry_id)
        changed = replace(entry, alternatives=(*entry.alternatives, phrasing))
        await self._knowledge_base.save(changed, turn.message.sender.id, action="entry.alias")
        await self._editor.applied()
        return PHRASES.reply("alias-added", turn.language, id=entry_id, phrasing=phrasing)

    async def history(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id = rest.strip()
        versions = await self._knowledge_base.versions(entry_id)
        if not versions:
            return PHRASES.reply("no-entry", turn.language, id=entry_id)
        lines = [PHRASES.say("history-title", turn.language, id=entry_id)]
        previous: Entry | None = None
        for version in versions:
            what = ", ".join(_changed_fields(previous, version.entry)) or "–"
            lines.append(f"- v{version.version} · {_when(version.changed_at)} · {version.changed_by} · {what}")
            previous = version.entry
        lines.append(PHRASES.say("history-hint", turn.language, id=entry_id))
        return [Reply("\n".join(lines))]

    async def revert(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id, number, _ = _split(rest, 3)
        if not number.lstrip("v").isdigit():
            return PHRASES.reply("revert-usage", turn.language)
        version = await self._knowledge_base.revert(entry_id, int(number.lstrip("v")), turn.message.sender.id)
        if version is None:
            return PHRASES.reply("no-version", turn.language, id=entry_id, version=number)
        await self._editor.applied()
        return PHRASES.reply("reverted", turn.language, id=entry_id, old=number.lstrip("v"), version=version)

    async def publish(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id = rest.strip()
        outcome = await self._editor.publish(entry_id, turn.message.sender.id)
        return PHRASES.reply(outcome, turn.language, id=entry_id)

    async def reviewed(self, turn: Turn, rest: str) -> Sequence[Reply]:
        entry_id = rest.strip()
        done = await self._knowledge_base.mark_reviewed(entry_id, turn.message.sender.id)
        return PHRASES.reply("marked-reviewed" if done else "no-entry", turn.language, id=entry_id)


def describe(turn: Turn, stored: StoredEntry, up: int = 0, down: int = 0) -> str:
    """An entry as a moderator reviews it: every field, its state and its ratings."""
    entry = stored.entry
    none = PHRASES.say("nothing", turn.language)
    return PHRASES.say(
        "entry", turn.language, id=entry.id, question=entry.question,
        alternatives="\n".join(f"- {a}" for a in entry.alternatives) or none,
        tags=", ".join(entry.tags) or none, lang=entry.lang, status=_status(turn, stored), version=stored.version,
        review_by=entry.review_by.isoformat() if entry.review_by else none, up=up, down=down, answer=entry.answer,
    )


def _status(turn: Turn, stored: StoredEntry) -> str:
    key = "status-deleted" if stored.deleted else f"status-{stored.entry.status.value}"
    return PHRASES.say(key, turn.language)


def _line(turn: Turn, stored: StoredEntry) -> str:
    marker = "" if stored.entry.status is Status.PUBLISHED else f" ({_status(turn, stored)})"
    return f"- `{stored.entry.id}`{marker}: {stored.entry.question}"


def _split(text: str, parts: int) -> tuple[str, ...]:
    """`parts` pieces split at spaces, the last one keeping the rest; missing pieces are empty."""
    pieces = text.strip().split(None, parts - 1)
    return tuple(pieces + [""] * (parts - len(pieces)))


def _edited(entry: Entry, field: str, value: str) -> Entry | None:
    """The entry with one field changed, or None when the field or value makes no sense."""
    value = value.strip()
    if field in ("question", "frage") and value:
        return replace(entry, question=value)
    if field in ("answer", "antwort") and value:
        return replace(entry, answer=value)
    if field in ("alternatives", "alternativen"):
        return replace(entry, alternatives=parse_list(value))
    if field == "tags":
        return replace(entry, tags=parse_tags(value))
    if field in ("lang", "sprache"):
        language = parse_language(value)
        return replace(entry, lang=language) if language else None
    if field == "review_by":
        if value.casefold() in ("-", ""):
            return replace(entry, review_by=None)
        when = parse_date(value)
        return replace(entry, review_by=when) if when else None
    return None


def _changed_fields(before: Entry | None, after: Entry) -> list[str]:
    if before is None:
        return ["+"]
    fields = ("question", "alternatives", "answer", "tags", "lang", "status", "review_by")
    return [field for field in fields if getattr(before, field) != getattr(after, field)]


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def describe_draft(turn: Turn, draft: Draft) -> str:
    """A new entry as it will be saved, for the preview before confirming."""
    none = PHRASES.say("nothing", turn.language)
    return PHRASES.say(
        "draft", turn.language, question=draft.question,
        alternatives="\n".join(f"- {a}" for a in draft.alternatives) or none,
        tags=", ".join(draft.tags) or none, lang=draft.lang, answer=draft.answer,
    )
