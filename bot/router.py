"""The core's front door: cleans each incoming message and hands it to the feature it belongs to.

Whatever goes wrong inside a feature, the person gets a short apology and the bot goes on.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from bot.bindings import ActionBindings
from bot.dialogues import Dialogues
from bot.members import Members
from bot.messages import Command, IncomingMessage, Reply
from bot.platforms import Platforms
from bot.texts import say
from bot.throttle import Throttle, Verdict
from bot.turn import Feature, GuidesDialogues, Route, TakesActions, TakesText, Turn
from knowledge.entry import Language

log = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 2000
"""Longer messages are not questions; they get a polite request to shorten them."""


class DuplicateCommand(ValueError):
    """Two features offer the same command name; one would silently shadow the other."""


class Router:
    """Implements the `Conversation` port over a list of features, tried in order for free text."""

    def __init__(
        self, members: Members, dialogues: Dialogues, features: Sequence[Feature], platforms: Platforms,
        *, bindings: ActionBindings, throttle: Throttle | None = None,
    ) -> None:
        self._members = members
        self._bindings = bindings
        self._throttle = throttle
        self._dialogues = dialogues
        self._platforms = platforms
        self._features = list(features)
        self._routes: dict[str, Route] = {}
        owners: dict[str, str] = {}
        for feature in self._features:
            for route in feature.routes():
                name = route.command.name
                if name in owners:
                    raise DuplicateCommand(f"/{name} is offered by both {owners[name]} and {feature.name}")
                owners[name] = feature.name
                self._routes[name] = route
        self._commands = tuple(route.command for route in self._routes.values())
        self._readers = [feature for feature in self._features if isinstance(feature, TakesText)]

    def commands(self) -> Sequence[Command]:
        return self._commands

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        language: Language = "de"
        try:
            verdict = self._throttle.admit(message.sender.id) if self._throttle is not None else Verdict.ADMITTED
            if verdict is Verdict.DROPPED:
                return []
            message = replace(message, text=clean_text(message.text))
            language = await self._members.language_for(message.sender, message.text)
            turn = Turn(message, language, self._commands, self._platforms.of(message.sender.id))
            if verdict is Verdict.NOTICE:
                assert self._throttle is not None
                log.info("throttling a member in %s until their budget refills", message.chat.id)
                return turn.reply("throttled", seconds=max(1, round(self._throttle.wait(message.sender.id))))
            return self._bindings.bind_all(await self._dispatch(turn), message.sender.id)
        except Exception:
            log.exception("could not handle message %s in %s", message.message_id, message.chat.id)
            return [Reply(say("apology", language))]

    async def _dispatch(self, turn: Turn) -> Sequence[Reply]:
        message = turn.message
        if message.action is not None:
            return await self._act(turn, message.action)
        if not message.text:
            return []
        if len(message.text) > MAX_TEXT_LENGTH:
            return turn.reply("too-long", length=len(message.text), limit=MAX_TEXT_LENGTH)
        if message.text.startswith("/"):
            return await self._command(turn)
        dialogue = await self._dialogues.current(message)
        if dialogue is not None:
            for feature in self._features:
                if feature.name == dialogue.feature and isinstance(feature, GuidesDialogues):
                    return await feature.on_dialogue(turn, dialogue)
            await self._dialogues.end(message)
        for feature in self._readers:
            replies = await feature.on_text(turn)
            if replies is not None:
                return replies
        return []

    async def _command(self, turn: Turn) -> Sequence[Reply]:
        head, _, rest = turn.text[1:].partition(" ")
        name = head.split("@")[0].lower()
        route = self._routes.get(name)
        if route is None:
            return turn.reply("unknown-command", command=name[:40])
        return await route.run(turn, rest.strip())

    async def _act(self, turn: Turn, tapped: str) -> Sequence[Reply]:
        action = self._bindings.taken(turn.message)
        if action is None:
            return turn.reply("not-for-you" if self._bindings.is_bound(tapped) else "choice-expired")
        prefix = action.partition(":")[0]
        for feature in self._features:
            if feature.name == prefix and isinstance(feature, TakesActions):
                return await feature.on_action(turn, action)
        return turn.reply("choice-expired")


def clean_text(text: str) -> str:
    """NFC-normalised text without control or format characters (zero-width, direction marks)."""
    text = unicodedata.normalize("NFC", text)
    kept = (
        char
        for char in text
        if char in "\n\t" or unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    return "".join(kept).strip()
