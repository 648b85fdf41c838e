"""Matrix room events read the way the core needs them: who, where, and whether meant for Lotse.

In a direct chat (two members) every text is for Lotse. In a group room only a mention (pill,
intentional mention, user id or display name), a reply to one of Lotse's messages, or the command
prefix is; the mention is removed and `!lotse lang en` becomes `/lang en`. Edits, notices (other
bots) and Lotse's own messages are never for Lotse. Deciding whether a reply points at Lotse's
message may need the homeserver, so that part is left to the caller through `replied_to`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from nio import MatrixRoom, RoomMessageText

from bot.messages import Chat, ChatId, IncomingMessage, PersonId, Sender


@dataclass(frozen=True)
class Addressing:
    """How members address Lotse in a room."""

    user_id: str
    display_name: str
    command_prefix: str
    commands: frozenset[str]
    """Known command names; `!lotse <word>` is a command only for these (all words when empty)."""


def person_id(user_id: str) -> PersonId:
    return PersonId(f"matrix:{user_id}")


def chat_id(room_id: str) -> ChatId:
    return ChatId(f"matrix:{room_id}")


def relation(event: Any) -> dict[str, Any]:
    content = event.source.get("content", {})
    relates = content.get("m.relates_to")
    return relates if isinstance(relates, dict) else {}


def is_edit(event: Any) -> bool:
    content = event.source.get("content", {})
    return relation(event).get("rel_type") == "m.replace" or "m.new_content" in content


def _event_id(value: object) -> str | None:
    """An event id as the spec has it (a string beginning with `$`), or None for anything else."""
    return value if isinstance(value, str) and value.startswith("$") else None


def thread_root(event: Any) -> str | None:
    """The thread the event belongs to; a thread relation without a usable event id counts as none."""
    relates = relation(event)
    return _event_id(relates.get("event_id")) if relates.get("rel_type") == "m.thread" else None


def replied_to(event: Any) -> str | None:
    """The event a rich reply answers; a thread's fallback reply does not count as one."""
    relates = relation(event)
    if relates.get("rel_type") == "m.thread" and relates.get("is_falling_back"):
        return None
    reply = relates.get("m.in_reply_to")
    return _event_id(reply.get("event_id")) if isinstance(reply, dict) else None


def clean_text(text: str) -> str:
    """Text the core can store: NUL bytes dropped, lone surrogates (invalid UTF-16 halves) replaced."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def is_direct(room: MatrixRoom) -> bool:
    """Two members, counting invited ones: a room Lotse shares with exactly one person."""
    return bool(room.member_count <= 2)


def display_name(room: MatrixRoom, user_id: str) -> str:
    user = room.users.get(user_id)
    return (user.display_name if user and user.display_name else None) or user_id


def strip_reply_fallback(body: str) -> str:
    """Drop the quoted `> <@user> …` lines older clients put before the text of a reply."""
    lines = body.splitlines()
    if not lines or not lines[0].startswith("> "):
        return body
    while lines and lines[0].startswith(">"):
        lines.pop(0)
    return "\n".join(lines).strip()


_PILL = re.compile(r'<a\s[^>]*href="https://matrix\.to/#/([^"?]+)[^"]*"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)


def pill_labels(formatted_body: str | None, user_id: str) -> set[str]:
    """The visible texts of pills pointing at `user_id` (a client shows "Lotse" for the pill)."""
    if not formatted_body:
        return set()
    return {
        re.sub(r"<[^>]+>", "", label).strip()
        for target, label in _PILL.findall(formatted_body)
        if unquote(target) == user_id
    }


def _name_pattern(addressing: Addressing, extra: Collection[str] = ()) -> re.Pattern[str]:
    localpart = addressing.user_id[1:].partition(":")[0]
    names = {addressing.user_id, addressing.display_name, localpart, f"@{localpart}", *extra}
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True) if name)
    return re.compile(rf"(?<![\w@])(?:{alternatives})(?![\w])[:,]?", re.IGNORECASE)


def mentions(event: RoomMessageText, addressing: Addressing) -> bool:
    content = event.source.get("content", {})
    intentional = content.get("m.mentions")
    user_ids = intentional.get("user_ids") if isinstance(intentional, dict) else None
    if isinstance(user_ids, list) and addressing.user_id in user_ids:
        return True
    if event.formatted_body and addressing.user_id in unquote(event.formatted_body):
        return True
    return bool(_name_pattern(addressing).search(event.body))


def strip_mention(text: str, addressing: Addressing, pills: Collection[str] = ()) -> str:
    return re.sub(r"\s{2,}", " ", _name_pattern(addressing, pills).sub("", text)).strip(" \t,:")


def as_command(text: str, addressing: Addressing) -> str | None:
    """`!lotse lang en` → `/lang en`; `!lotse <a question>` → the question; None without prefix."""
    prefix = addressing.command_prefix
    if not prefix or not text.lower().startswith(prefix.lower()):
        return None
    rest = text[len(prefix) :]
    if rest and not rest[0].isspace():
        return None
    rest = rest.strip()
    if not rest:
        return "/help"
    word = rest.split(maxsplit=1)[0].lower().lstrip("/")
    if not addressing.commands or word in addressing.commands:
        return "/" + rest.lstrip("/")
    return rest


def message_text(event: RoomMessageText, room: MatrixRoom, addressing: Addressing, *, to_lotse: bool) -> str | None:
    """The text to pass to the core, or None when the message is not meant for Lotse.

    `to_lotse` says the message replies to one of Lotse's messages (the caller found out).
    """
    body = strip_reply_fallback(event.body) if replied_to(event) else event.body
    command = as_command(body.strip(), addressing)
    if command is not None:
        return command
    pills = pill_labels(event.formatted_body, addressing.user_id)
    if is_direct(room):
        return strip_mention(body, addressing, pills) if mentions(event, addressing) else body.strip()
    if mentions(event, addressing):
        stripped = strip_mention(body, addressing, pills)
        return as_command(stripped, addressing) or stripped
    return body.strip() if to_lotse else None


def incoming(
    room: MatrixRoom, event: Any, *, text: str = "", action: str | None = None, thread: str | None = None
) -> IncomingMessage:
    timestamp = getattr(event, "server_timestamp", 0)
    return IncomingMessage(
        sender=Sender(id=person_id(event.sender), display_name=display_name(room, event.sender)),
        chat=Chat(id=chat_id(room.room_id), is_direct=is_direct(room), thread=thread),
        text=clean_text(text),
        action=action,
        message_id=event.event_id,
        received_at=datetime.fromtimestamp(timestamp / 1000, UTC) if timestamp else None,
    )


def inviter(invite_events: list[Any], own_user_id: str) -> str | None:
    """Who invited Lotse, from an invited room's stripped state."""
    for event in invite_events:
        if getattr(event, "state_key", None) == own_user_id and getattr(event, "membership", "") == "invite":
            return str(event.sender)
    return None


def may_invite(user_id: str, allowed: list[str], own_server: str) -> bool:
    """Configured users or `*:server` patterns; with none configured, anyone on Lotse's server."""
    patterns = allowed or [f"*:{own_server}"]
    server = user_id.partition(":")[2]
    for pattern in patterns:
        if pattern == user_id or (pattern.startswith("*:") and pattern[2:] == server) or pattern == "*":
            return True
    return False
