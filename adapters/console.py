"""A terminal chat with Lotse, for trying it without any account; scriptable through a pipe.

Choices are shown numbered (answer with the number), ratings as `+` and `-`; this holds for
replies and for what Lotse sends on its own to this terminal's person, such as an introduction
request. A number picks only from the latest choices, and only for `CHOICES_VALID_FOR`. In a
terminal, lines are edited and recalled with prompt_toolkit; from a pipe they are read as they come.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from adapters.rendering import markdown_to_plain
from bot.messages import (
    CHOICES_VALID_FOR,
    Attachment,
    Capabilities,
    Chat,
    ChatId,
    Conversation,
    IncomingMessage,
    PersonId,
    RecipientElsewhere,
    Reply,
    Sender,
)

RATINGS = {"+": "👍", "-": "👎"}
CAPABILITIES = Capabilities(max_message_length=4096, terminal=True)
"""Plain text in a terminal: choices numbered, ratings typed, no files, nobody to link to."""
QUIT = frozenset({"/quit", "/exit", "/beenden"})
"""What ends the chat besides the end of input (Ctrl-D)."""


class ConsolePlatform:
    """The `ChatPlatform` port over standard input and output; one person, one direct chat."""

    name = "console"
    capabilities = CAPABILITIES

    def __init__(
        self,
        user: str = "local",
        reader: TextIO | None = None,
        writer: TextIO | None = None,
        greeting: str = "",
        history: Path | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._person = PersonId(f"console:{user}")
        self._chat = Chat(ChatId(f"console:{user}"), is_direct=True)
        self._reader = reader or sys.stdin
        self._writer = writer
        """None: whatever `sys.stdout` is at the time, so messages arriving while prompt_toolkit
        shows the prompt are printed above it instead of through it."""
        self._interactive = self._reader.isatty()
        self._greeting = greeting
        self._history = history
        self._clock = clock
        self._last_feedback: dict[str, str] = {}
        self._last_choices: list[str] = []
        self._choices_at = datetime.min.replace(tzinfo=UTC)
        self._task: asyncio.Task[None] | None = None
        self._count = 0

    async def initialize(self) -> None:
        pass

    async def start(self, conversation: Conversation) -> None:
        self._task = asyncio.create_task(self._chat_loop(conversation))

    async def send(
        self, to: ChatId | PersonId, reply: Reply, key: str | None = None, invite: Sequence[PersonId] = ()
    ) -> None:
        if to not in (self._person, self._chat.id):
            raise RecipientElsewhere(f"{to} is not at this terminal")
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
        if self._greeting:
            self._write(markdown_to_plain(self._greeting) + "\n")
        read = self._line_editor() or self._plain_lines
        while True:
            line = await read()
            if line is None or line.strip().lower() in QUIT:
                return
            text = line.strip()
            if not text:
                continue
            replies = await conversation.handle(self._message(text))
            if not any(reply.choices for reply in replies):
                self._last_choices = []
            for reply in replies:
                self._show(reply)

    async def _plain_lines(self) -> str | None:
        if self._interactive:
            self._out.write("> ")
            self._out.flush()
        line = await asyncio.to_thread(self._reader.readline)
        return line.rstrip("\n") if line else None

    def _line_editor(self) -> Callable[[], Awaitable[str | None]] | None:
        """Line editing and history where a person types at a terminal; None for a pipe or a file."""
        if not self._interactive or self._reader is not sys.stdin:
            return None
        try:
            from prompt_toolkit import PromptSession
            from prompt_toolkit.history import FileHistory, History, InMemoryHistory
            from prompt_toolkit.patch_stdout import patch_stdout
        except ImportError:
            return None
        history: History = InMemoryHistory()
        if self._history is not None:
            with contextlib.suppress(OSError):
                self._history.parent.mkdir(parents=True, exist_ok=True)
                history = FileHistory(str(self._history))
        session: PromptSession[str] = PromptSession(history=history)

        async def read() -> str | None:
            try:
                with patch_stdout():
                    return await session.prompt_async("> ")
            except (EOFError, KeyboardInterrupt):
                return None

        return read

    def _message(self, text: str) -> IncomingMessage:
        self._count += 1
        sender = Sender(self._person, display_name=self._person.partition(":")[2])
        action = self._last_feedback.get(RATINGS.get(text, ""))
        fresh = self._clock() - self._choices_at <= CHOICES_VALID_FOR
        if action is None and fresh and text.isdigit() and 1 <= int(text) <= len(self._last_choices):
            action = self._last_choices[int(text) - 1]
        if action is not None:
            return IncomingMessage(sender, self._chat, action=action, message_id=str(self._count))
        return IncomingMessage(sender, self._chat, text=text, message_id=str(self._count))

    def _show(self, reply: Reply) -> None:
        """Print a reply; its numbered choices are what a typed number picks next."""
        if reply.choices:
            self._last_choices = [choice.action for choice in reply.choices]
            self._choices_at = self._clock()
        lines = [markdown_to_plain(reply.text)]
        lines.extend(f"  {number}) {choice.label}" for number, choice in enumerate(reply.choices, start=1))
        if reply.attachment is not None:
            lines.append(_attachment(reply.attachment))
        if reply.feedback:
            self._last_feedback = {choice.label: choice.action for choice in reply.feedback}
            lines.append("  " + "   ".join(f"[{key}] {label}" for key, label in RATINGS.items()))
        self._write("\n".join(lines) + "\n")

    def _write(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()

    @property
    def _out(self) -> TextIO:
        return self._writer or sys.stdout


def _attachment(attachment: Attachment) -> str:
    """A text file is shown in full (a calendar entry can be copied from the terminal)."""
    heading = f"📎 {attachment.filename} ({len(attachment.data)} bytes)"
    if attachment.media_type.startswith("text/"):
        return heading + "\n" + attachment.data.decode("utf-8", errors="replace").rstrip()
    return heading
