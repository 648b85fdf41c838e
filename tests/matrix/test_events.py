"""Reading room messages: commands, mentions, reply fallbacks and who may invite Lotse."""

from __future__ import annotations

from adapters.matrix.events import Addressing, as_command, may_invite, strip_mention, strip_reply_fallback

LOTSE = Addressing("@lotse:example.org", "Lotse", "!lotse", frozenset({"lang", "help"}))


def test_prefix_commands() -> None:
    assert as_command("!lotse lang en", LOTSE) == "/lang en"
    assert as_command("!LOTSE help", LOTSE) == "/help"
    assert as_command("!lotse", LOTSE) == "/help"
    assert as_command("!lotse Was ist die BundID?", LOTSE) == "Was ist die BundID?"
    assert as_command("!lotsen sind toll", LOTSE) is None
    assert as_command("Hallo", LOTSE) is None


def test_mentions_are_removed() -> None:
    assert strip_mention("Lotse: was ist BITV?", LOTSE) == "was ist BITV?"
    assert strip_mention("@lotse:example.org, hilf mir", LOTSE) == "hilf mir"
    assert strip_mention("Frage an @lotse bitte", LOTSE) == "Frage an bitte"
    assert strip_mention("Lotsen-Treffen", LOTSE) == "Lotsen-Treffen"


def test_reply_fallback_is_dropped() -> None:
    assert strip_reply_fallback("> <@lotse:example.org> Antwort\n> mehr\n\nund weiter?") == "und weiter?"
    assert strip_reply_fallback("keine Antwort") == "keine Antwort"


def test_invitations_from_own_server_by_default_or_as_configured() -> None:
    assert may_invite("@anna:example.org", [], "example.org")
    assert not may_invite("@eve:evil.example", [], "example.org")
    assert may_invite("@eve:partner.example", ["*:partner.example"], "example.org")
    assert may_invite("@boss:other.example", ["@boss:other.example"], "example.org")
    assert not may_invite("@anna:example.org", ["@boss:other.example"], "example.org")
