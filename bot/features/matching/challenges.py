"""The curated list of challenges members name, and how free text is mapped onto it.

Members write "Förderanträge", "barrierefreie PDFs" or "Cloud-Umstieg"; matching only works when
those land on the same few ids. Each challenge therefore has German and English labels plus
synonyms, and text is compared on folded words by `knowledge.likeness`, so typos and compounds still map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.config import MatchingSettings
from bot.messages import escape_markdown
from knowledge.entry import Language
from knowledge.likeness import word_likeness
from knowledge.normaliser import content_words, fold

FREE_TEXT = "text:"
"""Marks a member's own words among their offers ("Excel"): shown as written, matched to nobody."""
_PIECES = re.compile(r"[,;\n]+|\s+(?:und|and|sowie|&)\s+")


@dataclass(frozen=True)
class Challenge:
    """A challenge: a stable id for storage and matching, labels for people, synonyms for mapping."""

    id: str
    de: str
    en: str
    synonyms: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    """Knowledge-base and resource tags about this challenge, so digests can put its news first."""

    def label(self, language: Language) -> str:
        return self.de if language == "de" else self.en


STARTER: tuple[Challenge, ...] = (
    Challenge("it-security", "IT-Sicherheit", "IT security",
              ("Informationssicherheit", "Cybersicherheit", "Cybersecurity", "Phishing", "Passwörter",
               "Backup", "Datensicherung", "Ransomware", "BSI Grundschutz", "Sicherheit"),
              tags=("it-sicherheit",)),
    Challenge("accessibility", "Barrierefreiheit", "Accessibility",
              ("barrierefrei", "Barrierefreiheitsprüfung", "BITV", "WCAG", "Leichte Sprache", "a11y",
               "accessible", "Screenreader"),
              tags=("barrierefreiheit",)),
    Challenge("funding", "Fördermittel", "Funding",
              ("Förderung", "Förderantrag", "Förderprogramm", "Zuschuss", "Fördergelder", "Finanzierung",
               "grant", "grants", "funding application", "Drittmittel"),
              tags=("foerderung",)),
    Challenge("e-files", "E-Akte", "E-files",
              ("elektronische Akte", "E-Akte", "Dokumentenmanagement", "DMS", "digitale Akte",
               "Aktenführung", "electronic records", "records management", "Scannen"),
              tags=("e-akte",)),
    Challenge("ozg-services", "OZG-Leistungen", "OZG services",
              ("Onlinezugangsgesetz", "OZG", "Online-Dienste", "Onlineantrag", "Bürgerportal",
               "Verwaltungsportal", "EfA", "online services", "Antragsverfahren"),
              tags=("ozg",)),
    Challenge("open-data", "Open Data", "Open data",
              ("offene Daten", "Datenportal", "Open Government", "Datenveröffentlichung", "open government"),
              tags=("open-data",)),
    Challenge("ai", "Künstliche Intelligenz", "AI",
              ("KI", "künstliche Intelligenz", "ChatGPT", "Sprachmodell", "LLM", "machine learning",
               "artificial intelligence", "KI-Verordnung", "generative KI"),
              tags=("ki",)),
    Challenge("data-protection", "Datenschutz", "Data protection",
              ("DSGVO", "GDPR", "Datenschutzbeauftragte", "Auftragsverarbeitung", "AVV", "personenbezogene Daten",
               "privacy", "Einwilligung"),
              tags=("datenschutz",)),
    Challenge("agile-methods", "Agile Methoden", "Agile methods",
              ("agil", "Scrum", "Kanban", "Design Thinking", "agile", "Projektmanagement", "project management"),
              tags=("agile-methoden",)),
    Challenge("process-digitalisation", "Prozessdigitalisierung", "Process digitalisation",
              ("Prozesse digitalisieren", "Prozessmodellierung", "Workflow", "Automatisierung", "BPMN",
               "Geschäftsprozesse", "process automation", "workflows", "Prozessoptimierung"),
              tags=("prozessdigitalisierung", "digital-check")),
    Challenge("qualifying-colleagues", "Kolleginnen und Kollegen qualifizieren", "Qualifying colleagues",
              ("Schulung", "Fortbildung", "Weiterbildung", "Qualifizierung", "digitale Kompetenzen", "training",
               "upskilling", "Mitarbeitende schulen"),
              tags=("qualifizierung",)),
    Challenge("cloud-open-source", "Cloud und Open Source", "Cloud and open source",
              ("Cloud", "Open Source", "Nextcloud", "Linux", "LibreOffice", "souveräne Cloud", "Microsoft 365",
               "digitale Souveränität", "open-source software"),
              tags=("cloud", "open-source")),
    Challenge("it-service-providers", "Zusammenarbeit mit IT-Dienstleistern", "Working with IT service providers",
              ("IT-Dienstleister", "Dienstleister", "Rechenzentrum", "Ausschreibung", "Vergabe", "Beschaffung",
               "Vertrag", "service provider", "procurement", "vendor", "Outsourcing"),
              tags=("it-dienstleister",)),
    Challenge("change-communication", "Veränderung und Kommunikation", "Change and communication",
              ("Change Management", "Veränderungsmanagement", "Kommunikation", "Akzeptanz", "Widerstand",
               "Mitnehmen", "change management", "communication", "Beteiligung"),
              tags=("change", "lotsenrolle")),
)
"""The starter list from the issue; operators replace it with `[[matching.challenges]]`."""


def from_settings(settings: MatchingSettings) -> tuple[Challenge, ...]:
    """The configured list, or the starter list when the configuration names none."""
    if settings.challenges is None:
        return STARTER
    return tuple(Challenge(c.id, c.de, c.en, tuple(c.synonyms), tuple(c.tags)) for c in settings.challenges)


@dataclass(frozen=True)
class _Terms:
    phrases: tuple[str, ...]
    """Folded multi-word terms, found as whole phrases in folded text."""
    words: tuple[str, ...]
    """Folded single words, compared word by word (`word_likeness`)."""


class Challenges:
    """The challenge list with fuzzy lookup; immutable once built."""

    def __init__(self, challenges: Sequence[Challenge]) -> None:
        self.all = tuple(challenges)
        self._by_id = {challenge.id: challenge for challenge in self.all}
        self._terms = {challenge.id: _terms_of(challenge) for challenge in self.all}

    def get(self, challenge_id: str) -> Challenge | None:
        return self._by_id.get(challenge_id)

    def topics(self, ids: Iterable[str]) -> list[str]:
        """The challenge ids with the tags they stand for, to compare with tags of news."""
        found: list[str] = []
        for challenge_id in ids:
            challenge = self._by_id.get(challenge_id)
            found.extend([challenge_id, *(challenge.tags if challenge else ())])
        return found

    def labels(self, ids: Iterable[str], language: Language) -> str:
        """"IT security, Funding, Excel" for display: a member's own words (`FREE_TEXT`) escaped, unknown
        ids (from an older list) left out."""
        shown = []
        for challenge_id in ids:
            if challenge_id.startswith(FREE_TEXT):
                shown.append(escape_markdown(challenge_id.removeprefix(FREE_TEXT)))
            elif (challenge := self._by_id.get(challenge_id)) is not None:
                shown.append(challenge.label(language))
        return ", ".join(shown)

    def find(self, text: str) -> list[str]:
        """The ids of the challenges a text talks about, best first; empty if none fits."""
        folded = " " + " ".join(fold(text).split()) + " "
        text_words = [word for word in content_words(text) if len(word) > 1]
        scored: list[tuple[float, str]] = []
        for challenge in self.all:
            score = _score(self._terms[challenge.id], folded, text_words)
            if score > 0:
                scored.append((score, challenge.id))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [challenge_id for _, challenge_id in scored]

    def numbers_off_the_list(self, text: str) -> list[int]:
        """The numbers in a member's answer that name no challenge ("0", "42"), to say so rather
        than drop them."""
        numbers: list[int] = []
        for piece in _PIECES.split(text):
            tokens = piece.replace(".", " ").replace(")", " ").split()
            if tokens and all(token.isdigit() for token in tokens):
                numbers.extend(int(token) for token in tokens)
        return [number for number in numbers if not 1 <= number <= len(self.all)]

    def read_list(self, text: str) -> tuple[list[str], list[str]]:
        """A member's answer such as "1, 3, Förderanträge": the ids named, and the pieces that fit none.

        Numbers refer to the list as shown (1-based); words are mapped by `find`.
        """
        found: list[str] = []
        unmapped: list[str] = []
        for piece in (p.strip() for p in _PIECES.split(text)):
            if not piece or piece in {"-", "—"}:
                continue
            numbers = piece.replace(".", " ").replace(")", " ").split()
            if numbers and all(n.isdigit() for n in numbers):
                for number in numbers:
                    if 1 <= int(number) <= len(self.all):
                        _add(found, self.all[int(number) - 1].id)
                continue
            matches = self.find(piece)
            if matches:
                _add(found, matches[0])
            else:
                unmapped.append(piece[:80])
        return found, unmapped


def _add(found: list[str], challenge_id: str) -> None:
    if challenge_id not in found:
        found.append(challenge_id)


def _terms_of(challenge: Challenge) -> _Terms:
    phrases: set[str] = set()
    single: set[str] = set()
    for term in (challenge.de, challenge.en, challenge.id.replace("-", " "), *challenge.synonyms):
        folded = content_words(term) or [fold(term)]
        if len(folded) == 1:
            single.add(folded[0])
        else:
            phrases.add(" ".join(folded))
    return _Terms(tuple(sorted(phrases)), tuple(sorted(single)))


def _score(terms: _Terms, folded: str, text_words: Sequence[str]) -> float:
    score = 0.0
    for phrase in terms.phrases:
        if f" {phrase} " in folded or all(word in text_words for word in phrase.split()):
            score += 2.0
    for term in terms.words:
        score += max((word_likeness(word, term) for word in text_words), default=0.0)
    return score
