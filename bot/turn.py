"""One turn of a conversation as features see it: the message, the person's language, the commands."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot.dialogues import Dialogue
from bot.messages import PLAIN_CAPABILITIES, Capabilities, Command, IncomingMessage, Reply
from bot.texts import CORE, say
from knowledge.entry import Language


@dataclass(frozen=True)
class Turn:
    """What a feature needs to answer one incoming message."""

    message: IncomingMessage
    language: Language
    commands: Sequence[Command] = ()
    capabilities: Capabilities = PLAIN_CAPABILITIES
    """What the platform the message came from can show (buttons, files, message length)."""

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
    """A part of Lotse (FAQ, curation, matching, digest) with its commands.

    `name` prefixes the button actions that belong to the feature (`faq:…`) and names the
    dialogues it guides. What else a feature takes it says by implementing the protocols below.
    """

    name: str

    def routes(self) -> Sequence[Route]: ...


@runtime_checkable
class TakesActions(Protocol):
    """A feature whose replies carry choices: gets the taps on them (`name:…` actions)."""

    async def on_action(self, turn: Turn, action: str) -> Sequence[Reply]: ...


@runtime_checkable
class TakesText(Protocol):
    """A feature that may take free text; returns None when it does not, so the next one may."""

    async def on_text(self, turn: Turn) -> Sequence[Reply] | None: ...


@runtime_checkable
class GuidesDialogues(Protocol):
    """A feature that guides dialogues: gets the person's text while one of its dialogues is open."""

    async def on_dialogue(self, turn: Turn, dialogue: Dialogue) -> Sequence[Reply]: ...
