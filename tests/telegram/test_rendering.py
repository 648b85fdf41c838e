"""Replies as Telegram shows them: the HTML subset, escaping, long replies, odd Unicode."""

from __future__ import annotations

from adapters.telegram.platform import TelegramPlatform
from adapters.telegram.rendering import LIMIT, split, to_html, to_plain, utf16_len
from tests.support.telegram_api import FakeBotApi, ScriptedConversation, parse_telegram_html


def test_the_markdown_subset_becomes_telegram_html() -> None:
    markdown = "**Fett**, *kursiv*, `code`, [Link](https://example.org/?a=1&b=\"2\")\n\n- eins\n- zwei"
    assert to_html(markdown) == (
        '<b>Fett</b>, <i>kursiv</i>, <code>code</code>, <a href="https://example.org/?a=1&amp;b=%222%22">Link</a>'
        "\n\n• eins\n• zwei"
    )


def test_raw_html_and_unsafe_links_stay_text() -> None:
    html = to_html('<script>x</script> & <a href="https://evil.example">hier</a> [x](javascript:alert(1))')
    assert html == (
        "&lt;script&gt;x&lt;/script&gt; &amp; &lt;a href=\"https://evil.example\"&gt;hier&lt;/a&gt; "
        "[x](javascript:alert(1))"
    )
    parse_telegram_html(html)


def test_plain_text_keeps_the_link_target() -> None:
    assert to_plain("Siehe **[BSI](https://bsi.bund.de)**\n\n- a") == "Siehe BSI (https://bsi.bund.de)\n\n• a"


def test_long_text_is_split_at_paragraphs_into_pieces_telegram_accepts() -> None:
    paragraphs = [f"Absatz {n}: " + "Wort & <Zeichen> " * 60 + "Ende." for n in range(20)]
    pieces = split("\n\n".join(paragraphs))
    assert len(pieces) > 1
    assert all(utf16_len(to_html(piece)) <= LIMIT for piece in pieces)
    assert all(piece.startswith("Absatz") for piece in pieces)
    assert "\n\n".join(pieces) == "\n\n".join(paragraphs)


def test_a_single_huge_paragraph_is_cut_between_words() -> None:
    pieces = split("😀 " * 5000)
    assert all(utf16_len(parse_telegram_html(to_html(piece))) <= LIMIT for piece in pieces)
    assert "".join(pieces).count("😀") == 5000


async def test_a_9000_character_answer_comes_in_several_messages_with_buttons_on_the_last(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    """Telegram takes at most 4096 characters from a member; the answer itself may be longer."""
    answer = "Verwaltung digital & sicher. " * 310
    await api.user_says("repeat:310:Verwaltung digital & sicher. ")
    sent = await api.wait_for("sendMessage", count=3)
    assert "reply_markup" not in sent[0].params and "reply_markup" in sent[-1].params
    assert "".join(call.result["text"] for call in sent).replace(" ", "") == answer.replace(" ", "")


async def test_odd_unicode_survives_and_control_characters_are_dropped(
    api: FakeBotApi, lotse: TelegramPlatform, conversation: ScriptedConversation
) -> None:
    text = "مرحبا שלום \u200bnull\u200d 👩‍👩‍👧 🇩🇪 e\u0301 \x00\x07\x1b Ende"
    await api.user_says(text)
    [reply] = await api.wait_for("sendMessage")
    assert conversation.handled[0].text == text
    shown = reply.result["text"]
    assert "مرحبا שלום \u200bnull\u200d 👩‍👩‍👧 🇩🇪 e\u0301" in shown
    assert not any(char in shown for char in "\x00\x07\x1b")


async def test_when_telegram_cannot_parse_the_html_the_reply_is_sent_as_plain_text(
    api: FakeBotApi, lotse: TelegramPlatform
) -> None:
    api.fail("sendMessage", 400, description="Bad Request: can't parse entities: Unsupported start tag")
    await api.user_says("/start")
    [plain] = await api.wait_for("sendMessage")
    assert plain.params["text"] == "Willkommen bei Lotse!"
    assert "parse_mode" not in plain.params
