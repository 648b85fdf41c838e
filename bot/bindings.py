"""Every offered choice acts for the person it was offered to, or says "this is not for you".

The router binds each action of its replies to the person who wrote the message, and the outbox
binds each action it delivers to the recipient (a person, or a chat where anyone may pick), with a
short keyed tag inside the action (`faq:v:12:up~k3Jx9a`). A tap is taken only when the tag matches
the person who tapped or the chat it came from, so a bystander in a group cannot confirm someone
else's `/forget` or rate someone else's answer, and tags cannot be made up without the key.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Sequence
from dataclasses import replace

from bot.messages import Choice, IncomingMessage, Reply
from bot.privacy import Pseudonyms

log = logging.getLogger(__name__)

SEPARATOR = "~"
TAG_LENGTH = 6
"""Characters of the tag, 6 bits each: guessing one takes billions of taps."""
MAX_ACTION_BYTES = 64
"""Telegram's limit for a button's data, the tightest of the platforms."""


class ActionBindings:
    """Binds actions to their holder and checks taps against it."""

    def __init__(self, pseudonyms: Pseudonyms) -> None:
        self._pseudonyms = pseudonyms

    def bind(self, reply: Reply, holder: str) -> Reply:
        """The reply with every choice and rating bound to `holder` (a person or chat id)."""
        if not reply.choices and not reply.feedback:
            return reply
        return replace(reply, choices=self._choices(reply.choices, holder),
                       feedback=self._choices(reply.feedback, holder))

    def bind_all(self, replies: Sequence[Reply], holder: str) -> list[Reply]:
        return [self.bind(reply, holder) for reply in replies]

    def taken(self, message: IncomingMessage) -> str | None:
        """The action of a tap without its tag, if the tag binds it to the tapping person or their chat."""
        action, separator, tag = (message.action or "").rpartition(SEPARATOR)
        if not separator:
            return None
        for holder in (message.sender.id, message.chat.id):
            if hmac.compare_digest(tag, self._tag(holder, action)):
                return action
        return None

    @staticmethod
    def is_bound(action: str) -> bool:
        """Whether an action carries a tag at all (one without is from before binding, or made up)."""
        return SEPARATOR in action

    def _choices(self, choices: tuple[Choice, ...], holder: str) -> tuple[Choice, ...]:
        bound = []
        for choice in choices:
            action = f"{choice.action}{SEPARATOR}{self._tag(holder, choice.action)}"
            if len(action.encode()) > MAX_ACTION_BYTES:
                log.error("action %r is too long for a button once bound (%d bytes)", choice.action, len(action))
            bound.append(replace(choice, action=action))
        return tuple(bound)

    def _tag(self, holder: str, action: str) -> str:
        return self._pseudonyms.tag("action", holder, action, length=TAG_LENGTH)
