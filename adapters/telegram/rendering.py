"""The core's Markdown subset as Telegram HTML (b, i, code, pre, a, blockquote) or plain text.

Everything taken from the text is escaped, so nothing a member or moderator wrote can become
markup. `split` cuts long replies into pieces that each fit one Telegram message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from markdown_it.token import Token

from adapters.rendering import parse

LIMIT = 4096
"""Telegram's maximum message length, in UTF-16 code units."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINK_SCHEMES = ("http://", "https://", "mailto:", "tg://")
_CONTAINERS = {"bullet_list", "ordered_list", "list_item", "blockquote"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def to_html(markdown: str) -> str:
    return _render(markdown, markup=True)


def to_plain(markdown: str) -> str:
    return _render(markdown, markup=False)


def split(markdown: str, limit: int = LIMIT) -> list[str]:
    """Markdown pieces whose HTML fits `limit`: cut at paragraphs, then lines, then anywhere."""
    text = _clean(markdown).strip()
    if utf16_len(to_html(text)) <= limit:
        return [text]
    blocks = [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    pieces = [piece for block in blocks for piece in _fit(block, limit)]
    return _pack(pieces, "\n\n", limit) or [""]


def _fit(block: str, limit: int) -> list[str]:
    if utf16_len(to_html(block)) <= limit:
        return [block]
    lines = [line for line in block.split("\n") if line.strip()]
    if len(lines) > 1:
        return _pack([piece for line in lines for piece in _fit(line, limit)], "\n", limit)
    return _cut(block, limit)


def _cut(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    while text:
        size = len(text)
        while (rendered := utf16_len(to_html(text[:size]))) > limit:
            size = max(1, min(size - 1, int(size * limit / rendered * 0.95)))
        space = text.rfind(" ", size // 2, size) if size < len(text) else -1
        end = space + 1 if space > 0 else size
        pieces.append(text[:end])
        text = text[end:]
    return pieces


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    packed: list[str] = []
    for piece in pieces:
        if packed and utf16_len(to_html(candidate := packed[-1] + separator + piece)) <= limit:
            packed[-1] = candidate
        else:
            packed.append(piece)
    return packed


def _clean(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


@dataclass
class _Frame:
    kind: str
    items: list[str] = field(default_factory=list)
    number: int = 1


@lru_cache(maxsize=512)
def _render(markdown: str, markup: bool) -> str:
    """Cached: the same answer goes to many members, and `split` measures pieces it renders again."""
    stack = [_Frame("root")]
    heading = False
    for token in parse(_clean(markdown)):
        kind = token.type.removesuffix("_open").removesuffix("_close")
        if token.type.endswith("_open") and kind in _CONTAINERS:
            stack.append(_Frame(kind, number=int(token.attrGet("start") or 1)))
        elif token.type.endswith("_close") and kind in _CONTAINERS:
            frame = stack.pop()
            stack[-1].items.append(_close(frame, stack[-1], markup))
        elif token.type == "heading_open":
            heading = True
        elif token.type == "inline":
            text = _inline(token.children or [], markup)
            stack[-1].items.append(f"<b>{text}</b>" if heading and markup else text)
            heading = False
        elif token.type in ("code_block", "fence"):
            code = escape(token.content.rstrip("\n"), quote=False) if markup else token.content.rstrip("\n")
            stack[-1].items.append(f"<pre>{code}</pre>" if markup else code)
        elif token.type == "hr":
            stack[-1].items.append("———")
    return "\n\n".join(item for item in stack[0].items if item).strip()


def _close(frame: _Frame, parent: _Frame, markup: bool) -> str:
    if frame.kind == "list_item":
        marker = f"{parent.number}. " if parent.kind == "ordered_list" else "• "
        parent.number += 1
        body = "\n".join(frame.items).replace("\n", "\n" + " " * len(marker))
        return marker + body
    if frame.kind == "blockquote":
        body = "\n\n".join(frame.items)
        if markup:
            return f"<blockquote>{body}</blockquote>"
        return "\n".join(f"> {line}" for line in body.split("\n"))
    return "\n".join(frame.items)


def _inline(children: list[Token], markup: bool) -> str:
    parts: list[str] = []
    links: list[tuple[str | None, int]] = []
    tags = {"strong": "b", "em": "i", "s": "s"}
    for child in children:
        kind = child.type.removesuffix("_open").removesuffix("_close")
        if child.type in ("text", "html_inline"):
            parts.append(escape(child.content, quote=False) if markup else child.content)
        elif child.type == "code_inline":
            parts.append(f"<code>{escape(child.content, quote=False)}</code>" if markup else child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif kind in tags:
            if markup:
                parts.append(f"<{'/' if child.type.endswith('_close') else ''}{tags[kind]}>")
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
            safe = href if href.startswith(_LINK_SCHEMES) else None
            if markup and safe:
                parts.append(f'<a href="{escape(safe, quote=True)}">')
            links.append((safe, len(parts)))
        elif child.type == "link_close":
            safe, start = links.pop() if links else (None, 0)
            if safe and markup:
                parts.append("</a>")
            elif safe and "".join(parts[start:]) != safe:
                parts.append(f" ({safe})")
        elif child.type == "image":
            parts.append(escape(child.content, quote=False) if markup else child.content)
    return "".join(parts)
