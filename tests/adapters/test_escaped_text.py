"""Text a member wrote, escaped by the core, reaches every platform exactly as written: nothing in it
becomes a link, emphasis, code, a list or a heading."""

import pytest

from adapters.matrix.rendering import render_reply
from adapters.rendering import markdown_to_plain
from adapters.telegram.rendering import to_html, to_plain
from bot.messages import Reply, escape_markdown

WRITTEN = [
    "[Hier klicken](https://evil.example/login)",
    "**Wichtig** und _kursiv_ und `Code`",
    "# Überschrift",
    "- Liste",
    "1. Liste",
    "> Zitat",
    "<b>fett</b> &lt;script&gt; &amp;",
    "<https://evil.example>",
    "![Bild](https://evil.example/x.png)",
    "Frage\\*mit\\\\Backslash",
    "Müller & Söhne (Region: Nord-West) 100% ~ {ok} | #1",
]


@pytest.mark.parametrize("written", WRITTEN)
def test_escaped_text_shows_literally_in_plain_text_telegram_and_matrix(written: str) -> None:
    line = f"Region: {escape_markdown(written)}"
    expected = f"Region: {written}"
    assert markdown_to_plain(line) == expected
    assert to_plain(line) == expected
    assert "<a" not in to_html(line) and "<b>" not in to_html(line) and "<code>" not in to_html(line)
    content = render_reply(Reply(line))
    assert content["body"] == expected
    assert "<a" not in content["formatted_body"] and "<strong>" not in content["formatted_body"]
    assert "<img" not in content["formatted_body"] and "<h1" not in content["formatted_body"]


def test_line_breaks_in_written_text_become_spaces() -> None:
    assert markdown_to_plain(escape_markdown("erste Zeile\n\n- zweite")) == "erste Zeile - zweite"
