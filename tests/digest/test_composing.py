"""What a digest says: filtered by tags, members' topics first, compact, within the message limit."""

from datetime import UTC, datetime

from adapters.rendering import markdown_to_plain
from bot.features.digest.composing import Audience, Content, compose, select
from bot.features.digest.model import Event, Occurrence, Resource

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def resource(number: int, *tags: str) -> Resource:
    return Resource(number, f"Leitfaden {number}", f"https://example.org/{number}", "Kurz gefasst.", tags,
                    added_at=NOW)


def test_a_room_with_tags_gets_only_items_on_those_tags() -> None:
    content = Content(resources=(resource(1, "barrierefreiheit"), resource(2, "it-sicherheit")))
    sections = select(content, Audience("room:console:r", "console:r", "de", frozenset({"barrierefreiheit"})))
    assert [r.id for r in sections.resources] == [1]


def test_a_members_topics_come_first_in_a_section_of_their_own() -> None:
    content = Content(resources=(resource(1, "open-data"), resource(2, "funding")))
    audience = Audience("member:console:a", "console:a", "de", topics=frozenset({"funding"}), is_member=True)
    text = compose(select(content, audience), audience, "2026-W48", 4)
    assert text.index("Zu Ihren Themen") < text.index("Leitfaden 2") < text.index("Neue Materialien")
    assert text.index("Neue Materialien") < text.index("Leitfaden 1")


def test_a_long_digest_is_shortened_with_a_pointer_to_the_rest() -> None:
    content = Content(resources=tuple(resource(n) for n in range(200)))
    audience = Audience("room:telegram:-1", "telegram:-1", "en", limit=4096)
    text = compose(select(content, audience), audience, "2026-W48", 4)
    assert len(text) <= 4096
    assert "… and 188 more: `/resources`" in text
    assert text.startswith("**Lotse digest** · week 48, 2026")


def test_events_are_listed_with_date_time_and_place() -> None:
    event = Event(1, "u", "Runder Tisch", datetime(2026, 11, 30, 17, 0, tzinfo=UTC), place="Rathaus")
    content = Content(occurrences=(Occurrence(event, event.starts_at, None),))
    audience = Audience("room:console:r", "console:r", "de")
    text = compose(select(content, audience), audience, "2026-W48", 4)
    assert "- **Mo., 30.11.2026, 18:00 Uhr** Runder Tisch · Rathaus" in text


def test_feed_titles_cannot_break_the_markup() -> None:
    content = Content(resources=(Resource(1, "*Neu* [Beta]", "https://example.org/a b"),))
    audience = Audience("room:console:r", "console:r", "de")
    text = compose(select(content, audience), audience, "2026-11", 4)
    assert "- [\\*Neu\\* \\[Beta\\]](https://example.org/a%20b)" in text
    assert "• *Neu* [Beta] (https://example.org/a%20b)" in markdown_to_plain(text), "shown as the feed wrote it"
