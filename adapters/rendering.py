"""The core's Markdown subset turned into HTML or plain text, for adapters to render replies."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def parse(markdown: str) -> list[Token]:
    """The token stream of `markdown`; raw HTML in it is treated as text, never as markup."""
    return _PARSER.parse(markdown)


def markdown_to_html(markdown: str) -> str:
    """CommonMark HTML with any HTML the input contained escaped."""
    return str(_PARSER.render(markdown)).strip()


def markdown_to_plain(markdown: str) -> str:
    """Readable plain text: markup dropped, links as `label (url)`, list items as `• ` or numbered lines."""
    return "\n\n".join(_blocks(parse(markdown))).strip()


def _blocks(tokens: list[Token]) -> list[str]:
    blocks: list[str] = []
    list_items: list[str] = []
    # Per open list, the number of its next item (None for bullets): a list answered by number shows its numbers.
    numbers: list[int | None] = []
    for token in tokens:
        if token.type == "bullet_list_open":
            numbers.append(None)
        elif token.type == "ordered_list_open":
            numbers.append(int(token.attrGet("start") or 1))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            numbers.pop()
            if not numbers:
                blocks.append("\n".join(list_items))
                list_items = []
        elif token.type == "inline":
            text = _inline_plain(token.children or [])
            if numbers and (number := numbers[-1]) is not None:
                list_items.append(f"{number}. {text}")
                numbers[-1] = number + 1
            elif numbers:
                list_items.append(f"• {text}")
            else:
                blocks.append(text)
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.rstrip("\n"))
    return blocks


def _inline_plain(children: list[Token]) -> str:
    parts: list[str] = []
    href_stack: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "link_open":
            href_stack.append(str(child.attrGet("href") or ""))
        elif child.type == "link_close":
            href = href_stack.pop() if href_stack else ""
            if href and not "".join(parts).endswith(href):
                parts.append(f" ({href})")
        elif child.type == "html_inline":
            parts.append(child.content)
    return "".join(parts)
