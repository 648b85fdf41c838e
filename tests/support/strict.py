"""A conversation for the poison suites: answers like the core, but refuses what the database would."""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages import Command, IncomingMessage, Reply


class StrictStorage:
    """Answers like the core, and refuses what PostgreSQL would refuse to store (NUL, lone surrogates)."""

    def __init__(self) -> None:
        self.received: list[IncomingMessage] = []

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        if "\x00" in message.text:
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
        message.text.encode("utf-8")
        self.received.append(message)
        return [Reply(f"Antwort {len(self.received)}")]

    def commands(self) -> Sequence[Command]:
        return []
