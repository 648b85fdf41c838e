"""What a digest says: pure functions from content and audience to one compact Markdown text.

Readable on a phone means few items per section with a pointer to the rest (`/resources`,
`/events`), one line per item, and a hard cap at the platform's message limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.digest.model import NewAnswer, Occurrence, Resource
from bot.features.digest.phrases import PHRASES
from bot.messages import PLAIN_CAPABILITIES, escape_markdown
from knowledge.entry import Language

SUMMARY_LENGTH = 140
WEEKDAYS = {
    "de": ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
MONTHS = {
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


@dataclass(frozen=True)
class Caps:
    """How many items each section shows before "… and N more"."""

    yours: int = 8
    resources: int = 12
    events: int = 10
    answers: int = 5

    def halved(self) -> Caps:
        return Caps(*(max(1, value // 2) for value in (self.yours, self.resources, self.events, self.answers)))


@dataclass(frozen=True)
class Audience:
    """Who a digest is for. `tags` filter (empty: everything); `topics` (a member's challenges)
    are not a filter but come first, in a section of their own."""

    key: str
    recipient: str
    language: Language
    tags: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    is_member: bool = False
    limit: int = PLAIN_CAPABILITIES.max_message_length
    """Characters the recipient's platform takes in one message (its `Capabilities`)."""
    extra: str = ""
    """A section another feature words for this audience (the Kompass's funding calls), shown before the footer."""


@dataclass(frozen=True)
class Content:
    """What could go into a digest: new resources, upcoming occurrences, new answers."""

    resources: tuple[Resource, ...] = ()
    occurrences: tuple[Occurrence, ...] = ()
    answers: tuple[NewAnswer, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.resources or self.occurrences or self.answers)


@dataclass(frozen=True)
class Sections:
    """A digest's items after filtering, before words."""

    yours: tuple[Resource | Occurrence, ...] = ()
    resources: tuple[Resource, ...] = ()
    occurrences: tuple[Occurrence, ...] = ()
    answers: tuple[NewAnswer, ...] = ()
    item_ids: frozenset[tuple[str, int]] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.yours or self.resources or self.occurrences or self.answers)


def select(content: Content, audience: Audience) -> Sections:
    """The items for `audience`: its tags filter, its topics come first."""
    resources = [r for r in content.resources if _wanted(r.tags, audience.tags)]
    occurrences = [o for o in content.occurrences if _wanted(o.event.tags, audience.tags)]
    answers = tuple(a for a in content.answers if _wanted(a.tags, audience.tags))
    yours: list[Resource | Occurrence] = []
    if audience.topics:
        yours = [r for r in resources if audience.topics.intersection(r.tags)]
        yours += [o for o in occurrences if audience.topics.intersection(o.event.tags)]
        resources = [r for r in resources if not audience.topics.intersection(r.tags)]
        occurrences = [o for o in occurrences if not audience.topics.intersection(o.event.tags)]
    ids = {("resource", r.id) for r in content.resources if _wanted(r.tags, audience.tags)}
    ids |= {("event", o.event.id) for o in content.occurrences if _wanted(o.event.tags, audience.tags)}
    return Sections(tuple(yours), tuple(resources), tuple(occurrences), answers, frozenset(ids))


def compose(sections: Sections, audience: Audience, period_key: str, events_weeks: int,
            caps: Caps = Caps()) -> str:
    """The digest text, halving the section caps until it fits the audience's message limit."""
    while True:
        text = _text(sections, audience, period_key, events_weeks, caps)
        if len(text) <= audience.limit or caps == caps.halved():
            return text[: audience.limit]
        caps = caps.halved()


def _text(sections: Sections, audience: Audience, period_key: str, weeks: int, caps: Caps) -> str:
    lang = audience.language
    say = PHRASES.say
    parts = [say("digest-title", lang, period=period_label(period_key, lang))]
    if sections.is_empty and not audience.extra:
        parts.append(say("nothing-new", lang))
    if sections.yours:
        lines = [item_line(item, lang) for item in sections.yours[: caps.yours]]
        parts.append(_section(say("section-yours", lang), lines, len(sections.yours) - caps.yours,
                              "more-resources", lang))
    if sections.resources:
        lines = [resource_line(r, lang) for r in sections.resources[: caps.resources]]
        parts.append(_section(say("section-resources", lang), lines, len(sections.resources) - caps.resources,
                              "more-resources", lang))
    if sections.occurrences:
        lines = [event_line(o, lang) for o in sections.occurrences[: caps.events]]
        parts.append(_section(say("section-events", lang, weeks=weeks), lines,
                              len(sections.occurrences) - caps.events, "more-events", lang))
    if sections.answers:
        lines = [f"- {plain(a.question, 160)}" for a in sections.answers[: caps.answers]]
        parts.append(_section(say("section-answers", lang), lines, len(sections.answers) - caps.answers,
                              "more-answers", lang))
    if audience.extra:
        parts.append(audience.extra)
    if audience.is_member:
        parts.append(say("member-footer", lang))
    return "\n\n".join(parts)


def _section(heading: str, lines: Sequence[str], more: int, more_key: str, lang: Language) -> str:
    body = list(lines)
    if more > 0:
        body.append(f"- {PHRASES.say(more_key, lang, count=more)}")
    return heading + "\n\n" + "\n".join(body)


def item_line(item: Resource | Occurrence, lang: Language) -> str:
    return resource_line(item, lang) if isinstance(item, Resource) else event_line(item, lang)


def resource_line(resource: Resource, lang: Language) -> str:
    """`- [Title](link) — summary`, with the summary shortened for phones."""
    line = f"- {link(plain(resource.title, 120), resource.link)}"
    if resource.summary:
        line += f" — {plain(resource.summary, SUMMARY_LENGTH)}"
    return line


def event_line(occurrence: Occurrence, lang: Language) -> str:
    """`- **When** [Title](link) · place`."""
    event = occurrence.event
    line = f"- **{when(occurrence, lang)}** {link(plain(event.title, 120), event.link)}"
    if event.place:
        place = event.place.strip()
        line += " · " + (link(place, place) if place.startswith(("https://", "http://")) else plain(place, 80))
    return line


def when(occurrence: Occurrence, lang: Language) -> str:
    """The date and, unless all-day, the time of an occurrence in the event's own time zone."""
    zone = ZoneInfo(occurrence.event.timezone)
    start = occurrence.starts_at.astimezone(zone)
    end = occurrence.ends_at.astimezone(zone) if occurrence.ends_at is not None else None
    if occurrence.event.all_day:
        last = (end - timedelta(days=1)) if end is not None else start
        if last.date() > start.date():
            return f"{_date(start, lang)} – {_date(last, lang)}"
        return _date(start, lang)
    text = f"{_date(start, lang)}, {start:%H:%M}"
    if end is not None:
        text += f"–{end:%H:%M}" if end.date() == start.date() else f" – {_date(end, lang)}, {end:%H:%M}"
    return text + (" Uhr" if lang == "de" else "")


def _date(moment: datetime, lang: Language) -> str:
    weekday = WEEKDAYS[lang][moment.weekday()]
    if lang == "de":
        return f"{weekday}, {moment:%d.%m.%Y}"
    return f"{weekday} {moment.day} {MONTHS['en'][moment.month - 1][:3]} {moment.year}"


def period_label(key: str, lang: Language) -> str:
    """`2026-W48` as "KW 48/2026" or "week 48, 2026"; `2026-11` as "November 2026"."""
    year, _, rest = key.partition("-")
    if rest.startswith("W"):
        return f"KW {int(rest[1:])}/{year}" if lang == "de" else f"week {int(rest[1:])}, {year}"
    return f"{MONTHS[lang][int(rest) - 1]} {year}"


def plain(text: str, length: int) -> str:
    """One line of text shown literally (see `escape_markdown`), shortened to `length` characters."""
    text = " ".join(text.split())
    return escape_markdown(text if len(text) <= length else text[: length - 1].rstrip() + "…")


def link(label: str, url: str) -> str:
    if not url.startswith(("https://", "http://")):
        return label
    return f"[{label}]({url.replace(' ', '%20').replace('(', '%28').replace(')', '%29')})"


def _wanted(item_tags: Iterable[str], wanted: frozenset[str]) -> bool:
    return not wanted or not wanted.isdisjoint(item_tags)

