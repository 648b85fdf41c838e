"""One turn of a conversation as features see it: the message, the person's language, the commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.dialogues import Dialogue
from bot.messages import Command, IncomingMessage, Reply
from bot.texts import CORE, say
from knowledge.entry import Language


@dataclass(frozen=True)
class Turn:
    """What a feature needs to answer one incoming message."""

    message: IncomingMessage
    language: Language
    commands: Sequence[Command] = ()

    @property
    def text(self) -> str:
        return self.message.text

    def say(self, key: str, **values: object) -> str:
        return say(key, self.language, **values)

    def reply(self, key: str, **values: object) -> list[Reply]:
        return CORE.reply(key, self.language, **values)


CommandAction = Callable[[Turn, str], Awaitable[Sequence[Reply]]]
"""Runs a command; gets the turn and the text after the command name."""


@dataclass(frozen=True)
class Route:
    """A command a feature offers: its name, its description per language, and what it does."""

    command: Command
    run: CommandAction


class Feature(Protocol):
    """A part of Lotse (FAQ, curation, matching, digest) with its commands, actions and free text.

    `name` prefixes the button actions that belong to the feature (`faq:…`) and names the
    dialogues it guides. `on_text` returns None when the feature does not take the text, so the
    next one may. `on_dialogue` gets the person's text while one of its dialogues is open.
    """

    name: str

    def routes(self) -> Sequence[Route]: ...

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]: ...

    async def on_text(self, turn: Turn) -> Sequence[Reply] | None: ...

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]: ...
