"""The platform-neutral vocabulary the core speaks, and the ports every chat platform implements.

Adapters translate their platform's updates into `IncomingMessage` and render `Reply` back;
the core never sees a Telegram or Matrix object.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NewType, Protocol

PersonId = NewType("PersonId", str)
"""A platform-qualified person id: `telegram:123456`, `matrix:@anna:example.org`, `console:local`."""

ChatId = NewType("ChatId", str)
"""A platform-qualified chat id: `telegram:-1001234`, `matrix:!room:example.org`, `console:local`."""


def platform_of(qualified_id: str) -> str:
    """The platform part of a platform-qualified id (`telegram` for `telegram:123`)."""
    return qualified_id.partition(":")[0]


def local_part(qualified_id: str) -> str:
    """The platform's own id inside a platform-qualified id (`123` for `telegram:123`)."""
    return qualified_id.partition(":")[2]


_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>&~|])")
"""Characters that start emphasis, code, links, images, autolinks, raw HTML or entities anywhere in a line."""
_NUMBERED = re.compile(r"\d{1,9}(?=[.)])")


def escape_markdown(text: str) -> str:
    """Text someone wrote (a name, a region, a question, a feed's title) as `Reply` Markdown that shows
    exactly that text: no link, emphasis, code, list or heading in it takes effect, and line breaks
    become spaces. Use it wherever such text is shown to someone else."""
    text = _INLINE_MARKUP.sub(r"\\\1", " ".join(text.split()))
    if text[:1] in ("#", ">", "+", "-"):
        return "\\" + text
    numbered = _NUMBERED.match(text)
    if numbered is not None:
        return f"{text[: numbered.end()]}\\{text[numbered.end():]}"
    return text


@dataclass(frozen=True)
class Sender:
    """Who wrote a message. `language_hint` is what the platform knows (Telegram's language_code)."""

    id: PersonId
    display_name: str = ""
    language_hint: str | None = None


@dataclass(frozen=True)
class Chat:
    """Where a message was written. `thread` is a forum topic or Matrix thread root, if any."""

    id: ChatId
    is_direct: bool = True
    thread: str | None = None


@dataclass(frozen=True)
class IncomingMessage:
    """A text addressed to Lotse, or a tap on one of its choices (`action` set, `text` empty).

    Adapters pass only what is meant for Lotse: every text in a direct chat, and in group
    chats only commands, mentions and replies to Lotse, with the mention already removed.
    """

    sender: Sender
    chat: Chat
    text: str = ""
    action: str | None = None
    message_id: str = ""
    received_at: datetime | None = None


@dataclass(frozen=True)
class Choice:
    """One option offered under a reply. `action` is short opaque ASCII (at most 64 bytes)
    that comes back in `IncomingMessage.action` when the person picks it."""

    label: str
    action: str


@dataclass(frozen=True)
class Attachment:
    """A file sent along with a reply, such as an event's calendar entry (`.ics`)."""

    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Reply:
    """What Lotse says. `text` is the core's Markdown subset: paragraphs, `**bold**`, `*italic*`,
    `` `code` ``, `[label](url)` links and `- ` bullet lists.

    `choices` are alternatives to pick one of ("did you mean"): Telegram shows them as an inline
    keyboard, Matrix and the console as a numbered list the person answers with a number.
    `feedback` holds the 👍/👎 ratings offered under an answer (buttons, or reactions on Matrix).
    `replaces_prompt` asks the adapter to turn the message whose choice was tapped into this reply,
    where the platform can edit messages; elsewhere it is sent as a new message.
    `attachment` is a file sent after the text (Telegram document, Matrix `m.file`).
    """

    text: str
    choices: tuple[Choice, ...] = ()
    feedback: tuple[Choice, ...] = ()
    replaces_prompt: bool = False
    attachment: Attachment | None = None


@dataclass(frozen=True)
class Capabilities:
    """What a platform can show and do, declared by its adapter as data the core reads.

    Features shape what they say by these facts instead of knowing platforms by name: how long a
    message may be, whether choices are buttons or a numbered list, whether a reply can carry a file,
    and how to point one member to another.
    """

    max_message_length: int = 4096
    """Characters of one message; longer replies are split by the adapter, digests are shortened."""
    buttons: bool = False
    """Choices are tappable buttons; otherwise they are shown numbered and picked by number."""
    reactions: bool = False
    """Members can react to a message (Matrix 👍/👎), which the adapter turns into actions."""
    files: bool = False
    """`Reply.attachment` arrives as a file the member can save."""
    images: bool = False
    """An attachment with an `image/…` media type is shown as a picture."""
    edits: bool = False
    """`Reply.replaces_prompt` edits the message whose choice was tapped."""
    rooms: bool = False
    """`ChatPlatform.send` with `invite` opens a new room with those people."""
    person_link: str = ""
    """A Markdown link target reaching a person, `{local}` standing for the platform's own id
    (`https://matrix.to/#/{local}`); empty where people cannot be linked."""
    person_label: str = "{local}"
    """How that link reads, with the same `{local}`."""
    terminal: bool = False
    """A terminal chat: ratings are typed as `+` and `-`, and `/quit` ends the chat."""
    idempotent_sends: bool = False
    """`ChatPlatform.send` with the same `key` never posts twice (Matrix transaction ids). Where it
    cannot, the outbox sends each row at most once: a row whose send was cut off by a crash is not
    sent again on its own but reported, and an operator can requeue it."""


CHOICES_VALID_FOR = timedelta(minutes=30)
"""How long a number typed as an answer picks from the choices last offered; after that, or once
newer choices are shown, the number picks nothing (a "1" twenty messages later is no answer)."""

PLAIN_CAPABILITIES = Capabilities()
"""What any platform can do: plain messages of Telegram's length, no buttons, files or links."""


@dataclass(frozen=True)
class Command:
    """A command Lotse understands, for a platform's command menu (Telegram's setMyCommands)."""

    name: str
    description: dict[str, str] = field(default_factory=dict)
    """Per language code (`de`, `en`)."""
    moderators_only: bool = False
    """Left out of members' help and of platform command menus."""


class Conversation(Protocol):
    """The core as an adapter sees it: one message in, the replies out. Never raises."""

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]: ...

    def commands(self) -> Sequence[Command]: ...


class ChatPlatform(Protocol):
    """The port every chat platform adapter implements, with python-telegram-bot's four-step lifecycle.

    `start` begins receiving and returns once the adapter runs in the background; messages go to
    the `Conversation` and its replies back to the chat they came from. `send` delivers what Lotse
    says on its own (digests, notices) to a chat or a person, respecting the platform's rate limits;
    where the platform can deduplicate (Matrix transaction ids), the same `key` never posts twice.
    With `invite`, the reply opens a new room with `to` and those people where the platform can
    create rooms (Matrix: an introduction); elsewhere it goes to `to` alone.
    `initialize` and `wait_stopped` raise `PlatformStopped` when the platform refuses Lotse for good;
    any other exception from them is a failure the process restarts the adapter for, with a fresh
    instance and backoff (`bot.supervisor`), so raise that for what a restart may cure.
    """

    name: str
    capabilities: Capabilities

    async def initialize(self) -> None: ...

    async def start(self, conversation: Conversation) -> None: ...

    async def send(
        self, to: ChatId | PersonId, reply: Reply, key: str | None = None, invite: Sequence[PersonId] = ()
    ) -> None: ...

    async def wait_stopped(self) -> None:
        """Return when the adapter stopped on its own; raise `PlatformStopped` if it had to give up."""
        ...

    async def stop(self) -> None: ...

    async def shutdown(self) -> None: ...


class PlatformState(Protocol):
    """Small durable values an adapter keeps across restarts (update offset, sync token, device id)."""

    async def get(self, key: str) -> str | None: ...

    async def put(self, key: str, value: str) -> None: ...


class RecipientUnreachable(Exception):
    """A send that can never succeed for this recipient (the bot was blocked, the chat is gone or
    moved, the room forbids Lotse); the outbox fails the row at once instead of retrying it."""


class RecipientElsewhere(Exception):
    """A send this instance cannot make but another may (a console user at another terminal on the
    same database); the outbox leaves the message waiting for them, without counting an attempt."""


class PlatformStopped(Exception):
    """An adapter gave up for a reason retrying cannot fix, such as a revoked token; the message says which."""
