"""Rendering replies as Matrix content, without a homeserver."""

from __future__ import annotations

from adapters.matrix.rendering import choice_for_reaction, keycap_number, render_reply, sanitise_html
from bot.messages import Choice, Reply

FEEDBACK = (Choice("👍", "up"), Choice("👎", "down"))


def test_sanitiser_removes_scripts_handlers_images_and_unsafe_links() -> None:
    dirty = (
        '<p onclick="x()">Hi<script>alert(1)</script><img src=x onerror=alert(2)>'
        '<a href="javascript:alert(3)">Bank</a><a href="data:text/html,x">Daten</a>'
        '<a href="https://example.org">ok</a><iframe src="https://evil.example"></iframe></p>'
    )

    clean = sanitise_html(dirty)

    assert clean == (
        '<p>Hi<a rel="noopener noreferrer">Bank</a><a rel="noopener noreferrer">Daten</a>'
        '<a href="https://example.org" rel="noopener noreferrer">ok</a></p>'
    )


def test_a_reply_is_a_notice_with_html_plain_text_and_a_rich_reply_in_a_thread() -> None:
    content = render_reply(
        Reply("**Fett** und [Link](https://example.org)"), in_reply_to="$q", thread_root="$root", mention="@a:x"
    )

    assert content["msgtype"] == "m.notice"
    assert content["body"] == "Fett und Link (https://example.org)"
    assert content["formatted_body"] == (
        '<p><strong>Fett</strong> und <a href="https://example.org" rel="noopener noreferrer">Link</a></p>'
    )
    assert content["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$root",
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": "$q"},
    }
    assert content["m.mentions"] == {"user_ids": ["@a:x"]}


def test_choices_are_numbered_with_keycaps_and_labels_are_escaped() -> None:
    reply = Reply("Meinten Sie:", choices=(Choice("<b>A</b>", "a"), Choice("B", "b")))

    content = render_reply(reply)

    assert content["body"] == "Meinten Sie:\n\n1️⃣ <b>A</b>\n2️⃣ B"
    assert content["formatted_body"].endswith("<p>1️⃣ &lt;b&gt;A&lt;/b&gt;<br>2️⃣ B</p>")


def test_reactions_pick_choices_by_keycap_and_feedback_by_emoji() -> None:
    choices = (Choice("A", "a"), Choice("B", "b"))

    assert keycap_number("2️⃣") == 2
    assert keycap_number("2\u20e3") == 2
    assert keycap_number("🔟") == 10
    assert choice_for_reaction("2️⃣", choices, FEEDBACK) == choices[1]
    assert choice_for_reaction("3️⃣", choices, FEEDBACK) is None
    assert choice_for_reaction("👍🏽", choices, FEEDBACK) == FEEDBACK[0]
    assert choice_for_reaction("👎️", (), FEEDBACK) == FEEDBACK[1]
    assert choice_for_reaction("🎉", choices, FEEDBACK) is None
