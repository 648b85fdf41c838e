"""Greeting, help and the choice of language: what every member meets first."""

from __future__ import annotations

from collections.abc import Sequence

from bot.dialogues import Dialogues
from bot.members import Members
from bot.messages import Command, Reply
from bot.roles import Roles
from bot.texts import both
from bot.turn import Route, Turn
from knowledge.entry import LANGUAGES


class Welcome:
    """`/start`, `/help`, `/lang de|en`, and `/cancel` for whatever guided conversation is open."""

    name = "welcome"

    def __init__(self, members: Members, dialogues: Dialogues, roles: Roles) -> None:
        self._members = members
        self._dialogues = dialogues
        self._roles = roles

    def routes(self) -> Sequence[Route]:
        return [
            Route(Command("start", both("command-start")), self._start),
            Route(Command("help", both("command-help")), self._help),
            Route(Command("lang", both("command-lang")), self._lang),
            Route(Command("cancel", both("command-cancel")), self._cancel),
        ]

    async def _cancel(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        ended = await self._dialogues.end(turn.message)
        return turn.reply("cancelled" if ended else "nothing-to-cancel")

    async def _start(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        return [Reply(turn.say("welcome") + "\n\n" + await self._help_text(turn))]

    async def _help(self, turn: Turn, _rest: str) -> Sequence[Reply]:
        return [Reply(await self._help_text(turn))]

    async def _lang(self, turn: Turn, rest: str) -> Sequence[Reply]:
        wanted = rest.strip().lower()
        for language in LANGUAGES:
            if wanted == language:
                await self._members.choose_language(turn.message.sender.id, language)
                return [Reply(Turn(turn.message, language).say("language-chosen"))]
        return turn.reply("language-usage")

    async def _help_text(self, turn: Turn) -> str:
        """The commands this person can use: moderators see theirs in a section of its own."""
        lines = [_line(turn, command) for command in turn.commands if not command.moderators_only]
        text = turn.say("help", commands="\n".join(lines))
        if turn.capabilities.terminal:
            text += "\n\n" + turn.say("help-terminal")
        if await self._roles.is_moderator(turn.message.sender.id):
            moderation = [_line(turn, command) for command in turn.commands if command.moderators_only]
            text += "\n\n" + turn.say("help-moderators", commands="\n".join(moderation))
        return text


def _line(turn: Turn, command: Command) -> str:
    return f"- `/{command.name}`: {command.description.get(turn.language, '')}"
