"""Reading what a member asks for: topics, a place, a kind of organisation, kinds of offer.

`/kompass KI Berlin` and "Wer berät Vereine in Berlin zu Fördermitteln?" both become a `Request`.
Words are compared folded (umlauts as ae/oe/ue) and by their beginnings, so inflected forms count.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.features.kompass.model import Request, TopicList
from bot.features.kompass.regions import Place, Regions, normal

KIND_WORDS = {
    "advice": ("berat", "beraet", "berater", "anlaufstell", "ansprechp", "advice", "advis", "consult", "coaching"),
    "training": ("schulung", "weiterbild", "fortbild", "kurs", "seminar", "workshop", "training", "course",
                 "lernangebot", "webinar"),
    "funding": ("foerder", "zuschuss", "zuschuess", "finanzier", "funding", "grant", "subsid"),
    "tool": ("tool", "werkzeug", "software", "plattform", "checklist", "vorlage", "leitfad", "template", "platform"),
    "network": ("netzwerk", "austausch", "community", "network", "stammtisch", "vernetz"),
}
AUDIENCE_WORDS = {
    "municipality": ("kommun", "gemeinde", "stadtverwalt", "rathaus", "amt", "aemter", "municipal", "council",
                     "verwaltung", "local authorit"),
    "state": ("landesverwalt", "ministeri", "landesbehoerd", "bundesbehoerd", "bundesverwalt"),
    "culture": ("museum", "museen", "bibliothek", "theater", "kultur", "archiv", "cultur", "librar", "gedenkstaett"),
    "social": ("verein", "sozial", "wohlfahrt", "ehrenamt", "gemeinnuetz", "ngo", "nonprofit", "non profit", "charit",
               "association", "zivilgesellschaft", "civil society", "initiativ"),
    "company": ("kmu", "unternehm", "betrieb", "firma", "firmen", "handwerk", "mittelstand", "mittelstaend",
                "startup", "start up", "sme", "compan", "business", "selbststaendig", "selbstaendig"),
}
QUESTION_WORDS = ("wer ", "wo ", "welche ", "gibt es", "who ", "where ", "which ", "is there", "are there",
                  "anlaufstell", "hilft", "unterstuetz", "help", "support")
"""Beginnings that make a free question one for the directory, together with a topic or place."""


@dataclass(frozen=True)
class Asked:
    """A request read from words, with the place found (for saying where Lotse looked)."""

    request: Request
    place: Place | None
    unknown_words: str
    """What was left after topics, place and known words: a topic Lotse did not recognise."""
    directory_like: bool


def read_request(text: str, topics: TopicList, regions: Regions, cue_required: bool = False) -> Asked:
    """The request in `text`; `cue_required` for free questions (a place name needs "in", "aus" …)."""
    found = regions.find(text, cue_required=cue_required)
    rest = found.rest
    topic_ids = tuple(topics.find(rest)) if rest else ()
    words = f" {rest} "
    kinds = tuple(kind for kind, stems in KIND_WORDS.items() if _mentions(words, stems))
    audiences = [audience for audience, stems in AUDIENCE_WORDS.items() if _mentions(words, stems)]
    directory_like = _mentions(words, (*QUESTION_WORDS, *(stem for stems in KIND_WORDS.values() for stem in stems)))
    known = (*(stem for stems in (*KIND_WORDS.values(), *AUDIENCE_WORDS.values()) for stem in stems),)
    leftover = " ".join(word for word in rest.split() if not word.startswith(known) and len(word) > 2)
    request = Request(topics=topic_ids, keys=found.place.keys if found.place else (),
                      audience=audiences[0] if audiences else None, kinds=kinds)
    return Asked(request, found.place, "" if topic_ids else leftover, directory_like)


def audience_of(word: str) -> str | None:
    """The target group a word names: a code (`social`) or a word (Vereine, Museum, KMU …)."""
    folded = " " + normal(word) + " "
    if folded.strip() in AUDIENCE_WORDS:
        return folded.strip()
    return next((audience for audience, stems in AUDIENCE_WORDS.items() if _mentions(folded, stems)), None)


def _mentions(words: str, stems: tuple[str, ...]) -> bool:
    return any(f" {stem}" in words for stem in stems)
