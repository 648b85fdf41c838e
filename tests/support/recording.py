"""A chat platform that records what it is asked to send, and can be told to fail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.messages import PLAIN_CAPABILITIES, Capabilities, ChatId, Conversation, PersonId, Reply


class RecordingPlatform:
    """Implements the `ChatPlatform` port in memory, for tests of what the core sends on its own."""

    def __init__(self, name: str = "console", failures: int = 0, error: Exception | None = None,
                 idempotent: bool = False, capabilities: Capabilities = PLAIN_CAPABILITIES) -> None:
        self.name = name
        self.capabilities = replace(capabilities, idempotent_sends=True) if idempotent else capabilities
        self.error = error
        """Raised by every send, when set (a blocked bot: `RecipientUnreachable`)."""
        self.attempts = 0
        self.sent: list[tuple[str, Reply]] = []
        self.keys: list[str | None] = []
        self.invites: list[tuple[str, ...]] = []
        self.failures = failures

    async def initialize(self) -> None:
        pass

    async def start(self, conversation: Conversation) -> None:
        pass

    async def send(
        self, to: ChatId | PersonId, reply: Reply, key: str | None = None, invite: Sequence[PersonId] = ()
    ) -> None:
        self.attempts += 1
        if self.error is not None:
            raise self.error
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("platform unavailable")
        self.sent.append((to, reply))
        self.keys.append(key)
        self.invites.append(tuple(invite))

    async def wait_stopped(self) -> None:
        pass

    async def stop(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
