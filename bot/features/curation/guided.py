"""The guided `/faq add`: question, alternatives, answer, tags, language, preview, confirm.

Each step is stored as a `Dialogue`, so a `/help` in between or a restart loses nothing; `/cancel`
or the preview's cancel choice ends it. Choices come back as actions (buttons) or, on platforms
that number them, as the number typed — both are read here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.dialogues import Dialogue, Dialogues
from bot.features.curation.entries import Editor, describe_draft
from bot.features.curation.form import Draft, parse_language, parse_list, parse_tags
from bot.features.curation.phrases import PHRASES
from bot.messages import Choice, Reply, escape_markdown
from bot.turn import Turn
from knowledge.entry import LANGUAGES, Language, as_language

FEATURE = "curation"
LANGUAGE_ACTION = "curation:lang:"
SAVE_ACTION = "curation:save:"
PUBLISH, DRAFT, CANCEL = "publish", "draft", "cancel"


class AddDialogue:
    """Walks a moderator through a new entry, one question per message."""

    def __init__(self, dialogues: Dialogues, editor: Editor) -> None:
        self._dialogues = dialogues
        self._editor = editor

    async def begin(self, turn: Turn, group_id: int | None = None, question: str = "") -> Sequence[Reply]:
        """Start the dialogue; answering a queue group starts with its question filled in."""
        data: dict[str, Any] = {"group": group_id} if group_id is not None else {}
        if question:
            data["question"] = question
            await self._dialogues.save(turn.message, Dialogue(FEATURE, "alternatives", data))
            return [Reply(PHRASES.say("add-start-group", turn.language, question=escape_markdown(question)) + "\n\n"
                          + PHRASES.say("ask-alternatives", turn.language))]
        await self._dialogues.save(turn.message, Dialogue(FEATURE, "question", data))
        return [Reply(PHRASES.say("add-start", turn.language) + "\n\n" + PHRASES.say("ask-question", turn.language))]

    async def step(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]:
        """Take the moderator's text as the answer to the current step."""
        text = turn.text.strip()
        data = dict(dialogue.data)
        if dialogue.step == "question":
            data["question"] = text
            return await self._next(turn, "alternatives", data)
        if dialogue.step == "alternatives":
            data["alternatives"] = list(parse_list(text))
            return await self._next(turn, "answer", data)
        if dialogue.step == "answer":
            data["answer"] = text
            return await self._next(turn, "tags", data)
        if dialogue.step == "tags":
            data["tags"] = list(parse_tags(text))
            return await self._next(turn, "language", data)
        if dialogue.step == "language":
            return await self._language(turn, data, _numbered(text, LANGUAGES) or text)
        if dialogue.step == "confirm":
            return await self._confirm(turn, data, _numbered(text, self._save_options()) or _save_word(text))
        await self._dialogues.end(turn.message)
        return PHRASES.reply("dialogue-lost", turn.language)

    async def act(self, turn: Turn, action: str) -> Sequence[Reply]:
        """A tapped choice: the language, or publish / draft / cancel under the preview."""
        dialogue = await self._dialogues.current(turn.message)
        if dialogue is None or dialogue.feature != FEATURE:
            return PHRASES.reply("dialogue-lost", turn.language)
        data = dict(dialogue.data)
        if action.startswith(LANGUAGE_ACTION) and dialogue.step == "language":
            return await self._language(turn, data, action.removeprefix(LANGUAGE_ACTION))
        if action.startswith(SAVE_ACTION) and dialogue.step == "confirm":
            return await self._confirm(turn, data, action.removeprefix(SAVE_ACTION))
        return PHRASES.reply("dialogue-lost", turn.language)

    async def _language(self, turn: Turn, data: dict[str, Any], wanted: str) -> Sequence[Reply]:
        language = parse_language(wanted)
        if language is None:
            return [self._prompt(turn, "language", data)]
        data["lang"] = language
        return await self._next(turn, "confirm", data)

    async def _confirm(self, turn: Turn, data: Mapping[str, Any], choice: str) -> Sequence[Reply]:
        if choice == CANCEL:
            await self._dialogues.end(turn.message)
            return [Reply(PHRASES.say("add-cancelled", turn.language), replaces_prompt=True)]
        if choice not in (PUBLISH, DRAFT):
            return [self._prompt(turn, "confirm", data)]
        group = data.get("group")
        entry = await self._editor.create(_draft(data), turn.message.sender.id, publish=choice == PUBLISH,
                                          group_id=int(group) if group is not None else None)
        await self._dialogues.end(turn.message)
        key = "saved-published" if entry.status.value == "published" else "saved-draft"
        return [Reply(PHRASES.say(key, turn.language, id=entry.id), replaces_prompt=True)]

    async def _next(self, turn: Turn, step: str, data: dict[str, Any]) -> Sequence[Reply]:
        await self._dialogues.save(turn.message, Dialogue(FEATURE, step, data))
        return [self._prompt(turn, step, data)]

    def _prompt(self, turn: Turn, step: str, data: Mapping[str, Any]) -> Reply:
        if step == "language":
            choices = tuple(Choice(PHRASES.say(f"language-{lang}", turn.language), f"{LANGUAGE_ACTION}{lang}")
                            for lang in LANGUAGES)
            return Reply(PHRASES.say("ask-language", turn.language), choices=choices)
        if step == "confirm":
            choices = tuple(Choice(PHRASES.say(f"choice-{option}", turn.language), f"{SAVE_ACTION}{option}")
                            for option in self._save_options())
            preview = describe_draft(turn, _draft(data))
            return Reply(PHRASES.say("preview", turn.language, entry=preview), choices=choices)
        return Reply(PHRASES.say(f"ask-{step}", turn.language))

    def _save_options(self) -> tuple[str, ...]:
        return (DRAFT, CANCEL) if self._editor.four_eyes else (PUBLISH, DRAFT, CANCEL)


def _draft(data: Mapping[str, Any]) -> Draft:
    language: Language = as_language(data.get("lang"))
    return Draft(question=str(data.get("question", "")), alternatives=tuple(data.get("alternatives", ())),
                 answer=str(data.get("answer", "")), tags=tuple(data.get("tags", ())), lang=language)


def _numbered(text: str, options: Sequence[str]) -> str | None:
    """The option a typed number picks ("2" → the second), as numbered choices are answered."""
    number = text.strip().rstrip(".)")
    if number.isdigit() and 1 <= int(number) <= len(options):
        return options[int(number) - 1]
    return None


def _save_word(text: str) -> str:
    word = text.strip().casefold()
    if word in ("ja", "yes", "veröffentlichen", "publish", "speichern", "save"):
        return PUBLISH
    if word in ("entwurf", "draft"):
        return DRAFT
    if word in ("nein", "no", "abbrechen", "cancel"):
        return CANCEL
    return word
