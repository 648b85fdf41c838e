"""A core `Reply` as Matrix message content: an `m.notice` with sanitised HTML and a plain body.

The core's Markdown becomes HTML through `adapters.rendering`, which escapes raw HTML already;
the result is still passed through nh3 restricted to the tags and URL schemes the Matrix
specification allows in `org.matrix.custom.html`, so nothing a question smuggled into an answer
can reach a member's client as markup. Choices become a numbered list with keycap emoji, which a
member can answer by number or by reacting with the same keycap.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

import nh3

from adapters.rendering import markdown_to_html, markdown_to_plain
from bot.messages import Choice, Reply

KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")

ALLOWED_TAGS = {
    "font", "del", "s", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "p", "a", "ul", "ol",
    "sup", "sub", "li", "b", "i", "u", "strong", "em", "strike", "code", "hr", "br", "div",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "pre", "span", "details", "summary",
}  # fmt: skip
"""The HTML the Matrix spec allows in messages, less `img` (it would load remote content)."""

ALLOWED_ATTRIBUTES = {"a": {"href", "target"}, "ol": {"start"}, "code": {"class"}}
ALLOWED_SCHEMES = {"https", "http", "mailto", "matrix"}
_STRIPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

_SKIN_TONES = re.compile("[\U0001f3fb-\U0001f3ff]")


def sanitise_html(fragment: str) -> str:
    """Only Matrix-allowed markup with safe link targets; dangerous elements lose their content."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        clean_content_tags=_STRIPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        url_relative="deny",
    )


def number_label(index: int) -> str:
    """The marker for choice number `index` (from 1): a keycap emoji up to 10, else `11.`."""
    return KEYCAPS[index - 1] if 1 <= index <= len(KEYCAPS) else f"{index}."


def render_reply(
    reply: Reply,
    *,
    in_reply_to: str | None = None,
    thread_root: str | None = None,
    mention: str | None = None,
) -> dict[str, Any]:
    """The content of the `m.room.message` event that carries `reply`."""
    body = markdown_to_plain(reply.text)
    formatted = sanitise_html(markdown_to_html(reply.text))
    if reply.choices:
        lines = [(number_label(i), choice.label) for i, choice in enumerate(reply.choices, start=1)]
        body = "\n\n".join(part for part in (body, "\n".join(f"{n} {label}" for n, label in lines)) if part)
        items = "<br>".join(f"{n} {html.escape(label)}" for n, label in lines)
        formatted = f"{formatted}<p>{items}</p>"
    content: dict[str, Any] = {
        "msgtype": "m.notice",
        "body": body,
        "format": "org.matrix.custom.html",
        "formatted_body": formatted,
        "m.mentions": {"user_ids": [mention]} if mention else {},
    }
    relation: dict[str, Any] = {}
    if thread_root:
        relation = {"rel_type": "m.thread", "event_id": thread_root, "is_falling_back": True}
    if in_reply_to:
        relation["m.in_reply_to"] = {"event_id": in_reply_to}
    if relation:
        content["m.relates_to"] = relation
    return content


def reaction_content(event_id: str, key: str) -> dict[str, Any]:
    """An `m.reaction` annotating `event_id` with `key` (Lotse offers its choices this way)."""
    return {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}


def _normalise_emoji(key: str) -> str:
    text = unicodedata.normalize("NFC", key).replace("\ufe0f", "").replace("\ufe0e", "")
    return _SKIN_TONES.sub("", text).strip()


def keycap_number(key: str) -> int | None:
    """1 for "1️⃣" (with or without the variation selector), 10 for "🔟", else None."""
    text = _normalise_emoji(key)
    if text == "🔟":
        return 10
    if len(text) == 2 and text[1] == "\u20e3" and text[0] in "123456789":
        return int(text[0])
    return None


def choice_for_reaction(key: str, choices: tuple[Choice, ...], feedback: tuple[Choice, ...]) -> Choice | None:
    """The choice a reaction picks: a keycap selects by number, 👍/👎 match feedback labels."""
    number = keycap_number(key)
    if number is not None:
        return choices[number - 1] if number <= len(choices) else None
    wanted = _normalise_emoji(key)
    for choice in feedback:
        if _normalise_emoji(choice.label) == wanted:
            return choice
    return None
