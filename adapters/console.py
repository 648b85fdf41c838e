"""A terminal chat with Lotse, for trying it without any account; scriptable through a pipe.

Choices are shown numbered (answer with the number), ratings as `+` and `-`; this holds for
replies and for what Lotse sends on its own, such as an introduction request.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Sequence
from typing import TextIO

from adapters.rendering import markdown_to_plain
from bot.messages import (
    Attachment,
    Capabilities,
    Chat,
    ChatId,
    Conversation,
    IncomingMessage,
    PersonId,
    Reply,
    Sender,
)

RATINGS = {"+": "👍", "-": "👎"}
CAPABILITIES = Capabilities(max_message_length=4096)
"""Plain text in a terminal: choices numbered, no files, nobody to link to."""


class ConsolePlatform:
    """The `ChatPlatform` port over standard input and output; one person, one direct chat."""

    name = "console"
    capabilities = CAPABILITIES

    def __init__(self, user: str = "local", reader: TextIO | None = None, writer: TextIO | None = None) -> None:
        self._person = PersonId(f"console:{user}")
        self._chat = Chat(ChatId(f"console:{user}"), is_direct=True)
        self._reader = reader or sys.stdin
        self._writer = writer or sys.stdout
        self._interactive = self._reader.isatty()
        self._last_feedback: dict[str, str] = {}
        self._last_choices: list[str] = []
        self._task: asyncio.Task[None] | None = None
        self._count = 0

    async def initialize(self) -> None:
        pass

    async def start(self, conversation: Conversation) -> None:
        self._task = asyncio.create_task(self._chat_loop(conversation))

    async def send(
        self, to: ChatId | PersonId, reply: Reply, key: str | None = None, invite: Sequence[PersonId] = ()
    ) -> None:
        self._write(f"[{to}]")
        self._show(reply)

    async def wait_stopped(self) -> None:
        if self._task is not None:
            await asyncio.shield(self._task)

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def shutdown(self) -> None:
        pass

    async def _chat_loop(self, conversation: Conversation) -> None:
        while True:
            if self._interactive:
                self._writer.write("> ")
                self._writer.flush()
            line = await asyncio.to_thread(self._reader.readline)
            if not line:
                return
            text = line.rstrip("\n")
            if not text.strip():
                continue
            for reply in await conversation.handle(self._message(text.strip())):
                self._show(reply)

    def _message(self, text: str) -> IncomingMessage:
        self._count += 1
        sender = Sender(self._person, display_name=self._person.partition(":")[2])
        action = self._last_feedback.get(RATINGS.get(text, ""))
        if action is None and text.isdigit() and 1 <= int(text) <= len(self._last_choices):
            action = self._last_choices[int(text) - 1]
        if action is not None:
            return IncomingMessage(sender, self._chat, action=action, message_id=str(self._count))
        return IncomingMessage(sender, self._chat, text=text, message_id=str(self._count))

    def _show(self, reply: Reply) -> None:
        """Print a reply; its numbered choices are what a typed number picks next."""
        if reply.choices:
            self._last_choices = [choice.action for choice in reply.choices]
        lines = [markdown_to_plain(reply.text)]
        lines.extend(f"  {number}) {choice.label}" for number, choice in enumerate(reply.choices, start=1))
        if reply.attachment is not None:
            lines.append(_attachment(reply.attachment))
        if reply.feedback:
            self._last_feedback = {choice.label: choice.action for choice in reply.feedback}
            lines.append("  " + "   ".join(f"[{key}] {label}" for key, label in RATINGS.items()))
        self._write("\n".join(lines) + "\n")

    def _write(self, text: str) -> None:
        self._writer.write(text + "\n")
        self._writer.flush()


def _attachment(attachment: Attachment) -> str:
    """A text file is shown in full (a calendar entry can be copied from the terminal)."""
    heading = f"📎 {attachment.filename} ({len(attachment.data)} bytes)"
    if attachment.media_type.startswith("text/"):
        return heading + "\n" + attachment.data.decode("utf-8", errors="replace").rstrip()
    return heading
