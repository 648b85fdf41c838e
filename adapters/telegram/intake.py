"""Raw updates, checked one by one before python-telegram-bot reads them.

PTB parses a whole getUpdates batch at once and trusts its shapes, so one malformed update (a
`message` that is not an object, a text with a lone surrogate) would fail the batch and, since
the offset could not move past it, every restart after it. Here each update either becomes an
`Update` or a `Poison` with the reason, which the poller logs once and skips.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot, Update

ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
LONGEST_TEXT = 4096
"""Telegram's own limit for a message text; anything longer did not come from Telegram."""
LONGEST_FIELD = 10_000


@dataclass(frozen=True)
class Poison:
    """An update Lotse cannot read; `update_id` is None when even that is missing."""

    update_id: int | None
    reason: str


Check = Callable[[dict[str, Any]], str | None]


def read(raw: object, bot: Bot) -> Update | Poison:
    """The update, or why it is skipped."""
    if not isinstance(raw, dict):
        return Poison(None, f"the update is a {type(raw).__name__}, not an object")
    update_id = raw.get("update_id")
    if not _is_int(update_id):
        return Poison(None, "the update has no numeric update_id")
    reason = problem(raw)
    if reason is not None:
        return Poison(update_id, reason)
    try:
        update = Update.de_json(raw, bot)
    except Exception as error:
        return Poison(update_id, f"python-telegram-bot could not read it: {error!r}")
    return update


def problem(raw: dict[str, Any]) -> str | None:
    """What makes this update unreadable, or None."""
    kinds = [kind for kind in raw if kind != "update_id"]
    known = [kind for kind in kinds if kind in _CHECKS]
    if not known:
        return f"unknown update type ({', '.join(sorted(kinds)) or 'none'})"
    for kind in known:
        payload = raw[kind]
        if not isinstance(payload, dict):
            return f"`{kind}` is a {type(payload).__name__}, not an object"
        if (reason := _CHECKS[kind](payload)) is not None:
            return f"`{kind}`: {reason}"
    return _bad_strings(raw)


def chat_key(raw: dict[str, Any]) -> int:
    """The chat an update belongs to (for a tap without a message: the person); its lane."""
    for kind in ALLOWED_UPDATES:
        payload = raw.get(kind)
        if not isinstance(payload, dict):
            continue
        holder = payload.get("message") if kind == "callback_query" else payload
        if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
            return int(holder["chat"]["id"])
        if isinstance(payload.get("from"), dict):
            return int(payload["from"]["id"])
    return 0


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bad_strings(value: object) -> str | None:
    """Lone surrogates or overlong fields anywhere in the update (control characters are the core's)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "a text is not valid Unicode (a lone surrogate)"
        if len(value) > LONGEST_FIELD:
            return f"a field is {len(value)} characters long"
        return None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        if (reason := _bad_strings(item)) is not None:
            return reason
    return None


def _user(value: object, field: str) -> str | None:
    if not isinstance(value, dict):
        return f"`{field}` is not an object"
    if not _is_int(value.get("id")) or not isinstance(value.get("is_bot"), bool):
        return f"`{field}` lacks a numeric id or is_bot"
    if not isinstance(value.get("first_name"), str):
        return f"`{field}` lacks a first_name"
    return None


def _chat(value: object) -> str | None:
    if not isinstance(value, dict) or not _is_int(value.get("id")) or not isinstance(value.get("type"), str):
        return "`chat` lacks a numeric id or a type"
    return None


def _message(message: dict[str, Any], nested: bool = False) -> str | None:
    if not _is_int(message.get("message_id")) or not _is_int(message.get("date")):
        return "no numeric message_id or date"
    if (reason := _chat(message.get("chat"))) is not None:
        return reason
    if "from" in message and (reason := _user(message["from"], "from")) is not None:
        return reason
    text = message.get("text")
    if text is not None and not isinstance(text, str):
        return f"`text` is a {type(text).__name__}"
    if isinstance(text, str) and len(text) > LONGEST_TEXT:
        return f"`text` has {len(text)} characters, more than Telegram allows"
    entities = message.get("entities", [])
    if not isinstance(entities, list) or not all(
        isinstance(e, dict) and isinstance(e.get("type"), str) and _is_int(e.get("offset")) and _is_int(e.get("length"))
        for e in entities
    ):
        return "malformed `entities`"
    if "message_thread_id" in message and not _is_int(message["message_thread_id"]):
        return "`message_thread_id` is not a number"
    replied = message.get("reply_to_message")
    if replied is not None:
        if not isinstance(replied, dict) or not _is_int(replied.get("message_id")):
            return "malformed `reply_to_message`"
        if not nested and (reason := _message(replied, nested=True)) is not None:
            return f"`reply_to_message`: {reason}"
    return None


def _callback_query(query: dict[str, Any]) -> str | None:
    if not isinstance(query.get("id"), str):
        return "no query id"
    if (reason := _user(query.get("from"), "from")) is not None:
        return reason
    if "data" in query and not isinstance(query["data"], str):
        return "`data` is not a text"
    if "message" in query:
        if not isinstance(query["message"], dict):
            return "`message` is not an object"
        if (reason := _message(query["message"], nested=True)) is not None:
            return f"`message`: {reason}"
    return None


def _chat_member(update: dict[str, Any]) -> str | None:
    if (reason := _chat(update.get("chat"))) is not None:
        return reason
    if (reason := _user(update.get("from"), "from")) is not None:
        return reason
    if not _is_int(update.get("date")):
        return "no numeric date"
    for field in ("old_chat_member", "new_chat_member"):
        member = update.get(field)
        if not isinstance(member, dict) or not isinstance(member.get("status"), str):
            return f"`{field}` lacks a status"
        if (reason := _user(member.get("user"), f"{field}.user")) is not None:
            return reason
    return None


_CHECKS: dict[str, Check] = {
    "message": _message,
    "callback_query": _callback_query,
    "my_chat_member": _chat_member,
}
