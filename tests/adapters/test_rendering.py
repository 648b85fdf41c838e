"""Rendering the core's Markdown subset for platforms."""

from adapters.rendering import markdown_to_html, markdown_to_plain

SAMPLE = "Use **2FA** and *backups*: see [BSI](https://www.bsi.bund.de).\n\n- one\n- two"


def test_html_keeps_emphasis_links_and_lists() -> None:
    assert markdown_to_html(SAMPLE) == (
        '<p>Use <strong>2FA</strong> and <em>backups</em>: see <a href="https://www.bsi.bund.de">BSI</a>.</p>\n'
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


def test_html_in_the_input_is_escaped_not_rendered() -> None:
    assert markdown_to_html("<script>alert(1)</script> & <b>x</b>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;</p>"
    )


def test_plain_text_drops_markup_and_shows_link_targets() -> None:
    assert markdown_to_plain(SAMPLE) == "Use 2FA and backups: see BSI (https://www.bsi.bund.de).\n\n• one\n• two"
